"""The daily summary: which local day is due at a given instant (zones either side of UTC, DST days) and what
the email says (integer minor units shown as the other emails show money, the store's branding)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nozzly.analytics.domain.calendar import zone
from nozzly.analytics.domain.daily_summary import daily_summary, summarised_day
from nozzly.analytics.domain.dashboard import Attention, AttentionItem
from nozzly.analytics.domain.sales_figures import DayFigures
from nozzly.analytics.emails.daily_summary import TEMPLATE
from nozzly.analytics.emails.daily_summary import daily_summary as summary_context
from nozzly.catalog.domain.catalog import Store
from nozzly.messaging.emails.render import render

DAY = date(2026, 12, 2)
STORE = Store(store_id="lantern-loom", name="Lantern & Loom", currency="EUR", country="DE")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("utc", "tz", "due"),
    [
        ("2026-12-03T05:59:59", "Europe/Berlin", None),  # 06:59 in Berlin
        ("2026-12-03T06:00:00", "Europe/Berlin", date(2026, 12, 2)),  # 07:00
        ("2026-12-03T22:59:00", "Europe/Berlin", date(2026, 12, 2)),  # 23:59: still due, for a run that failed
        ("2026-12-03T23:00:00", "Europe/Berlin", None),  # midnight: the next day, not its morning yet
        ("2026-12-02T17:59:00", "Pacific/Auckland", None),  # 06:59 on 3 December (UTC+13): UTC is a day behind
        ("2026-12-02T18:00:00", "Pacific/Auckland", date(2026, 12, 2)),
        ("2026-12-03T06:00:00", "America/Los_Angeles", date(2026, 12, 1)),  # 22:00 on 2 December
        ("2026-12-03T08:00:00", "America/Los_Angeles", None),  # 00:00 on 3 December
        ("2026-12-03T15:00:00", "America/Los_Angeles", date(2026, 12, 2)),
        ("2026-12-03T01:29:00", "Asia/Kolkata", None),  # 06:59 (UTC+05:30)
        ("2026-12-03T01:30:00", "Asia/Kolkata", date(2026, 12, 2)),
        ("2026-12-03T06:59:00", "UTC", None),
        ("2026-12-03T07:00:00", "UTC", date(2026, 12, 2)),
        ("2026-12-03T07:00:00", "Nowhere/Atlantis", date(2026, 12, 2)),  # an unknown zone is read as UTC
    ],
)
def test_the_summary_of_yesterday_is_due_from_07_00_local_until_local_midnight(
    utc: str, tz: str, due: date | None
) -> None:
    assert summarised_day(at(utc), zone(tz)) == due


@pytest.mark.parametrize(
    ("utc", "due"),
    [
        ("2026-03-29T04:59:00", None),  # 06:59 CEST: clocks went forward at 02:00, 07:00 is an hour earlier in UTC
        ("2026-03-29T05:00:00", date(2026, 3, 28)),
        ("2026-10-25T05:59:00", None),  # 06:59 CET: clocks went back at 03:00, 07:00 is an hour later in UTC
        ("2026-10-25T06:00:00", date(2026, 10, 24)),
    ],
)
def test_on_dst_days_the_summary_follows_the_stores_wall_clock(utc: str, due: date | None) -> None:
    assert summarised_day(at(utc), zone("Europe/Berlin")) == due


def figures() -> list[DayFigures]:
    variants = {
        ("ember-longsword", "standard"): (3, 38700),
        ("ember-longsword", "gilded"): (1, 14400),
        ("oak-shield", "standard"): (5, 20000),
        ("iron-helm", "standard"): (2, 9000),
        ("wool-cloak", "standard"): (1, 41665),
    }
    yesterday = DayFigures(DAY, orders=4, units=12, gross=123765, refunds=2500, voided=0, variants=variants)
    before = DayFigures(date(2026, 12, 1), orders=2, gross=100000, refunds=1000)
    return [before, yesterday]


def attention() -> list[Attention]:
    order = AttentionItem(ref="o1", label="Order #1001 (ada@example.com) paid, not shipped after 24 h", at=1)
    return [
        Attention("orders_unshipped", 50, True, (order,), "/admin/stores/lantern-loom/orders"),
        Attention("cash_orders_unpaid", 0, False, (), "/admin/stores/lantern-loom/orders"),
        Attention("reviews_pending", 2, False, (), "/admin/stores/lantern-loom/reviews"),
    ]


def test_the_summary_adds_up_yesterday_against_the_day_before() -> None:
    summary = daily_summary(DAY, "EUR", figures(), attention())

    assert (summary.net, summary.orders, summary.refunds) == (121265, 4, 2500)
    assert summary.average_order == 30941  # 1237.65 / 4 = 309.4125, rounded half up to the cent
    assert summary.change_percent == 22.5  # 1212.65 against 990.00
    assert [(p.product, p.units) for p in summary.top] == [("oak-shield", 5), ("ember-longsword", 4), ("iron-helm", 2)]
    assert [a.kind for a in summary.attention] == ["orders_unshipped", "reviews_pending"]  # nothing to do: left out


def test_a_quiet_day_after_a_quiet_day_has_no_change_no_top_sellers_and_no_average() -> None:
    summary = daily_summary(DAY, "EUR", [], [])

    assert (summary.net, summary.orders, summary.average_order, summary.change_percent) == (0, 0, 0, None)
    assert summary.top == () and summary.attention == ()


def test_the_email_shows_money_as_other_emails_do_with_the_stores_branding() -> None:
    summary = daily_summary(DAY, "EUR", figures(), attention())
    settings = {
        "sender_name": "Lantern Team",
        "reply_to": "care@lantern.example",
        "brand_colour": "#aa3300",
        "logo_url": "https://img.example/logo.png",
    }

    email = render(TEMPLATE, summary_context(summary, STORE, settings, {"oak-shield": "Oak Shield"}))

    assert email.subject == "Lantern Team: your sales on Wednesday 2 December 2026"
    assert (email.sender_name, email.reply_to) == ("Lantern Team", "care@lantern.example")
    assert "Net sales: 1212.65 EUR (+22.5% on the day before)" in email.text
    assert "Orders: 4\nAverage order: 309.41 EUR\nRefunds: 25.00 EUR" in email.text
    assert "- Oak Shield: 5 sold, 200.00 EUR" in email.text
    assert "- ember-longsword: 4 sold, 531.00 EUR" in email.text  # a product without a title shows its slug
    assert "- 50+ paid orders not shipped yet" in email.text and "- 2 reviews waiting for moderation" in email.text
    assert "Order #1001 (ada@example.com)" in email.text
    assert "#aa3300" in email.html and 'src="https://img.example/logo.png"' in email.html
    assert "1212.65 EUR" in email.html


def test_a_zero_decimal_currency_and_a_fall_read_plainly() -> None:
    before = DayFigures(date(2026, 12, 1), orders=1, gross=20000)
    yesterday = DayFigures(DAY, orders=1, gross=15000)
    summary = daily_summary(DAY, "JPY", [before, yesterday], [])

    email = render(TEMPLATE, summary_context(summary, STORE, None, {}))

    assert "Net sales: 15000 JPY (-25.0% on the day before)" in email.text
    assert "Nothing needs your attention." in email.text
    assert email.sender_name == "Lantern & Loom" and email.reply_to is None
    assert "Lantern &amp; Loom" in email.html  # the store's name, escaped, where no logo is set
