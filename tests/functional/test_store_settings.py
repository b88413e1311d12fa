"""Store settings through the StoreSettings handler under moto: versions, history, access, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.harness import TINY_PNG, Cloud, concurrently
from tests.functional.settings_helpers import (
    ADMIN,
    OWNER,
    SHOP,
    SHOP_NAME,
    STAFF,
    STRANGER,
    saved,
    settings_call,
    team,
)

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
GENERAL = {
    "version": 0,
    "display_name": "  Lantern   & Loom Berlin ",
    "contact_email": "Hello@Lantern.example",
    "support_phone": "+49 30 123-456",
    "storefront_url": "https://shop.lantern.example/",
    "default_language": "de-de",
    "timezone": "Europe/Berlin",
    "weight_unit": "g",
    "order_number_prefix": "ll-",
}
BRANDING = {"version": 0, "sender_name": "Lantern Team", "reply_to": "care@lantern.example", "brand_colour": "#AA3300"}
TAX: dict[str, Any] = {
    "version": 0,
    "prices_include_tax": True,
    "category_classes": {"books": "reduced"},
    "zones": [{"name": "Germany", "countries": ["de"], "standard_bp": 1900, "reduced_bp": 700}],
}
DHL: dict[str, Any] = {"id": "standard", "name": "DHL", "kind": "flat", "days_min": 1, "days_max": 3, "price": 490}
SHIPPING: dict[str, Any] = {"version": 0, "zones": [{"name": "Domestic", "countries": ["DE"], "methods": [DHL]}]}
BODIES = {"general": GENERAL, "branding": BRANDING, "tax": TAX, "shipping": SHIPPING}


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    team(cloud)
    return cloud


def log_keys(cloud: Cloud, section: str) -> list[str]:
    prefix = f"SETTINGS_LOG#{section}#"
    return [
        i["sk"]["S"] for i in cloud.all_items("StoresTable") if i["pk"]["S"] == SHOP and i["sk"]["S"].startswith(prefix)
    ]


def test_a_store_never_saved_shows_defaults_from_its_name_at_version_0(shop: Cloud) -> None:
    response = settings_call(shop, "GET")

    assert response.status == 200, response.body
    general, branding = response.body["general"], response.body["branding"]
    assert general["version"] == 0 and general["display_name"] == SHOP_NAME and general["timezone"] == "UTC"
    assert general["updated_by"] is None and general["order_number_prefix"] == ""
    assert branding == {
        "version": 0, "updated_by": None, "updated_at": None, "sender_name": SHOP_NAME, "reply_to": None,
        "brand_colour": "#2d6a4f", "logo": None, "logo_url": None,
    }  # fmt: skip


def test_a_change_is_normalised_versioned_logged_and_read_back(shop: Cloud) -> None:
    first = saved(shop, "general", GENERAL)
    second = saved(shop, "general", GENERAL | {"version": 1, "weight_unit": "kg"}, sub=ADMIN)

    read = settings_call(shop, "GET", "/general")
    assert first["version"] == 1 and second["version"] == 2
    assert read.status == 200 and read.body == second and read.headers["etag"] == '"2"'
    assert read.body | {"updated_at": None} == {
        "version": 2, "updated_by": ADMIN, "updated_at": None, "display_name": "Lantern & Loom Berlin",
        "contact_email": "hello@lantern.example", "support_phone": "+4930123456",
        "storefront_url": "https://shop.lantern.example", "default_language": "de-DE", "timezone": "Europe/Berlin",
        "weight_unit": "kg", "order_number_prefix": "LL-", "daily_summary": False, "legal_name": None,
        "legal_address": None, "tax_id": None, "invoice_prefix": "",
    }  # fmt: skip
    assert log_keys(shop, "general") == ["SETTINGS_LOG#general#0000000001", "SETTINGS_LOG#general#0000000002"]


def test_history_is_newest_first_with_who_and_what_and_pages_by_cursor(shop: Cloud) -> None:
    for version, unit in enumerate(("g", "lb", "oz")):
        saved(shop, "general", GENERAL | {"version": version, "weight_unit": unit}, sub=(OWNER, ADMIN, OWNER)[version])

    page = settings_call(shop, "GET", "/general/history", limit="2")
    rest = settings_call(shop, "GET", "/general/history", limit="2", cursor=page.body["next_cursor"])

    assert page.status == 200 and rest.status == 200, (page.body, rest.body)
    items = page.body["items"] + rest.body["items"]
    assert [(i["version"], i["updated_by"], i["settings"]["weight_unit"]) for i in items] == [
        (3, OWNER, "oz"), (2, ADMIN, "lb"), (1, OWNER, "g"),
    ]  # fmt: skip
    assert rest.body["next_cursor"] is None
    assert all(i["updated_at"].endswith("Z") for i in items)


def test_a_cursor_of_another_sections_history_is_400(shop: Cloud) -> None:
    saved(shop, "general", GENERAL)
    saved(shop, "general", GENERAL | {"version": 1})
    cursor = settings_call(shop, "GET", "/general/history", limit="1").body["next_cursor"]

    response = settings_call(shop, "GET", "/branding/history", cursor=cursor)

    assert response.status == 400 and response.body["error"]["fields"][0]["field"] == "cursor"


def test_a_stale_version_is_409_and_changes_nothing(shop: Cloud) -> None:
    saved(shop, "branding", BRANDING)

    stale = settings_call(shop, "PUT", "/branding", OWNER, BRANDING | {"sender_name": "Someone else"})

    assert stale.status == 409 and stale.body["error"]["code"] == "version_conflict", stale.body
    assert stale.body["error"]["fields"][0]["field"] == "version"
    assert settings_call(shop, "GET", "/branding").body["sender_name"] == "Lantern Team"
    assert log_keys(shop, "branding") == ["SETTINGS_LOG#branding#0000000001"]


@pytest.mark.parametrize("version", [0, 3])
def test_two_changes_from_one_read_give_one_success_one_409_and_one_log_entry(shop: Cloud, version: int) -> None:
    for v in range(version):
        saved(shop, "branding", BRANDING | {"version": v})
    before = log_keys(shop, "branding")

    responses = concurrently(
        [
            lambda: settings_call(shop, "PUT", "/branding", OWNER, BRANDING | {"version": version, "sender_name": "A"}),
            lambda: settings_call(shop, "PUT", "/branding", ADMIN, BRANDING | {"version": version, "sender_name": "B"}),
        ]
    )

    assert sorted(r.status for r in responses) == [200, 409], [r.body for r in responses]
    winner = next(r for r in responses if r.status == 200)
    loser = next(r for r in responses if r.status == 409)
    assert loser.body["error"]["code"] == "version_conflict"
    assert settings_call(shop, "GET", "/branding").body["sender_name"] == winner.body["sender_name"]
    assert log_keys(shop, "branding") == [*before, f"SETTINGS_LOG#branding#{version + 1:010d}"]


@pytest.mark.parametrize(
    ("section", "change", "field"),
    [
        ("general", {"storefront_url": "http://shop.example"}, "storefront_url"),
        ("general", {"storefront_url": "javascript:alert(1)"}, "storefront_url"),
        ("general", {"storefront_url": "https://shop.example/?a=1"}, "storefront_url"),
        ("general", {"timezone": "Mars/Olympus"}, "timezone"),
        ("general", {"timezone": "../../etc/passwd"}, "timezone"),
        ("general", {"default_language": "xx-YY"}, "default_language"),
        ("general", {"weight_unit": "stone"}, "weight_unit"),
        ("general", {"order_number_prefix": "L L"}, "order_number_prefix"),
        ("general", {"order_number_prefix": "TOOLONGPREFIX"}, "order_number_prefix"),
        ("general", {"daily_summary": "yes"}, "daily_summary"),
        ("general", {"contact_email": "not-an-email"}, "contact_email"),
        ("general", {"support_phone": "call me"}, "support_phone"),
        ("general", {"display_name": "   "}, "display_name"),
        ("general", {"version": -1}, "version"),
        ("general", {"version": "1"}, "version"),
        ("general", {"colour": "#000000"}, "colour"),
        ("branding", {"brand_colour": "red"}, "brand_colour"),
        ("branding", {"reply_to": "nobody"}, "reply_to"),
        ("branding", {"sender_name": 'Evil" <x@y.z>'}, "sender_name"),
        ("branding", {"logo": "branding/other-shop/logo/" + "a" * 32 + ".png"}, "logo"),
        ("branding", {"logo": "branding/lantern-loom/logo/" + "a" * 32 + ".png"}, "logo"),
        ("tax", {"zones": [TAX["zones"][0] | {"standard_bp": 19000}]}, "zones.0.standard_bp"),
        ("tax", {"zones": [TAX["zones"][0] | {"countries": ["DEU"]}]}, "zones.0.countries.0"),
        ("tax", {"zones": [TAX["zones"][0] | {"countries": []}]}, "zones.0.countries"),
        ("tax", {"zones": [TAX["zones"][0], TAX["zones"][0] | {"name": "GERMANY"}]}, "zones"),
        ("tax", {"category_classes": {"books": "super-reduced"}}, "category_classes.books"),
        ("tax", {"rounding": "per_cent"}, "rounding"),
        ("shipping", {"zones": [{"name": "Domestic", "countries": ["DE"], "methods": []}]}, "zones.0.methods"),
        (
            "shipping",
            {"zones": [{"name": "D", "countries": ["DE"], "methods": [DHL | {"days_min": 5}]}]},
            "methods.days_min",
        ),
        (
            "shipping",
            {"zones": [{"name": "D", "countries": ["DE"], "methods": [DHL | {"kind": "weight"}]}]},
            "methods.bands",
        ),
        (
            "shipping",
            {"zones": [{"name": "D", "countries": ["DE"], "methods": [DHL | {"price": -1}]}]},
            "zones.0.methods.0.price",
        ),
        ("shipping", {"zones": [{"name": "D", "countries": ["DE"], "methods": [DHL, DHL]}]}, "zones.methods"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_nothing_is_saved(
    shop: Cloud, section: str, change: dict[str, Any], field: str
) -> None:
    body = BODIES[section] | change

    response = settings_call(shop, "PUT", f"/{section}", OWNER, body)

    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"] == field, response.body
    assert log_keys(shop, section) == []


def test_http_is_allowed_for_a_storefront_on_localhost(shop: Cloud) -> None:
    body = saved(shop, "general", GENERAL | {"storefront_url": "http://localhost:5173"})

    assert body["storefront_url"] == "http://localhost:5173"


def test_an_unknown_section_is_not_a_route(shop: Cloud) -> None:
    assert settings_call(shop, "GET", "/payments-and-stuff").status == 404


ROUTES = [
    ("GET", "", None),
    ("GET", "/general", None),
    ("PUT", "/general", GENERAL),
    ("GET", "/general/history", None),
    ("GET", "/branding", None),
    ("PUT", "/branding", BRANDING),
    ("GET", "/branding/history", None),
    ("POST", "/branding/logo", {"content_type": "image/png"}),
    ("GET", "/tax", None),
    ("PUT", "/tax", TAX),
    ("GET", "/tax/history", None),
    ("GET", "/shipping", None),
    ("PUT", "/shipping", SHIPPING),
    ("GET", "/shipping/history", None),
]


@pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
def test_every_route_lets_the_owner_and_an_admin_in_refuses_staff_strangers_and_no_token(
    shop: Cloud, method: str, tail: str, body: Any
) -> None:
    owner = settings_call(shop, method, tail, OWNER, body)
    admin = settings_call(shop, method, tail, ADMIN, body if method != "PUT" else body | {"version": 1})
    staff = settings_call(shop, method, tail, STAFF, body)
    stranger = settings_call(shop, method, tail, STRANGER, body)
    anonymous = settings_call(shop, method, tail, None, body)

    assert owner.status in (200, 201) and admin.status in (200, 201), (owner.body, admin.body)
    assert staff.status == 403 and staff.body["error"]["code"] == "forbidden", staff.body
    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store", stranger.body
    assert anonymous.status == 401, anonymous.body
    if method == "PUT":
        assert settings_call(shop, "GET", tail).body["version"] == 2  # staff's and the stranger's wrote nothing


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html>not an image</html>", "not a PNG, JPEG, WebP or GIF"),
        (TINY_PNG[:40], "damaged or incomplete"),
        (b"\xff\xd8\xff" + b"\0" * 64, "damaged or incomplete"),
    ],
)
def test_a_logo_file_that_is_not_a_whole_image_of_its_type_is_400_and_not_saved(
    shop: Cloud, data: bytes, reason: str
) -> None:
    link = settings_call(shop, "POST", "/branding/logo", OWNER, {"content_type": "image/png"})
    shop.client("s3").put_object(Bucket=shop.bucket, Key=link.body["fields"]["key"], Body=data)

    response = settings_call(shop, "PUT", "/branding", OWNER, BRANDING | {"logo": link.body["logo"]})

    assert response.status == 400 and response.body["error"]["fields"][0]["field"] == "logo", response.body
    assert reason in response.body["error"]["fields"][0]["message"]
    assert log_keys(shop, "branding") == []


def test_an_uploaded_logo_is_saved_and_shown_with_a_signed_link(shop: Cloud) -> None:
    link = settings_call(shop, "POST", "/branding/logo", OWNER, {"content_type": "image/png"})
    assert link.status == 201 and link.headers["cache-control"] == "no-store", link.body
    assert link.body["logo"].startswith(f"branding/{SHOP}/logo/") and link.body["fields"]["Content-Type"] == "image/png"
    shop.client("s3").put_object(Bucket=shop.bucket, Key=link.body["fields"]["key"], Body=TINY_PNG)

    body = saved(shop, "branding", BRANDING | {"logo": link.body["logo"]})

    assert body["logo"] == link.body["logo"] and link.body["logo"] in body["logo_url"]


def test_an_if_match_must_name_the_bodys_version(shop: Cloud) -> None:
    from tests.functional.auth_helpers import api_event
    from tests.functional.store_helpers import claims

    def put(if_match: str, version: int) -> Any:
        event = api_event(
            "PUT /admin/stores/{store}/settings/general",
            path_parameters={"store": SHOP},
            body=GENERAL | {"version": version},
            headers={"if-match": if_match},
            claims=claims(OWNER),
        )
        return shop.http("StoreSettings", event)

    refused = put('"1"', 0)
    accepted = put('"0"', 0)

    assert refused.status == 400 and refused.body["error"]["fields"][0]["field"] == "If-Match", refused.body
    assert accepted.status == 200 and accepted.headers["etag"] == '"1"', accepted.body


def test_tax_and_shipping_rules_are_saved_normalised_with_the_stores_defaults_before(shop: Cloud) -> None:
    before = settings_call(shop, "GET").body
    assert before["tax"]["version"] == 0 and before["tax"]["zones"][0]["countries"] == ["DE"]
    assert before["tax"]["zones"][0]["standard_bp"] == 1900 and before["tax"]["prices_include_tax"] is False
    (domestic,) = before["shipping"]["zones"]
    assert [(m["id"], m["price"]) for m in domestic["methods"]] == [("standard", 490), ("express", 1490)]

    tax = saved(shop, "tax", TAX)
    shipping = saved(shop, "shipping", SHIPPING)

    assert tax["version"] == 1 and tax["zones"][0]["countries"] == ["DE"]  # upper-cased
    assert tax["prices_include_tax"] is True and tax["category_classes"] == {"books": "reduced"}
    assert shipping["zones"][0]["methods"][0] | {"bands": [], "free_from": None} == DHL | {
        "bands": [],
        "free_from": None,
    }
    assert [
        entry["settings"]["prices_include_tax"] for entry in settings_call(shop, "GET", "/tax/history").body["items"]
    ] == [True]
