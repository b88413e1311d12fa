"""Which uploaded files become product images: real bytes of each format, and files that only pretend."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.media.domain.image_checks import (
    BROKEN,
    EMPTY,
    EXPIRED,
    MAX_IMAGES_PER_PRODUCT,
    MAX_UPLOAD_BYTES,
    NOT_AN_IMAGE,
    TOO_LARGE,
    TOO_MANY_PIXELS,
    Rejected,
    rendition_sizes,
    size_problem,
    sniff,
)
from nozzly.media.domain.image_decoding import decode, renditions
from nozzly.media.domain.image_uploads import (
    PROCESSING_GRACE_SECONDS,
    Arrangement,
    ProductFull,
    Upload,
    UploadStatus,
    image_ref,
    with_image,
    without_image,
)
from tests import image_samples as samples

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.png(), "image/png"),
        (samples.jpeg(), "image/jpeg"),
        (samples.webp(), "image/webp"),
        (samples.gif(), "image/gif"),
        (samples.TEXT_NAMED_PNG, None),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),  # a RIFF file that is audio, not WebP
        (b"", None),
    ],
    ids=["png", "jpeg", "webp", "gif", "text", "riff-audio", "empty"],
)
def test_the_first_bytes_decide_the_type(data: bytes, expected: str | None) -> None:
    assert sniff(data[:12]) == expected


@pytest.mark.parametrize(
    ("size", "problem"), [(0, EMPTY), (1, None), (MAX_UPLOAD_BYTES, None), (MAX_UPLOAD_BYTES + 1, TOO_LARGE)]
)
def test_files_over_ten_mib_are_refused_by_their_declared_size(size: int, problem: str | None) -> None:
    assert size_problem(size) == problem
    assert TOO_LARGE == "The file is larger than 10 MiB."


@pytest.mark.parametrize("make", [samples.png, samples.jpeg, samples.webp, samples.gif])
def test_each_accepted_format_decodes_with_its_size(make: object) -> None:
    assert callable(make)
    decoded = decode(make(40, 30))
    assert (decoded.width, decoded.height) == (40, 30)


def test_a_text_file_named_png_is_not_an_image() -> None:
    with pytest.raises(Rejected) as refused:
        decode(samples.TEXT_NAMED_PNG)
    assert refused.value.reason == NOT_AN_IMAGE


def test_a_truncated_png_is_refused_as_broken() -> None:
    data = samples.truncated_png()
    assert sniff(data[:12]) == "image/png"  # the magic numbers alone would let it through
    with pytest.raises(Rejected) as refused:
        decode(data)
    assert refused.value.reason == BROKEN


def test_a_png_with_a_valid_signature_and_garbage_after_is_broken() -> None:
    with pytest.raises(Rejected) as refused:
        decode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert refused.value.reason == BROKEN


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded() -> None:
    data = samples.pixel_bomb(8000, 6000)  # 48 million pixels
    assert len(data) < 100_000
    with pytest.raises(Rejected) as refused:
        decode(data)
    assert refused.value.reason == TOO_MANY_PIXELS


def test_renditions_are_never_upscaled() -> None:
    assert rendition_sizes(4000, 3000) == [(256, 192), (768, 576), (1600, 1200)]
    assert rendition_sizes(1000, 500) == [(256, 128), (768, 384)]
    assert rendition_sizes(768, 768) == [(256, 256), (768, 768)]
    # Narrower than every target: one rendition at its own width, so the width in the srcset is true.
    assert rendition_sizes(100, 50) == [(100, 50)]
    assert rendition_sizes(1600, 1) == [(256, 1), (768, 1), (1600, 1)]


def test_renditions_are_webp_at_their_widths_and_keep_transparency() -> None:
    made = renditions(decode(samples.png(1000, 500, mode="RGBA")))
    assert [w for w, _ in made] == [256, 768]
    for width, data in made:
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "WEBP"
            assert image.size == (width, width // 2)
            assert image.mode == "RGBA"


def test_a_phone_photo_is_turned_upright_by_its_exif_orientation() -> None:
    decoded = decode(samples.sideways_jpeg(60, 20))
    assert (decoded.width, decoded.height) == (20, 60)
    ((width, data),) = renditions(decoded)
    assert width == 20
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 60)
        assert not image.getexif()  # nothing of the original's metadata (location...) is copied


# ---- a product's image list
def image_from(n: int, image_id: str | None = None) -> ProductImage:
    return ProductImage(key=f"k/{n}.png", alt=f"alt {n}", content_type="image/png", image_id=image_id or f"id{n}")


def test_an_image_is_appended_once_however_often_it_is_delivered() -> None:
    images = (image_from(1),)
    once = with_image(images, image_from(2))
    assert once == (image_from(1), image_from(2))
    assert with_image(once, image_from(2)) == once


def test_a_full_product_takes_no_more_images() -> None:
    full = tuple(image_from(n) for n in range(MAX_IMAGES_PER_PRODUCT))
    with pytest.raises(ProductFull) as refused:
        with_image(full, image_from(99))
    assert isinstance(refused.value, Conflict)
    assert refused.value.message.startswith("The product already has 20 images")


def test_imported_images_without_ids_get_stable_ones() -> None:
    imported = ProductImage(key="stores/s/products/p/00-a.png", alt="", content_type="image/png")
    assert image_ref(imported) == image_ref(imported) != ""
    assert image_ref(imported) != image_ref(ProductImage(key="stores/s/products/p/01-b.png", alt="", content_type="x"))
    remaining, removed = without_image((imported, image_from(1)), image_ref(imported))
    assert (remaining, removed) == ((image_from(1),), imported)


def test_removing_an_unknown_image_is_not_found() -> None:
    with pytest.raises(NotFound) as missing:
        without_image((image_from(1),), "nope")
    assert missing.value.field == "image"


def test_an_arrangement_reorders_and_changes_only_the_alts_it_names() -> None:
    images = (image_from(1), image_from(2), image_from(3))
    arranged = Arrangement(order=("id3", "id1", "id2"), alts={"id1": "new", "id2": None, "id3": None}).apply(images)
    assert [i.image_id for i in arranged] == ["id3", "id1", "id2"]
    assert [i.alt for i in arranged] == ["alt 3", "new", "alt 2"]


@pytest.mark.parametrize(
    ("order", "error"),
    [
        (("id1", "id1", "id2"), InvalidInput),  # twice
        (("id1", "id2", "nope"), InvalidInput),  # unknown
        (("id1",), Conflict),  # one missing: the operator's view is stale
    ],
)
def test_an_arrangement_must_name_every_image_once(order: tuple[str, ...], error: type[Exception]) -> None:
    with pytest.raises(error):
        Arrangement(order=order, alts={}).apply((image_from(1), image_from(2)))


def test_a_pending_upload_long_past_its_link_is_reported_as_never_arrived() -> None:
    upload = Upload("s", "u", "p", "image/png", "", created_at=1000, expires_at=1900)
    assert upload.as_seen_at(1900 + PROCESSING_GRACE_SECONDS).status is UploadStatus.PENDING
    late = upload.as_seen_at(1901 + PROCESSING_GRACE_SECONDS)
    assert (late.status, late.reason) == (UploadStatus.REJECTED, EXPIRED)
