"""Email flows through the EmailFlows handler under moto: defaults, changes, bounds, placeholders, access."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.settings_helpers import ADMIN, OWNER, SHOP, SHOP_NAME, STAFF, STRANGER, team
from tests.functional.store_helpers import claims

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
BASE = "/admin/stores/{store}/email-flows"


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    team(cloud)
    return cloud


def flows_call(
    cloud: Cloud, method: str, flow: str | None = None, body: Any = None, *, sub: str | None = OWNER, tail: str = ""
) -> HttpResponse:
    path = BASE + ("/{flow}" + tail if flow else "")
    params = {"store": SHOP} | ({"flow": flow} if flow else {})
    event = api_event(f"{method} {path}", path_parameters=params, body=body, claims=claims(sub) if sub else None)
    return cloud.http("EmailFlows", event)


def flow_items(cloud: Cloud) -> list[str]:
    return [
        i["sk"]["S"] for i in cloud.all_items("StoresTable") if i["pk"]["S"] == SHOP and "email_flows" in i["sk"]["S"]
    ]


def test_a_store_that_never_saved_its_flows_has_todays_behaviour(shop: Cloud) -> None:
    response = flows_call(shop, "GET")

    assert response.status == 200, response.body
    flows = {f["key"]: f for f in response.body["flows"]}
    assert response.body["version"] == 0
    assert set(flows) >= {"welcome", "abandoned_cart_1h", "abandoned_cart_24h", "abandoned_cart_72h"}
    assert set(flows) >= {"order_confirmation", "order_shipped", "order_delivered", "review_request"}
    assert set(flows) >= {"back_in_stock", "win_back"}
    assert [flows[f"abandoned_cart_{h}h"]["delay"] for h in (1, 24, 72)] == [1, 24, 72]
    assert flows["abandoned_cart_1h"]["enabled"] and flows["abandoned_cart_1h"]["marketing"]
    assert flows["abandoned_cart_1h"]["intro"] == "You left something in your cart."
    assert flows["review_request"]["delay"] == 7 and flows["review_request"]["delay_unit"] == "days"
    assert not flows["win_back"]["enabled"]  # nobody got a win-back before
    assert not flows["order_confirmation"]["marketing"]
    assert all(f["sent"] == 0 for f in flows.values())


def test_a_change_is_versioned_and_kept_with_the_other_flows_defaults(shop: Cloud) -> None:
    off = flows_call(shop, "PATCH", "abandoned_cart_1h", {"version": 0, "enabled": False, "delay": 3})
    assert off.status == 200, off.body
    assert off.body["version"] == 1 and off.body["enabled"] is False and off.body["delay"] == 3
    words = {"version": 1, "subject": "Hi {first_name}, {store_name} kept your cart", "intro": "Still there."}
    assert flows_call(shop, "PATCH", "abandoned_cart_24h", words).status == 200

    read = flows_call(shop, "GET", "abandoned_cart_1h")
    other = flows_call(shop, "GET", "abandoned_cart_24h")
    assert read.body["enabled"] is False and read.body["delay"] == 3 and read.body["version"] == 2
    assert other.body["subject"] == words["subject"] and other.body["delay"] == 24
    assert len([k for k in flow_items(shop) if k.startswith("SETTINGS_LOG#")]) == 2  # each version logged


def test_a_change_from_an_old_version_is_a_409_and_changes_nothing(shop: Cloud) -> None:
    assert flows_call(shop, "PATCH", "welcome", {"version": 0, "enabled": False}).status == 200

    stale = flows_call(shop, "PATCH", "welcome", {"version": 0, "subject": "Hello"})

    assert stale.status == 409, stale.body
    assert flows_call(shop, "GET", "welcome").body["subject"] == "Welcome to {store_name}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 0, "delay": 0}, "delay"),  # below the 1 h floor
        ({"version": 0, "delay": 7}, "delay"),  # past 6 h it would run into the second reminder
        ({"version": 0, "subject": "Hi {order_total}"}, "subject"),  # not a placeholder of this flow
        ({"version": 0, "subject": "Hi {store_name.__class__}"}, "subject"),  # no attribute access
        ({"version": 0, "intro": "{first_name!r} hi"}, "intro"),  # no conversions
        ({"version": 0, "intro": "a lone { brace"}, "intro"),
        ({"version": 0, "enabled": "yes"}, None),
        ({"version": 0, "colour": "red"}, None),
    ],
)
def test_bad_changes_are_400_and_change_nothing(shop: Cloud, body: dict[str, Any], field: str | None) -> None:
    response = flows_call(shop, "PATCH", "abandoned_cart_1h", body)

    assert response.status in (400, 422), response.body
    if field:
        assert field in str(response.body)
    assert flow_items(shop) == []


def test_a_flow_without_a_delay_refuses_one(shop: Cloud) -> None:
    response = flows_call(shop, "PATCH", "order_shipped", {"version": 0, "delay": 2})
    assert response.status == 400 and "delay" in str(response.body)


def test_preview_fills_the_placeholders_with_sample_data_and_saves_nothing(shop: Cloud) -> None:
    draft = {"subject": "{first_name}, your {store_name} order #{order_number}", "intro": "Thanks {first_name}!"}

    response = flows_call(shop, "POST", "order_confirmation", draft, tail="/preview")

    assert response.status == 200, response.body
    assert response.body["subject"] == f"Alex, your {SHOP_NAME} order #1001"
    assert response.body["intro"] == "Thanks Alex!"
    assert flow_items(shop) == []
    saved = flows_call(shop, "POST", "abandoned_cart_72h", {}, tail="/preview")
    assert saved.body["subject"] == f"Still thinking it over? Your {SHOP_NAME} cart"
    bad = flows_call(shop, "POST", "welcome", {"subject": "{order_number}"}, tail="/preview")
    assert bad.status == 400 and "order_number" in str(bad.body)


def test_only_admins_and_the_owner_of_this_store_manage_flows(shop: Cloud) -> None:
    assert flows_call(shop, "GET", sub=ADMIN).status == 200
    assert flows_call(shop, "GET", sub=STAFF).status == 403
    assert flows_call(shop, "GET", sub=STRANGER).status in (403, 404)
    assert flows_call(shop, "GET", sub=None).status == 401
    assert flows_call(shop, "PATCH", "welcome", {"version": 0, "enabled": False}, sub=STAFF).status == 403
    assert flow_items(shop) == []


def test_an_unknown_flow_is_a_404(shop: Cloud) -> None:
    assert flows_call(shop, "GET", "newsletter").status == 404
    assert flows_call(shop, "PATCH", "newsletter", {"version": 0, "enabled": False}).status == 404
