"""One email of each kind the platform sends, with a store's branding saved through the settings routes: each
is built by its own builder from the one settings read every email makes, rendered and sent through SES (moto);
the SendEmail call carries the sender name and Reply-To, the HTML the colour, the logo and storefront links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from email.utils import parseaddr
from typing import Any

import pytest

from nozzly.accounts.services import account_emails
from nozzly.analytics.domain.daily_summary import daily_summary
from nozzly.analytics.domain.sales_figures import DayFigures
from nozzly.analytics.emails.daily_summary import daily_summary as summary_context
from nozzly.billing.domain.accounts import new_trial
from nozzly.billing.domain.subscriptions import Notice
from nozzly.billing.emails.notices import billing_notice
from nozzly.catalog.domain.catalog import Store
from nozzly.catalog.emails import stock
from nozzly.kernel.domain.money import Money
from nozzly.messaging.domain.outgoing_email import OutgoingEmail
from nozzly.messaging.emails.render import TEMPLATES, render
from nozzly.orders.domain.review_requests import review_url
from nozzly.orders.emails import order_confirmation, orders
from nozzly.orders.emails.review_request import review_request
from nozzly.orders.emails.win_back import win_back
from nozzly.research.emails.daily_report import daily_report
from nozzly.sales.domain.cart_recovery import recovery_url
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner
from nozzly.sales.emails import carts
from nozzly.webhooks.domain.endpoints import Endpoint
from nozzly.webhooks.emails.endpoint_disabled import endpoint_disabled
from tests.functional.harness import TINY_PNG, Cloud
from tests.functional.settings_helpers import SHOP, SHOP_NAME, saved, settings_call, team

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
STORE = Store(store_id=SHOP, name=SHOP_NAME, currency="EUR", country="DE")
ORDER: dict[str, Any] = {
    "number": 1001,
    "currency": "EUR",
    "email": "sam@example.com",
    "payment_method": "card",
    "payment_state": "paid",
    "totals": {"subtotal": 2000, "discount": 0, "shipping": 490, "tax": 0, "total": 2490},
    "lines": [{"quantity": 1, "title": "Paper lantern", "variant_title": "Default", "unit_price": 2000}],
    "shipping": {"name": "Standard shipping"},
    "shipping_address": {"name": "Sam", "line1": "1 Road", "city": "Berlin", "postal_code": "10115", "country": "DE"},
}
ALERT = {
    "store_id": SHOP, "product": "paper-lantern", "variant": "v1", "title": "Paper lantern", "variant_title": "Default",
    "sku": "PL-1", "available": 1, "threshold": 3,
}  # fmt: skip
CART = Cart(
    store_id=SHOP,
    owner=CartOwner.GUEST,
    owner_id="s1",
    currency="EUR",
    lines=(CartLine("v1", "paper-lantern", "PL-1", "Paper lantern", "Default", 1, Money(2000, "EUR"), 0),),
    updated_at=1,
    expires_at=2,
    version=3,
)
Settings = dict[str, Any] | None
SUMMARY = daily_summary(date(2026, 12, 2), "EUR", [DayFigures(date(2026, 12, 2), orders=1, gross=2490)], [])
# Every kind, built as its sender builds it from the store's email settings.
STORE_EMAILS: dict[str, Callable[[Settings], OutgoingEmail]] = {
    # The owner's morning summary: the store's own branding, sent to its owner.
    "daily_summary": lambda s: render("daily_summary", summary_context(SUMMARY, STORE, s, {})),
    # The owner's opt-in research report after the daily run: the store's branding too.
    "research_report": lambda s: render("research_report", daily_report("2026-12-02", [], 0, STORE, s, link=None)),
    "order_confirmation": lambda s: render("order_confirmation", order_confirmation.context(ORDER, STORE, s)),
    "payment_receipt": lambda s: render("payment_receipt", orders.payment_receipt(ORDER, STORE, s)),
    "order_shipped": lambda s: render("order_shipped", orders.shipped(ORDER, STORE, s, {"carrier": "DHL"})),
    "order_delivered": lambda s: render("order_delivered", orders.delivered(ORDER, STORE, s)),
    "order_cancelled": lambda s: render("order_cancelled", orders.cancelled(ORDER, STORE, s, {})),
    "order_refunded": lambda s: render("order_refunded", orders.refunded(ORDER, STORE, s, {"amount": 500})),
    "abandoned_cart": lambda s: render(
        "abandoned_cart",
        carts.abandoned_cart(
            CART,
            STORE,
            s,
            24,
            optout_url="https://x/opt",
            cart_url=recovery_url(STORE.store_id, "tok", (s or {}).get("storefront_url"), "https://api.x"),
        ),
    ),
    "back_in_stock": lambda s: render(
        "back_in_stock", stock.back_in_stock(STORE, s, ALERT, optout_url="https://x/opt")
    ),
    "review_request": lambda s: render(
        "review_request",
        review_request(
            ORDER | {"lines": [ORDER["lines"][0] | {"product": "paper-lantern"}]},
            STORE,
            s,
            words=(f"How was your {SHOP_NAME} order?", "A short review helps."),
            links={
                "paper-lantern": review_url(SHOP, "o1", "paper-lantern", (s or {}).get("storefront_url"), "https://x")
            },
            optout_url="https://x/opt",
        ),
    ),
    "win_back": lambda s: render(
        "win_back",
        win_back(
            STORE, s, words=(f"We miss you at {SHOP_NAME}", ""), shop_url="https://x/r/t", optout_url="https://x/opt"
        ),
    ),
    # A store's shoppers' account emails (ShopperAuth passes the store's settings).
    "verification_code": lambda s: account_emails.verification_code(SHOP_NAME, "123456", 3600, s),
    "reset_code": lambda s: account_emails.reset_code(SHOP_NAME, "654321", 3600, s),
    "existing_account": lambda s: account_emails.existing_account(SHOP_NAME, s),
    "welcome": lambda s: account_emails.welcome(SHOP_NAME, "Sam", s),
}
# Sent to operators about their work at Nozzly: Nozzly's brand, never a store's.
NOZZLY_EMAILS: dict[str, Callable[[Settings], OutgoingEmail]] = {
    "staff_invitation": lambda s: account_emails.staff_invitation(SHOP_NAME, "admin", "t.o.k"),
    "low_stock": lambda s: render("low_stock", stock.low_stock(STORE, ALERT)),
    "webhook_disabled": lambda s: render(
        "webhook_disabled",
        endpoint_disabled(
            Endpoint("s", "ep_1", "https://erp.example/h", ("order.placed",), "whsec_x", "2026-12-01T00:00:00Z"),
            SHOP_NAME,
        ),
    ),
} | {  # to an account's owner about their Nozzly plan
    n.value: lambda s, n=n: render(n.value, billing_notice(n, new_trial("sub-1", 1_790_000_000), "https://c/#/billing"))
    for n in Notice
}
ORDER_EMAILS = {n for n in STORE_EMAILS if n.startswith(("order_", "payment_"))}
MARKETING_EMAILS = {"abandoned_cart", "back_in_stock", "review_request", "win_back"}  # the flows marked marketing


def test_every_template_is_one_of_the_kinds_sent_here() -> None:
    assert {p.name.split(".")[0] for p in TEMPLATES.glob("*.subject.j2")} == set(STORE_EMAILS) | set(NOZZLY_EMAILS)


@pytest.fixture
def sent(cloud: Cloud) -> tuple[str, dict[str, dict[str, Any]], str]:
    """(the logo key, each kind's SendEmail parameters, the platform's address)."""
    from nozzly import wiring
    from nozzly.kernel.adapters import aws
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.settings import EmailSettings, load
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository

    logo = branded(cloud)
    cloud.apply_environment(cloud.environments["OrderEmails"])
    wiring.reset()
    s = load(EmailSettings)
    settings = StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket).email_settings(SHOP)
    calls: dict[str, dict[str, Any]] = {}
    current: list[str] = []
    aws.client("ses").meta.events.register(
        "before-parameter-build.ses.SendEmail", lambda params, **_: calls.__setitem__(current[0], dict(params))
    )
    mailer = Mailer(s.email_from)
    for name, build in (STORE_EMAILS | NOZZLY_EMAILS).items():
        current[:] = [name]
        mailer.send("sam@example.com", build(settings))
    return logo, calls, s.email_from


def branded(cloud: Cloud) -> str:
    """The shop's branding and general settings saved through the routes, with an uploaded logo; its key."""
    team(cloud)
    link = settings_call(cloud, "POST", "/branding/logo", body={"content_type": "image/png"})
    assert link.status == 201, link.body
    cloud.client("s3").put_object(Bucket=cloud.bucket, Key=link.body["fields"]["key"], Body=TINY_PNG)
    logo = str(link.body["logo"])
    branding = {"version": 0, "sender_name": "Lantern Team", "reply_to": "care@lantern.example"}
    saved(cloud, "branding", branding | {"brand_colour": "#AA3300", "logo": logo})
    general = {"version": 0, "display_name": SHOP_NAME, "storefront_url": "https://shop.lantern.example"}
    legal = {"legal_name": "Lantern Lights GmbH", "legal_address": "Laternenweg 2\n10115 Berlin"}
    saved(cloud, "general", general | legal | {"order_number_prefix": "LL-", "support_phone": "+4930123456"})
    return logo


def test_each_store_email_carries_the_stores_brand(sent: tuple[str, dict[str, dict[str, Any]], str]) -> None:
    logo, calls, address = sent

    for name in STORE_EMAILS:
        params = calls[name]
        html = params["Message"]["Body"]["Html"]["Data"]
        assert parseaddr(params["Source"]) == ("Lantern Team", address), name
        assert params["ReplyToAddresses"] == ["care@lantern.example"], name
        assert "#aa3300" in html, name
        assert '<img src="https://' in html and logo in html, name  # the signed link to the uploaded logo
        assert 'href="https://shop.lantern.example"' in html, name
        assert "care@lantern.example" in html and "+4930123456" in html, name
    for name in ORDER_EMAILS:
        assert "#LL-1001" in calls[name]["Message"]["Subject"]["Data"], name
        assert "#LL-1001" in calls[name]["Message"]["Body"]["Text"]["Data"], name
    cart_html = calls["abandoned_cart"]["Message"]["Body"]["Html"]["Data"]
    assert "https://shop.lantern.example/cart/recover?token=tok" in cart_html
    assert (
        "https://shop.lantern.example/products/paper-lantern"
        in calls["back_in_stock"]["Message"]["Body"]["Text"]["Data"]
    )
    for name in MARKETING_EMAILS:  # the legal footer, from the general settings, with the unsubscribe link
        text = calls[name]["Message"]["Body"]["Text"]["Data"]
        assert "Lantern Lights GmbH, Laternenweg 2, 10115 Berlin" in text and "Unsubscribe from" in text, name
    review_text = calls["review_request"]["Message"]["Body"]["Text"]["Data"]
    assert "https://shop.lantern.example/account/orders/o1?review=paper-lantern#review" in review_text


def test_operators_emails_stay_nozzlys(sent: tuple[str, dict[str, dict[str, Any]], str]) -> None:
    logo, calls, address = sent

    for name in NOZZLY_EMAILS:
        params = calls[name]
        assert parseaddr(params["Source"]) == ("Nozzly", address), name
        assert "ReplyToAddresses" not in params and logo not in params["Message"]["Body"]["Html"]["Data"], name


def test_a_stores_shopper_gets_the_code_email_under_the_stores_brand(cloud: Cloud) -> None:
    from tests.functional.auth_helpers import AuthApi, open_store, outbox

    open_store(cloud, SHOP, SHOP_NAME)
    logo = branded(cloud)

    assert AuthApi(cloud, SHOP).signup("sam@example.com", "Sup3rSecret!x").status == 202

    [email] = outbox("sam@example.com")
    assert parseaddr(email.source)[0] == "Lantern Team" and "verification code" in email.subject
    assert "#aa3300" in email.body and logo in email.body
