"""The owner's daily summary: real orders reach the counters through the SalesAnalytics stream; the next local
morning the owner of a store that opted in gets one email of that day, with the figures the dashboard shows and
the store's branding, however many hourly runs there are; a store that did not opt in, or whose morning has not
come, gets none."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any

import pytest

from nozzly.analytics.domain.calendar import local_day, zone
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.messaging.emails.branding import money
from tests.functional.analytics_helpers import seed_orders
from tests.functional.auth_helpers import SentEmail, outbox
from tests.functional.harness import STORE, Cloud, load_event, seed_store
from tests.functional.order_helpers import place_order
from tests.functional.settings_helpers import profile, saved, settings_call
from tests.functional.test_carts import guest_cart
from tests.functional.test_order_refunds import ADMIN
from tests.functional.test_sales_dashboard import Stream, dashboard
from tests.functional.test_sales_dashboard import stream as stream  # noqa: PLC0414  # the fixture, reused

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER_EMAIL = "owner@mystmere.test"
TZ = "Asia/Tokyo"
HOUR = 3600


def operator(cloud: Cloud, email: str) -> str:
    """An operator account as sign-up leaves it: its sub (the membership of a store's opener carries no email)."""
    pool = cloud.environments["DailySummary"]["OPERATOR_USER_POOL_ID"]
    cognito = cloud.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )
    attributes = cognito.admin_get_user(UserPoolId=pool, Username=email)["UserAttributes"]
    return str(next(a["Value"] for a in attributes if a["Name"] == "sub"))


def join(cloud: Cloud, sub: str, role: str, store: str = STORE, email: str | None = None) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "MF"}
    item |= {"email": email} if email else {}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    owner = operator(cloud, OWNER_EMAIL)
    join(cloud, owner, "owner")
    join(cloud, ADMIN, "admin")
    return cloud


def opt_in(cloud: Cloud, on: bool = True, tz: str = TZ, store: str = STORE) -> None:
    general = settings_call(cloud, "GET", "/general", ADMIN, store=store).body
    change = {k: v for k, v in general.items() if k not in ("updated_by", "updated_at")}
    saved(cloud, "general", change | {"timezone": tz, "daily_summary": on}, ADMIN, store=store)


def brand(cloud: Cloud) -> None:
    branding = settings_call(cloud, "GET", "/branding", ADMIN, store=STORE).body
    change = {"version": branding["version"], "sender_name": "Mystmere Smiths", "reply_to": "care@mystmere.test"}
    saved(cloud, "branding", change | {"brand_colour": "#5a1e8c"}, ADMIN, store=STORE)


def run_at(cloud: Cloud, at: float) -> dict[str, Any]:
    from nozzly.wiring import analytics

    cloud.apply_environment(cloud.environments["DailySummary"])
    return analytics.daily_summary_sender().run(at).as_dict()


def next_morning(minute: int = 5, tz_name: str = TZ) -> float:
    """07:MM in the zone on the local day after today there (the orders' day)."""
    tz = zone(tz_name)
    tomorrow = local_day(time.time(), tz) + timedelta(days=1)
    return datetime.combine(tomorrow, clock(7, minute), tzinfo=tz).timestamp()


def summaries(to: str = OWNER_EMAIL) -> list[SentEmail]:
    return [m for m in outbox(to) if ": your sales on " in m.subject]


def test_the_owner_gets_one_summary_of_yesterday_with_the_dashboards_figures_and_the_stores_branding(
    shop: Cloud, stream: Stream
) -> None:
    opt_in(shop)
    brand(shop)
    place_order(guest_cart(shop))
    place_order(guest_cart(shop), quantity=2)
    stream.drain()
    day = dashboard(shop, ADMIN).body["revenue"]["today"]["current"]  # the orders' day, as the dashboard sums it
    morning = next_morning()

    runs = [run_at(shop, morning), run_at(shop, morning + 60), run_at(shop, morning + HOUR)]

    assert [r["sent"] for r in runs] == [1, 0, 0]
    (email,) = summaries()
    assert email.to == [OWNER_EMAIL]
    assert email.source.startswith("Mystmere Smiths <")  # the store's sender name on the verified address
    assert email.subject.startswith("Mystmere Smiths: your sales on ")
    assert day["orders"] == 2
    assert money(day["net_sales"]["amount"], "EUR") in email.body
    assert f"<strong>{day['orders']}</strong>" in email.body
    assert money(day["average_order_value"]["amount"], "EUR") in email.body
    assert "Ember Longsword: 3 sold" in email.body and "#5a1e8c" in email.body
    claim = shop.item("AnalyticsTable", STORE, f"SUMMARY#{local_day(morning - 86400, zone(TZ)).isoformat()}")
    assert claim is not None and from_item(claim)["status"] == "sent" and from_item(claim)["to"] == OWNER_EMAIL


def test_nothing_is_sent_before_the_stores_morning_and_the_first_run_after_07_00_sends(shop: Cloud) -> None:
    opt_in(shop)
    morning = next_morning(minute=0)

    early = [run_at(shop, morning - 2 * HOUR), run_at(shop, morning - 60)]  # 05:00 and 06:59 in Tokyo

    assert [r["sent"] for r in early] == [0, 0] and summaries() == []
    assert run_at(shop, morning)["sent"] == 1
    assert "<strong>0.00 EUR</strong>" in summaries()[0].body  # a day without sales still gets its summary


def test_each_store_is_sent_its_summary_in_its_own_morning(shop: Cloud) -> None:
    profile(shop, "jade-lantern", "Jade Lantern")
    join(shop, ADMIN, "admin", store="jade-lantern")
    join(shop, "jade-owner", "owner", store="jade-lantern", email="owner@jade.test")  # the membership's own email
    opt_in(shop)
    opt_in(shop, tz="Asia/Shanghai", store="jade-lantern")  # an hour behind Tokyo
    tokyo = next_morning()

    first = run_at(shop, tokyo)  # 07:05 in Tokyo, 06:05 in Shanghai
    second = run_at(shop, tokyo + HOUR)  # 08:05 and 07:05

    assert (first["sent"], second["sent"]) == (1, 1)
    assert len(summaries()) == 1 and len(summaries("owner@jade.test")) == 1
    assert summaries("owner@jade.test")[0].subject.startswith("Jade Lantern: your sales on ")


def test_what_needs_attention_is_the_dashboards_list_at_the_time_of_sending(shop: Cloud) -> None:
    from nozzly.wiring import analytics

    opt_in(shop, tz="UTC")
    seed_orders(shop, 4)  # paid ones a day and three days old, still unshipped; a day's counters each of 60 days
    morning = next_morning(tz_name="UTC")

    assert run_at(shop, morning)["sent"] == 1

    (email,) = summaries()
    expected = [a for a in analytics.dashboard().attention(STORE, int(morning)) if a.count]
    assert [(a.kind, a.count) for a in expected] == [("orders_unshipped", 2)]
    assert "<strong>2</strong> paid orders not shipped yet" in email.body
    assert all(item.label in email.body for item in expected[0].items)
    assert "<strong>129.00 EUR</strong>" in email.body and "the same as the day before" in email.body
    assert "Ember Longsword: 1 sold" in email.body


def test_a_store_whose_owner_has_no_address_is_settled_for_the_day_without_an_email(shop: Cloud) -> None:
    profile(shop, "jade-lantern", "Jade Lantern")
    join(shop, ADMIN, "admin", store="jade-lantern")
    join(shop, "gone-sub", "owner", store="jade-lantern")  # no email on the membership, no operator account
    opt_in(shop, store="jade-lantern")
    morning = next_morning()

    runs = [run_at(shop, morning), run_at(shop, morning + HOUR)]

    assert [r["sent"] for r in runs] == [0, 0] and outbox() == []
    claims = [from_item(i) for i in shop.all_items("AnalyticsTable") if i["sk"]["S"].startswith("SUMMARY#")]
    assert [(c["pk"], c["status"]) for c in claims] == [("jade-lantern", "skipped")]  # not looked up again hourly


def test_a_store_that_did_not_opt_in_gets_no_summary(shop: Cloud, stream: Stream) -> None:
    opt_in(shop, on=False)
    place_order(guest_cart(shop))
    stream.drain()

    assert run_at(shop, next_morning())["sent"] == 0
    assert summaries() == []
    assert [i for i in shop.all_items("AnalyticsTable") if i["sk"]["S"].startswith("SUMMARY#")] == []


def test_a_failed_send_gives_the_day_back_to_the_next_hourly_run(shop: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    from nozzly.messaging.adapters.email import Mailer

    opt_in(shop)
    morning = next_morning()
    real_send = Mailer.send

    def refuse(self: Mailer, to: str, email: Any) -> str:
        raise RuntimeError("SES throttled")

    monkeypatch.setattr(Mailer, "send", refuse)
    assert run_at(shop, morning)["failed"] == 1
    monkeypatch.setattr(Mailer, "send", real_send)

    assert run_at(shop, morning + HOUR)["sent"] == 1
    assert len(summaries()) == 1


def test_the_scheduled_function_runs_from_the_template(shop: Cloud) -> None:
    opt_in(shop, on=False)

    report = shop.invoke("DailySummary", load_event("daily_summary_scheduled.json"))

    assert report == {"sent": 0, "skipped": 1, "failed": 0, "complete": True}
