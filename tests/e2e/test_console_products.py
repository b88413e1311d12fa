"""The console's products area in a real browser: an owner builds a product with variants and an image,
publishes it, finds it by SKU, deletes and restores it, and counts stock in; categories and brands likewise."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from nozzly.media.domain.image_checks import NOT_AN_IMAGE
from tests import image_samples
from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.console import DEMO_STORE, console_errors, log_in_as_owner

pytestmark = pytest.mark.e2e
PRODUCTS = f"/s/{DEMO_STORE}/products"
DESKTOP = ViewportSize(width=1280, height=900)
TABLET = ViewportSize(width=820, height=1100)
ALT = "Ashwood practice sword on a workbench"
HILT = "The sword's leather-wrapped hilt"


@pytest.fixture(autouse=True)
def patient_expectations() -> Iterator[None]:
    """The first call to each function starts it cold (seconds on a busy machine): wait like an operator would."""
    expect.set_options(timeout=45_000)
    yield
    expect.set_options(timeout=5_000)


@dataclass(frozen=True)
class Sword:
    mark: str

    @property
    def title(self) -> str:
        return f"Ashwood Practice Sword {self.mark}"

    @property
    def small_sku(self) -> str:
        return f"ASH-{self.mark}-S"

    @property
    def large_sku(self) -> str:
        return f"ASH-{self.mark}-L"


def looked_at(page: Page, name: str) -> None:
    """A screenshot of the view as it is, and no serious accessibility problem on it."""
    page.evaluate("window.scrollTo(0, 0)")  # the sidebar is sticky: a scrolled page would shoot it mid-page
    shot(page, name)
    assert serious_violations(page) == []


def field(scope: Page | Locator, label: str) -> Locator:
    """A control by its whole label; a required one's label ends in an asterisk."""
    return scope.get_by_label(re.compile(f"^{re.escape(label)}( \\*)?$"))


def variant_group(page: Page, number: int) -> Locator:
    return page.get_by_role("group", name=f"Variant {number}")


def fill_variant(page: Page, number: int, fields: dict[str, str]) -> None:
    group = variant_group(page, number)
    for label, value in fields.items():
        field(group, label).fill(value)


def in_shop(cloud: LocalCloud, slug: str) -> Any:
    return http_request(f"{cloud.api_url}/stores/{DEMO_STORE}/products/{slug}")


def create_with_two_variants(page: Page, sword: Sword) -> str:
    page.get_by_role("link", name="New product").click()
    expect(field(page, "Title")).to_be_editable()
    field(page, "Title").fill(sword.title)
    field(page, "Category").select_option(label="Blades")
    field(page, "Price (EUR)").fill("89.50")
    page.get_by_label("Compare-at price (EUR)").fill("99")
    small = {"Variant name": "Small", "SKU": sword.small_sku, "Options": "length: 80 cm", "Stock on hand": "3"}
    fill_variant(page, 1, small)
    page.get_by_role("button", name="Add variant").click()
    large = {"Variant name": "Large", "SKU": sword.large_sku, "Options": "length: 95 cm", "Stock on hand": "2"}
    fill_variant(page, 2, {**large, "Own price (EUR)": "12,3x"})
    page.get_by_role("button", name="Create product").click()
    # A mistyped price is caught at its own field, and everything typed stays.
    expect(variant_group(page, 2).get_by_text("Enter an amount like 12.50.")).to_be_visible()
    expect(field(page, "Title")).to_have_value(sword.title)
    fill_variant(page, 2, {"Own price (EUR)": "94.50"})
    page.get_by_role("button", name="Create product").click()
    expect(page.get_by_role("heading", name=sword.title, level=1)).to_be_visible()
    variants = page.get_by_role("table", name=f"Variants of {sword.title}")
    expect(variants.get_by_role("row")).to_have_count(3)
    expect(variants.get_by_role("row", name=re.compile("Large"))).to_contain_text("€94.50")
    expect(variants.get_by_role("row", name=re.compile("Small"))).to_contain_text("€89.50")
    return re.sub(r"^.*/products/", "", page.url)


def edit_a_variant(page: Page, sword: Sword) -> None:
    """The API's own field message shows at the field; fixed, the low-stock mark goes with a lower threshold."""
    large = page.get_by_role("table", name=f"Variants of {sword.title}").get_by_role("row", name=re.compile("Large"))
    expect(large).to_contain_text("Low stock")
    page.get_by_role("button", name="Edit Large").click()
    form = page.get_by_role("form", name="Edit Large")
    field(form, "SKU").fill("no spaces allowed")
    form.get_by_role("button", name="Save variant").click()
    expect(field(form, "SKU")).to_have_accessible_description(re.compile("String should match pattern"))
    field(form, "SKU").fill(sword.large_sku)
    field(form, "Low-stock alert at").fill("1")
    form.get_by_role("button", name="Save variant").click()
    expect(form).to_have_count(0)
    expect(large).not_to_contain_text("Low stock")


def upload_an_image(page: Page) -> None:
    # A text file that calls itself a PNG goes to S3 like any file; the processor refuses it, and says why.
    fake = {"name": "list.png", "mimeType": "image/png", "buffer": image_samples.TEXT_NAMED_PNG}
    page.get_by_label("Add images").set_input_files(files=fake)  # type: ignore[arg-type]
    refused = page.get_by_role("alert").filter(has_text="list.png was not accepted")
    expect(refused).to_contain_text(NOT_AN_IMAGE, timeout=60_000)
    page.get_by_role("button", name="Dismiss the message about list.png").click()
    expect(refused).to_have_count(0)
    picture = {"name": "ashwood.png", "mimeType": "image/png", "buffer": image_samples.png(640, 480)}
    page.get_by_label("Add images").set_input_files(files=picture)  # type: ignore[arg-type]
    alt = page.get_by_label("Alt text of image 1")
    expect(alt).to_be_visible(timeout=60_000)
    alt.fill(ALT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("img", name=ALT)).to_be_visible()
    # A second one, put first with the keyboard's "Move up".
    hilt = {"name": "hilt.jpg", "mimeType": "image/jpeg", "buffer": image_samples.jpeg(400, 300)}
    page.get_by_label("Add images").set_input_files(files=hilt)  # type: ignore[arg-type]
    expect(page.get_by_label("Alt text of image 2")).to_be_visible(timeout=60_000)
    page.get_by_label("Alt text of image 2").fill(HILT)
    page.get_by_role("button", name="Save", exact=True).and_(page.locator(":enabled")).click()
    expect(page.get_by_role("img", name=HILT)).to_be_visible()
    page.get_by_role("button", name="Move image 2 up").click()
    expect(page.get_by_text("Image moved to position 1")).to_be_visible()
    expect(page.get_by_label("Alt text of image 1")).to_have_value(HILT)


def count_stock_in(page: Page, sword: Sword) -> None:
    page.get_by_role("button", name="Stock of Small").click()
    expect(page.get_by_role("heading", name="Stock of Small")).to_be_visible()
    field(page, "Change by").fill("+5")
    page.get_by_label("Reason").select_option("received")
    page.get_by_label("Note").fill("Delivery from the wood shop")
    page.get_by_role("button", name="Adjust stock").click()
    entry = page.get_by_role("table", name="Stock ledger").get_by_role("row", name=re.compile("wood shop"))
    expect(entry).to_contain_text("+5")
    expect(entry).to_contain_text("Received")
    small = page.get_by_role("table", name=f"Variants of {sword.title}").get_by_role("row", name=re.compile("Small"))
    expect(small.get_by_role("cell").nth(3)).to_have_text("8")
    # Stock, images and variants all changed the product meanwhile: its details still save.
    page.get_by_label("SEO title").fill(f"{sword.title} for stage fencing")
    page.get_by_role("button", name="Save product").click()
    expect(page.get_by_text("Product saved")).to_be_visible()


def find_by_sku_and_publish(page: Page, sword: Sword) -> Locator:
    page.get_by_role("link", name="Products", exact=True).click()
    expect(page.get_by_role("link", name="Ember Longsword")).to_be_visible()
    page.get_by_label("Search").fill(sword.small_sku)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(f"q={sword.small_sku}"))
    row = page.get_by_role("row", name=re.compile(sword.title))
    expect(row).to_contain_text("Draft")
    expect(page.get_by_role("link", name="Ember Longsword")).to_have_count(0)
    # A draft has its thumbnail too: the admin answer carries its images' URLs.
    expect(row.locator("img")).to_have_attribute("src", re.compile("/images/"))
    expect(row).to_contain_text("€89.50 – €94.50")
    row.get_by_label(f"Select {sword.title}").check()
    page.get_by_role("button", name="Publish selected", exact=True).click()
    expect(row).to_contain_text("Published")
    return row


def delete_and_restore(page: Page, cloud: LocalCloud, sword: Sword, slug: str) -> None:
    page.get_by_role("row", name=re.compile(sword.title)).get_by_role("link", name=sword.title).click()
    page.get_by_role("button", name="Delete product").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete product").click()
    expect(page.get_by_role("button", name="Restore product")).to_be_visible()
    assert in_shop(cloud, slug).status == 404
    page.get_by_role("link", name="Back to products").click()
    page.get_by_label("Show deleted only").check()
    deleted = page.get_by_role("row", name=re.compile(sword.title))
    expect(deleted).to_contain_text("Deleted")
    deleted.get_by_role("link", name=sword.title).click()
    page.get_by_role("button", name="Restore product").click()
    expect(page.get_by_role("button", name="Delete product")).to_be_visible()
    assert in_shop(cloud, slug).status == 200


def test_an_owner_builds_publishes_finds_deletes_and_restores_a_product(page: Page, local_cloud: LocalCloud) -> None:
    errors = console_errors(page)
    sword = Sword(uuid.uuid4().hex[:6].upper())
    log_in_as_owner(page, local_cloud, PRODUCTS)
    expect(page.get_by_role("link", name="Ember Longsword")).to_be_visible()
    looked_at(page, "products-list")
    page.set_viewport_size(TABLET)
    page.wait_for_timeout(400)
    looked_at(page, "products-list-tablet")
    page.set_viewport_size(DESKTOP)

    slug = create_with_two_variants(page, sword)
    edit_a_variant(page, sword)
    upload_an_image(page)
    count_stock_in(page, sword)
    looked_at(page, "product-editor")
    page.set_viewport_size(TABLET)
    page.wait_for_timeout(400)  # the sidebar slides away when the screen narrows
    looked_at(page, "product-editor-tablet")
    page.set_viewport_size(DESKTOP)

    find_by_sku_and_publish(page, sword)
    looked_at(page, "products-found-by-sku")
    shown = local_cloud.eventually(lambda: in_shop(local_cloud, slug), lambda r: r.status == 200, timeout=20)
    product = shown.json()
    assert product["title"] == sword.title
    assert sorted(v["sku"] for v in product["variants"]) == [sword.large_sku, sword.small_sku]
    assert [i["alt"] for i in product["images"]] == [HILT, ALT]

    delete_and_restore(page, local_cloud, sword, slug)
    assert errors == []


def test_an_owner_arranges_categories_and_keeps_brands(page: Page, local_cloud: LocalCloud) -> None:
    errors = console_errors(page)
    mark = uuid.uuid4().hex[:4]
    name = f"Practice Blades {mark}"
    log_in_as_owner(page, local_cloud, f"/s/{DEMO_STORE}/categories")
    expect(page.get_by_role("heading", name="Categories", level=1)).to_be_visible()
    field(page, "Name").fill(name)
    page.get_by_role("button", name="Create category").click()
    tree = page.get_by_role("list", name="Category tree")
    expect(
        tree.get_by_role("listitem").filter(has=page.get_by_role("button", name=f"Rename {name}", exact=True))
    ).to_be_visible()

    give_a_banner(page, local_cloud, name)

    # Keyboard users move it with "Move to…"; it is then listed under its new parent, indented.
    item = tree.get_by_role("listitem").filter(has=page.get_by_role("button", name=f"Rename {name}", exact=True))
    item.get_by_label(f"Move {name} to").select_option(label="Blades")
    item.get_by_role("button", name=f"Move {name}", exact=True).click()
    expect(page.get_by_text(f"{name} moved")).to_be_visible()
    expect(
        tree.get_by_role("listitem").filter(has=page.get_by_role("button", name=f"Rename {name}", exact=True))
    ).to_have_class(re.compile("depth-1"))
    looked_at(page, "categories")

    # Dragged onto Shields, it moves there.
    dragged = tree.get_by_role("listitem").filter(has=page.get_by_role("button", name=f"Rename {name}", exact=True))
    shields = tree.get_by_role("listitem").filter(has=page.get_by_role("button", name="Rename Shields"))
    dragged.drag_to(shields, source_position={"x": 16, "y": 20}, target_position={"x": 40, "y": 20})
    expect(page.get_by_text(f"{name} moved under Shields")).to_be_visible()

    tree.get_by_role("listitem").filter(has=page.get_by_role("button", name=f"Rename {name}", exact=True)).get_by_role(
        "button", name=f"Delete {name}"
    ).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete category").click()
    expect(
        tree.get_by_role("listitem").filter(has=page.get_by_role("button", name=f"Rename {name}", exact=True))
    ).to_have_count(0)
    page.get_by_label("Show deleted only").check()
    page.get_by_role("button", name=f"Restore {name}").click()
    expect(page.get_by_text(f"{name} restored")).to_be_visible()
    keep_brands(page, local_cloud, mark)
    assert errors == []


def shop_list(cloud: LocalCloud, what: str) -> list[dict[str, Any]]:
    answer = http_request(f"{cloud.api_url}/stores/{DEMO_STORE}/{what}")
    assert answer.status == 200
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def give_a_banner(page: Page, cloud: LocalCloud, name: str) -> None:
    """The banner goes straight to S3 with progress; the console then shows it, and so does the shop."""
    page.get_by_label("Banner of", exact=True).select_option(label=name)
    expect(page.get_by_text("No banner yet")).to_be_visible()
    banner = {"name": "banner.png", "mimeType": "image/png", "buffer": image_samples.png(1200, 300)}
    page.get_by_label(f"Upload the banner of {name}").set_input_files(files=banner)  # type: ignore[arg-type]
    expect(page.get_by_role("img", name=f"Banner of {name}")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name=f"Remove the banner of {name}")).to_be_visible()
    shown = cloud.eventually(
        lambda: [c for c in shop_list(cloud, "categories") if c["name"] == name],
        lambda found: bool(found) and found[0]["image"] is not None,
        timeout=20,
    )
    assert "/image/" in shown[0]["image"]["url"] and shown[0]["image"]["renditions"]
    looked_at(page, "category-banner")


def keep_brands(page: Page, cloud: LocalCloud, mark: str) -> None:
    page.get_by_role("link", name="Brands", exact=True).click()
    expect(page.get_by_role("heading", name="Brands", level=1)).to_be_visible()
    brand = f"Ashgrove Armoury {mark}"
    field(page, "Name").fill(brand)
    page.get_by_label("Description").fill("Training weapons from the north")
    page.get_by_role("button", name="Create brand").click()
    brands = page.get_by_role("table", name="Brands")
    expect(brands.get_by_role("row", name=re.compile(brand))).to_contain_text("Training weapons from the north")
    brands.get_by_role("button", name=f"Edit {brand}").click()
    page.get_by_label("Description").fill("Training weapons from the far north")
    page.get_by_role("button", name="Save brand").click()
    expect(brands.get_by_role("row", name=re.compile(brand))).to_contain_text("far north")
    brands.get_by_role("button", name=f"Edit {brand}").click()
    logo = {"name": "logo.webp", "mimeType": "image/webp", "buffer": image_samples.webp(300, 300)}
    page.get_by_label(f"Upload the logo of {brand}").set_input_files(files=logo)  # type: ignore[arg-type]
    expect(page.get_by_role("img", name=f"Logo of {brand}")).to_be_visible(timeout=60_000)
    expect(brands.get_by_role("row", name=re.compile(brand)).locator("img")).to_have_attribute(
        "src", re.compile("/logo/")
    )
    shown = cloud.eventually(
        lambda: [b for b in shop_list(cloud, "brands") if b["name"] == brand],
        lambda found: bool(found) and found[0]["logo"] is not None,
        timeout=20,
    )
    assert "/logo/" in shown[0]["logo"]["url"]
    looked_at(page, "brands")
    page.set_viewport_size(TABLET)
    page.wait_for_timeout(400)
    looked_at(page, "brands-tablet")
    page.set_viewport_size(DESKTOP)
    brands.get_by_role("button", name=f"Delete {brand}").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete brand").click()
    expect(brands.get_by_role("row", name=re.compile(brand))).to_have_count(0)
    page.get_by_label("Show deleted only").check()
    page.get_by_role("button", name=f"Restore {brand}").click()
    expect(page.get_by_text(f"{brand} restored")).to_be_visible()
