"""The shop's browsing pages through ShopPages under moto: product pages (gallery, price, variants, stock, the
add-to-cart form, reviews, related products, back-in-stock signup), listings, search, sitemap and robots."""

from __future__ import annotations

import dataclasses
import json
import re
from html import unescape
from typing import Any

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.page_helpers import Browser, Page
from tests.functional.review_helpers import Buyer, decide, join, record_purchase
from tests.functional.store_helpers import ALICE

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SAM = "5a0e0000-0000-4000-8000-00000000005a"
KIM = "5a0e0000-0000-4000-8000-00000000000b"
PRODUCT = f"/shop/{STORE}/products/ember-longsword"
SOLD_OUT = f"/shop/{STORE}/products/moonlit-rapier"


def json_ld(page: Page) -> list[dict[str, Any]]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.html, re.S)
    return [json.loads(text) for text in found]


def of_type(page: Page, kind: str) -> dict[str, Any]:
    return next(d for d in json_ld(page) if d["@type"] == kind)


def meta(page: Page, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page.html)
    return unescape(found.group(1)) if found else None


def text_of(page: Page) -> str:
    """What a shopper reads: the page's text without tags, blanks collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page.html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def subscribers(cloud: Cloud, product: str, variant: str) -> list[str]:
    from nozzly.catalog.adapters.stock_subscriptions import StockSubscriptions

    return StockSubscriptions(cloud.names["CustomersTable"], cloud.client("dynamodb")).subscribers(
        STORE, product, variant
    )


# ---- product page


def test_a_product_page_shows_price_sale_variants_and_the_add_to_cart_form(seeded: Cloud) -> None:
    page = Browser(seeded).get(PRODUCT)

    assert page.status == 200
    text = text_of(page)
    assert "Ember Longsword" in text and "flame-blued fuller" in text
    assert re.search(r"€129\.00 <s class=\"was\"><span class=\"sr\">Was </span>€149\.00</s>", page.html)
    assert '<span class="badge sale">Sale</span>' in page.html
    form = re.search(r'<form class="add-to-cart" method="post" action="([^"]+)">(.*?)</form>', page.html, re.S)
    assert form and form.group(1) == f"/shop/{STORE}/cart/items"
    fields = form.group(2)
    assert f'name="csrf" value="{page.csrf()}"' in fields
    assert 'name="product" value="ember-longsword"' in fields
    assert re.search(r'type="radio" name="variant" value="standard" checked', fields)
    assert 'value="gilded"' in fields and "€159.00" in fields
    assert "Only 2 left" in text  # the gilded hilt: 2 on hand, threshold 3
    assert re.search(r'name="quantity" type="number" min="1"[^>]* value="1"', fields)
    assert ">Add to cart</button>" in fields
    assert "Email me when it is back" not in text  # nothing is sold out


def test_a_product_pages_gallery_uses_the_webp_renditions_first_eager_then_lazy(seeded: Cloud) -> None:
    from nozzly.catalog.adapters.catalog import CatalogRepository

    repo = CatalogRepository(seeded.catalog_table, seeded.client("dynamodb"))
    product = repo.get_product(STORE, "ember-longsword")
    first = dataclasses.replace(product.images[0], renditions=((256, "r/ember-256.webp"), (768, "r/ember-768.webp")))
    second = dataclasses.replace(product.images[0], alt="The hilt up close", renditions=())
    repo.put_product(dataclasses.replace(product, images=(first, second)))

    page = Browser(seeded).get(PRODUCT)

    images = re.findall(r"<img [^>]*>", page.html.split('class="gallery-track"')[1].split("</ul>")[0])
    assert len(images) == 2
    assert re.search(
        r'srcset="[^"]*ember-256\.webp[^ ]* 256w, [^"]*ember-768\.webp[^ ]* 768w" sizes="[^"]+"', images[0]
    )
    assert 'loading="eager"' in images[0] and 'width="800" height="800"' in images[0]
    assert 'loading="lazy"' in images[1] and 'alt="The hilt up close"' in images[1]
    assert re.search(r'<a href="#picture-1"><img src="[^"]*ember-256\.webp', page.html)  # the narrowest as thumbnail
    assert 'href="#picture-1"' in page.html and 'href="#picture-2"' in page.html and 'id="picture-2"' in page.html
    assert meta(page, "property", "og:image") and "ember-longsword" in (meta(page, "property", "og:image") or "")


def test_a_product_page_tells_search_engines_what_it_sells(seeded: Cloud) -> None:
    page = Browser(seeded).get(PRODUCT)

    assert "<title>Ember Longsword · Mystmere Forge</title>" in page.html
    assert meta(page, "name", "description") == "A 105 cm hand-and-a-half sword with a flame-blued fuller."
    assert f'<link rel="canonical" href="http://localhost/shop/{STORE}/products/ember-longsword">' in page.html or (
        re.search(rf'<link rel="canonical" href="https?://[^"]+/shop/{STORE}/products/ember-longsword">', page.html)
    )
    assert meta(page, "property", "og:type") == "product"
    product = of_type(page, "Product")
    assert product["name"] == "Ember Longsword"
    assert [(o["sku"], o["price"], o["availability"]) for o in product["offers"]] == [
        ("MF-EMBER-STD", "129.00", "https://schema.org/InStock"),
        ("MF-EMBER-GLD", "159.00", "https://schema.org/LimitedAvailability"),
    ]
    assert "aggregateRating" not in product  # no reviews yet
    trail = of_type(page, "BreadcrumbList")["itemListElement"]
    assert [i["name"] for i in trail] == ["Home", "Blades", "Ember Longsword"]
    assert trail[1]["item"].endswith(f"/shop/{STORE}/categories/blades")


def test_an_unknown_or_unpublished_product_is_a_404_page(seeded: Cloud) -> None:
    browser = Browser(seeded)
    for slug in ("no-such-sword", "tower-shield", "rusted-cutlass"):  # unknown, draft, archived
        page = browser.get(f"/shop/{STORE}/products/{slug}")
        assert page.status == 404, slug
        assert "Page not found" in page.html
    assert browser.get(f"/shop/{STORE}/products/Not_A_Slug").status in (400, 404)


def test_approved_reviews_show_with_their_average_and_in_the_json_ld(seeded: Cloud) -> None:
    join(seeded, ALICE, "owner")
    record_purchase(seeded, SAM, "ember-longsword")
    posted = Buyer(seeded, SAM, "sam@example.com").post(body={"rating": 5, "title": "Superb", "text": "Balanced."})
    assert posted.status == 202
    before = Browser(seeded).get(PRODUCT)
    assert "No reviews yet." in text_of(before) and "Balanced." not in before.html
    assert decide(seeded, ALICE, posted.body["id"], "approve").status == 200

    page = Browser(seeded).get(PRODUCT)

    text = text_of(page)
    assert "Superb" in text and "Balanced." in text and "5.0 out of 5" in text and "from 1 review" in text
    assert of_type(page, "Product")["aggregateRating"] == {
        "@type": "AggregateRating", "ratingValue": "5.0", "reviewCount": 1, "bestRating": 5,
    }  # fmt: skip


def test_older_reviews_are_a_page_further_with_the_same_average(seeded: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    from nozzly.shopfront.web import product_pages

    monkeypatch.setattr(product_pages, "REVIEWS_SHOWN", 1)
    join(seeded, ALICE, "owner")
    for sub, text in ((SAM, "The older one."), (KIM, "The newer one.")):
        record_purchase(seeded, sub, "ember-longsword")
        posted = Buyer(seeded, sub, f"{sub}@example.com").post(body={"rating": 4, "text": text})
        assert decide(seeded, ALICE, posted.body["id"], "approve").status == 200
    browser = Browser(seeded)

    first = browser.get(PRODUCT)
    more = re.search(r'<a class="button secondary" href="([^"]+)">More reviews</a>', first.html)
    assert more and "The newer one." in first.html and "The older one." not in first.html
    path, _, rest = unescape(more.group(1)).partition("?")
    older = browser.get(path, query=rest.split("#")[0])

    assert older.status == 200
    assert "The older one." in older.html and "The newer one." not in older.html
    assert "from 2 reviews" in text_of(older)
    assert ">Newest reviews</a>" in older.html and ">More reviews</a>" not in older.html
    assert '<meta name="robots" content="noindex">' in older.html
    assert browser.get(PRODUCT, query="reviews=not-a-cursor").status == 400


def test_related_products_come_from_the_same_category_without_the_product_itself(seeded: Cloud) -> None:
    page = Browser(seeded).get(PRODUCT)

    related = page.html.split('id="related-heading"')[1]
    slugs = re.findall(rf'href="/shop/{STORE}/products/([a-z0-9-]+)"', related)
    assert set(slugs) == {"frost-sabre", "moonlit-rapier"}


def test_a_sold_out_product_cannot_be_added_and_offers_the_back_in_stock_signup(seeded: Cloud) -> None:
    page = Browser(seeded).get(SOLD_OUT)

    assert page.status == 200
    text = text_of(page)
    assert "Out of stock" in text
    assert re.search(r'<button type="submit" class="add" disabled>Sold out</button>', page.html)
    assert "Email me when it is back" in text
    assert f'action="/shop/{STORE}/products/moonlit-rapier/back-in-stock#back-in-stock"' in page.html
    assert "No picture yet" in text


def test_signing_up_for_back_in_stock_stores_the_email_and_says_so(seeded: Cloud) -> None:
    browser = Browser(seeded)
    token = browser.get(SOLD_OUT).csrf()

    page = browser.post(f"{SOLD_OUT}/back-in-stock", {"csrf": token, "variant": "default", "email": "Ann@Example.com"})

    assert page.status == 200
    assert "We will email ann@example.com once it is back in stock" in text_of(page)
    assert subscribers(seeded, "moonlit-rapier", "default") == ["ann@example.com"]


def test_a_back_in_stock_signup_without_the_csrf_token_is_refused_and_stores_nothing(seeded: Cloud) -> None:
    browser = Browser(seeded)
    browser.get(SOLD_OUT)

    missing = browser.post(f"{SOLD_OUT}/back-in-stock", {"variant": "default", "email": "ann@example.com"})
    wrong = browser.post(f"{SOLD_OUT}/back-in-stock", {"csrf": "forged", "variant": "default", "email": "a@b.co"})

    assert (missing.status, wrong.status) == (403, 403)
    assert "This form has expired" in text_of(missing)
    assert subscribers(seeded, "moonlit-rapier", "default") == []


def test_a_bad_email_shows_the_form_again_with_the_error(seeded: Cloud) -> None:
    browser = Browser(seeded)
    token = browser.get(SOLD_OUT).csrf()

    page = browser.post(f"{SOLD_OUT}/back-in-stock", {"csrf": token, "variant": "default", "email": "not-an-email"})

    assert page.status == 400
    assert "Please enter a valid email address." in text_of(page)
    assert 'value="not-an-email" aria-invalid="true"' in page.html
    assert subscribers(seeded, "moonlit-rapier", "default") == []


def test_a_signup_for_a_variant_in_stock_or_unknown_is_refused(seeded: Cloud) -> None:
    browser = Browser(seeded)
    token = browser.get(PRODUCT).csrf()

    in_stock = browser.post(f"{PRODUCT}/back-in-stock", {"csrf": token, "variant": "standard", "email": "a@b.co"})
    unknown = browser.post(f"{PRODUCT}/back-in-stock", {"csrf": token, "variant": "nope", "email": "a@b.co"})

    assert in_stock.status == 409 and "in stock again" in text_of(in_stock)
    assert unknown.status == 404
    assert subscribers(seeded, "ember-longsword", "standard") == []
