"""Kept images are content-addressed (media/domain/images.py) and served from the images CDN (kernel image_urls)."""

from __future__ import annotations

import hashlib

import pytest

from nozzly.kernel.adapters.image_urls import ImageUrls
from nozzly.media.domain.images import addressed_name, content_tag

pytestmark = pytest.mark.unit


def test_a_kept_files_name_changes_with_its_bytes_and_only_with_them() -> None:
    first, again, other = content_tag(b"\x89PNG one"), content_tag(b"\x89PNG one"), content_tag(b"\x89PNG two")

    assert first == again != other
    assert first == hashlib.sha256(b"\x89PNG one").hexdigest()[:16]
    assert addressed_name("768", first, "webp") == f"768-{first}.webp"


def test_a_kept_image_is_a_cdn_url_the_same_on_every_call() -> None:
    urls = ImageUrls("bucket", "https://d111.cloudfront.net/images/")
    key = "stores/acme/products/lamp/images/u1/original-0123456789abcdef.png"

    assert urls.url(key) == f"https://d111.cloudfront.net/images/{key}" == urls.url(key)
