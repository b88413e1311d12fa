"""Every transactional email renders from its templates with a realistic context: subject, key facts, escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from nozzly.accounts.emails import accounts
from nozzly.accounts.services import account_emails
from nozzly.analytics.domain.daily_summary import daily_summary
from nozzly.analytics.domain.sales_figures import DayFigures
from nozzly.analytics.emails.daily_summary import daily_summary as summary_context
from nozzly.billing.domain.accounts import BillingAccount, BillingStatus, new_trial, payment_failed
from nozzly.billing.domain.subscriptions import Notice
from nozzly.billing.emails.notices import billing_notice
from nozzly.catalog.domain.catalog import Store
from nozzly.catalog.emails import stock
from nozzly.kernel.domain.money import Money
from nozzly.messaging.domain.outgoing_email import OutgoingEmail
from nozzly.messaging.emails.render import TEMPLATES, render
from nozzly.orders.emails import orders
from nozzly.orders.emails.review_request import review_request
from nozzly.orders.emails.win_back import win_back
from nozzly.research.domain.candidates import Candidate
from nozzly.research.domain.results import AiStatus, ResearchResult
from nozzly.research.domain.scoring import Score
from nozzly.research.domain.verdicts import Verdict
from nozzly.research.emails.daily_report import daily_report
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner
from nozzly.sales.emails import carts
from nozzly.webhooks.domain.endpoints import Endpoint
from nozzly.webhooks.emails.endpoint_disabled import endpoint_disabled

EVIL = "<b>Bad & Co</b>"
STORE = Store(store_id="bad-co", name=EVIL, currency="EUR", country="DE")
SETTINGS = {
    "brand_colour": "#aa3300",
    "logo_url": "https://cdn.example/logo.png",
    "storefront_url": "https://shop.example",
}
OPTOUT = "https://shop.example/reminders/opt-out"
BACK = "https://shop.example/cart/recover"
REVIEW = "https://shop.example/account/orders/o1?review=ember-longsword#review"
ORDER: dict[str, Any] = {
    "number": 1042,
    "currency": "EUR",
    "email": "sam@example.com",
    "payment_method": "card",
    "payment_state": "paid",
    "totals": {"subtotal": 25800, "discount": 0, "shipping": 490, "tax": 0, "total": 26290},
    "lines": [{"quantity": 2, "title": "Ember <Longsword>", "variant_title": "Gilded hilt", "unit_price": 12900}],
}
ALERT = {
    "store_id": "bad-co", "product": "ember-longsword", "variant": "v1", "title": "Ember <Longsword>",
    "variant_title": "Gilded hilt", "sku": "EMB-1", "available": 2, "threshold": 3,
}  # fmt: skip
CART = Cart(
    store_id="bad-co",
    owner=CartOwner.GUEST,
    owner_id="s1",
    currency="EUR",
    lines=(CartLine("v1", "ember-longsword", "EMB-1", "Ember <Longsword>", "Gilded hilt", 2, Money(12900, "EUR"), 0),),
    updated_at=1,
    expires_at=2,
    version=3,
)

SUMMARY = daily_summary(
    date(2026, 12, 2),
    "EUR",
    [DayFigures(date(2026, 12, 2), orders=2, gross=25800, variants={("ember-longsword", "v1"): (2, 25800)})],
    [],
)


def researched(rank: int, title: str, total: int, verdict: Verdict | None, status: AiStatus) -> ResearchResult:
    cost, shipping = Money(1000, "EUR"), Money(250, "EUR")
    candidate = Candidate("csv", f"S-{rank}", title, f"https://supplier.example/p/{rank}.json", cost, shipping, 9)
    return ResearchResult(
        f"res_{rank:016x}", "2026-12-02", rank, candidate, Score(total, {}, 3199, 1949, 0), status, verdict
    )


RESEARCH = [
    researched(1, "Ember <Longsword>", 6470, Verdict("import", ("Scores 64.7 of 100",), "gamers", ()), AiStatus.DONE),
    researched(2, "Phone strap", 735, None, AiStatus.BUDGET),
]

# name -> (email, words its subject holds, facts its text and HTML show)
CASES: dict[str, tuple[OutgoingEmail, str, list[str]]] = {
    "daily_summary": (
        render("daily_summary", summary_context(SUMMARY, STORE, SETTINGS, {"ember-longsword": "Ember <Longsword>"})),
        "<b>Bad & Co</b>: your sales on Wednesday 2 December 2026",
        ["258.00 EUR", "2 sold", "129.00 EUR"],
    ),
    "research_report": (
        render(
            "research_report",
            daily_report("2026-12-02", RESEARCH, 7, STORE, SETTINGS, link="https://console.example/#/s/bad-co/imports"),
        ),
        "<b>Bad & Co</b>: product research for Wednesday 2 December 2026",
        [
            "7 products found; the best 2",
            "64.70",
            "import",
            "Scores 64.7 of 100",
            "31.99 EUR",
            "not analysed (the AI budget of the day was spent)",
            "https://supplier.example/p/2.json",
            "https://console.example/#/s/bad-co/imports",
        ],
    ),
    "payment_receipt": (
        render("payment_receipt", orders.payment_receipt(ORDER, STORE, SETTINGS)),
        "Payment received for <b>Bad & Co</b> order #1042",
        ["262.90 EUR", "card", "Gilded hilt"],
    ),
    "order_shipped": (
        render(
            "order_shipped",
            orders.shipped(
                ORDER,
                STORE,
                SETTINGS,
                {"carrier": "DHL", "tracking_number": "JD0001", "tracking_url": "https://track.example/JD0001"},
            ),
        ),
        "order #1042 is on its way",
        ["DHL", "JD0001", "https://track.example/JD0001"],
    ),
    "order_delivered": (
        render("order_delivered", orders.delivered(ORDER, STORE, None)),
        "order #1042 was delivered",
        ["#1042", "Gilded hilt"],
    ),
    "order_cancelled": (
        render("order_cancelled", orders.cancelled(ORDER, STORE, None, {"reason": "out of stock"})),
        "order #1042 was cancelled",
        ["out of stock", "262.90 EUR is refunded"],
    ),
    "order_refunded": (
        render("order_refunded", orders.refunded(ORDER, STORE, None, {"amount": 5000})),
        "Refund for your <b>Bad & Co</b> order #1042",
        ["50.00 EUR", "#1042"],
    ),
    "verification_code": (
        account_emails.verification_code(EVIL, "123456", 24 * 3600),
        "Your <b>Bad & Co</b> verification code",
        ["Your verification code is", "123456", "24 hours"],
    ),
    "reset_code": (
        account_emails.reset_code("Nozzly", "654321", 3600),
        "Reset your Nozzly password",
        ["Your password reset code is", "654321", "1 hour"],
    ),
    "existing_account": (
        account_emails.existing_account(EVIL),
        "Someone tried to sign up to <b>Bad & Co</b> with your address",
        ["You already have an account"],
    ),
    "welcome": (account_emails.welcome(EVIL, "Sam"), "Welcome to <b>Bad & Co</b>", ["Sam", "confirmed"]),
    "staff_invitation": (
        account_emails.staff_invitation(EVIL, "admin", "bad-co.abc123.Tok_en-1"),
        "You are invited to help run <b>Bad & Co</b>",
        ["invitation code: bad-co.abc123.Tok_en-1", "as admin", "7 days"],
    ),
    "low_stock": (
        render("low_stock", stock.low_stock(STORE, ALERT)),
        "Low stock at <b>Bad & Co</b>: Ember <Longsword> (Gilded hilt)",
        ["EMB-1", "threshold of 3", "ember-longsword"],
    ),
    "back_in_stock": (
        render("back_in_stock", stock.back_in_stock(STORE, SETTINGS, ALERT)),
        "Ember <Longsword> is back in stock at <b>Bad & Co</b>",
        ["Gilded hilt", "https://shop.example/products/ember-longsword", "only email"],
    ),
    "webhook_disabled": (
        render(
            "webhook_disabled",
            endpoint_disabled(
                Endpoint(
                    "bad-co",
                    "ep_1a2b",
                    "https://erp.example/hooks?a=1&b=2",
                    ("order.placed",),
                    "whsec_x",
                    "2026-12-01T00:00:00Z",
                    enabled=False,
                    disabled_reason="every delivery failed for 3 days",
                ),
                EVIL,
            ),
        ),
        "Webhook endpoint disabled at <b>Bad & Co</b>",
        ["https://erp.example/hooks?a=1&b=2", "every delivery failed for 3 days", "ep_1a2b", "redeliver"],
    ),
    "abandoned_cart": (
        render(
            "abandoned_cart",
            carts.abandoned_cart(
                CART, STORE, SETTINGS, 72, optout_url=f"{OPTOUT}?token=T0k&x", cart_url=f"{BACK}?token=R3c"
            ),
        ),
        "Your <b>Bad & Co</b> cart",
        ["Last reminder", "258.00 EUR", f"{BACK}?token=R3c", "Gilded hilt", f"{OPTOUT}?token=T0k&x"],
    ),
    "review_request": (
        render(
            "review_request",
            review_request(
                ORDER | {"lines": [ORDER["lines"][0] | {"product": "ember-longsword"}]},
                STORE,
                SETTINGS,
                words=(f"How was your {EVIL} order #1042?", "Tell us how it went & what to improve."),
                links={"ember-longsword": REVIEW},
                optout_url=f"{OPTOUT}?token=T0k&x",
            ),
        ),
        "How was your <b>Bad & Co</b> order #1042?",
        ["Tell us how it went & what to improve.", REVIEW, "order #1042", f"{OPTOUT}?token=T0k&x"],
    ),
    "win_back": (
        render(
            "win_back",
            win_back(
                STORE,
                SETTINGS,
                words=(f"We miss you at {EVIL}", "New & improved since your last order."),
                shop_url="https://api.example/r/bad-co.Tok",
                optout_url=f"{OPTOUT}?token=T0k&x",
            ),
        ),
        "We miss you at <b>Bad & Co</b>",
        ["New & improved since your last order.", "https://api.example/r/bad-co.Tok", f"{OPTOUT}?token=T0k&x"],
    ),
}


TRIAL = new_trial("sub-1", 1_790_000_000)  # ends 5 October 2026
PAST_DUE = payment_failed(replace(TRIAL, status=BillingStatus.ACTIVE), 1_790_000_000)  # grace ends 28 September
BILLING_URL = "https://console.example/#/billing"


def billing_case(notice: Notice, account: BillingAccount) -> OutgoingEmail:
    return render(notice.value, billing_notice(notice, account, BILLING_URL))


CASES |= {
    "billing_trial_ending": (
        billing_case(Notice.TRIAL_ENDING, TRIAL),
        "Your Nozzly trial ends on 5 October 2026",
        ["Growth trial", "read-only", BILLING_URL],
    ),
    "billing_payment_failed": (
        billing_case(Notice.PAYMENT_FAILED, PAST_DUE),
        "Your Nozzly payment failed",
        ["28 September 2026", "Growth plan", BILLING_URL],
    ),
    "billing_restricted": (
        billing_case(Notice.RESTRICTED, PAST_DUE),
        "Your Nozzly stores are read-only",
        ["still unpaid after the 7-day grace period", "keep selling", BILLING_URL],
    ),
    "billing_restored": (
        billing_case(Notice.RESTORED, replace(PAST_DUE, status=BillingStatus.ACTIVE, period_end=1_792_592_000)),
        "Thank you: your Nozzly Growth plan is active",
        ["21 October 2026", "active again", BILLING_URL],
    ),
}


def test_every_template_has_a_case() -> None:
    names = {p.name.split(".")[0] for p in TEMPLATES.glob("*.subject.j2")}
    assert names - {"order_confirmation"} == set(CASES)  # the confirmation has its own functional test


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_email_renders_its_subject_and_facts(name: str) -> None:
    email, subject, facts = CASES[name]
    assert subject in email.subject and "\n" not in email.subject
    for fact in facts:
        assert fact in email.text, fact
        assert fact.replace("&", "&amp;") in email.html, fact


@pytest.mark.parametrize("name", sorted(CASES))
def test_names_from_owners_and_shoppers_are_escaped_in_html_only(name: str) -> None:
    email, _, _ = CASES[name]
    assert "<b>Bad" not in email.html and "<Longsword>" not in email.html
    shown = "&lt;b&gt;Bad &amp; Co&lt;/b&gt;" in email.html or "Ember &lt;Longsword&gt;" in email.html
    assert shown or name in {"reset_code"} or name.startswith("billing_")  # Nozzly's own emails name no store


def test_the_store_branding_colours_and_logo_the_html() -> None:
    email, _, _ = CASES["payment_receipt"]
    assert "#aa3300" in email.html and 'src="https://cdn.example/logo.png"' in email.html


def test_durations_read_naturally() -> None:
    assert [accounts.duration(s) for s in (3600, 7200, 900)] == ["1 hour", "2 hours", "15 minutes"]


def test_a_codes_email_holds_no_other_six_digit_number() -> None:
    # The sign-up tests and real shoppers read the first 6-digit number; the template must not add one.
    import re

    email = account_emails.verification_code("Amber Forge", "481516", 24 * 3600)
    assert re.findall(r"\b([0-9]{6})\b", email.html) == ["481516"]
    assert re.findall(r"\b([0-9]{6})\b", email.text) == ["481516"]


def reminder(stage: int) -> OutgoingEmail:
    context = carts.abandoned_cart(
        CART, STORE, None, stage, optout_url=f"{OPTOUT}?token=abc", cart_url=f"{BACK}?token=xyz"
    )
    return render("abandoned_cart", context)


def test_first_reminders_are_not_the_last() -> None:
    email = reminder(1)
    assert "You left something in your cart." in email.text and "last reminder" not in email.text.lower()


def test_every_reminder_offers_its_opt_out_link_in_html_and_text() -> None:
    for stage in (1, 24, 72):
        email = reminder(stage)
        assert f'href="{OPTOUT}?token=abc"' in email.html
        assert f"Stop them: {OPTOUT}?token=abc" in email.text


def test_every_reminder_links_back_to_its_cart_in_html_and_text() -> None:
    for stage in (1, 24, 72):
        email = reminder(stage)
        assert f'href="{BACK}?token=xyz"' in email.html and "Back to your cart" in email.html
        assert f"Back to your cart: {BACK}?token=xyz" in email.text


def test_a_shoppers_payment_receipt_links_their_invoice_and_a_guests_does_not() -> None:
    mine = render(
        "payment_receipt", orders.payment_receipt(ORDER | {"order_id": "o1", "customer": "sub"}, STORE, SETTINGS)
    )
    link = "https://shop.example/account/orders/o1/invoice"
    assert link in mine.text and f'href="{link}"' in mine.html
    guest = render("payment_receipt", orders.payment_receipt(ORDER | {"order_id": "o1"}, STORE, SETTINGS))
    assert "/invoice" not in guest.text and "/invoice" not in guest.html


def test_a_reminder_carries_the_stores_own_words_when_its_flow_has_them() -> None:
    context = carts.abandoned_cart(
        CART, STORE, None, 1, optout_url=OPTOUT, cart_url=BACK, words=("Psst, Bad Co kept your cart", "Still <here>.")
    )
    email = render("abandoned_cart", context)
    assert email.subject == "Psst, Bad Co kept your cart"
    assert "Still &lt;here&gt;." in email.html and "You left something" not in email.text
