"""Stripe Billing's webhook and the restriction it leads to, through the handlers under moto: signed events move
the account once, the hourly job restricts what is due, a restricted account's store administration is refused
(storefronts keep selling), and paying restores it. Emails go through SES (moto's outbox)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.functional.auth_helpers import api_event, outbox
from tests.functional.harness import Cloud, HttpResponse, concurrently
from tests.functional.settings_helpers import STAFF, join
from tests.functional.store_helpers import OPEN, admin, claims, open_store, provision
from tests.payment_samples import dumps, stripe_signature

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
DAY = 86_400
PRODUCT = {"title": "Brass Lamp", "category": "decor", "price": {"amount": 4900, "currency": "EUR"}}


def owner(cloud: Cloud, email: str = "owner@billing.test") -> str:
    """An operator as sign-up leaves them (Cognito knows their address): their sub."""
    pool = cloud.environments["Billing"]["OPERATOR_USER_POOL_ID"]
    cognito = cloud.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )
    attributes = cognito.admin_get_user(UserPoolId=pool, Username=email)["UserAttributes"]
    return str(next(a["Value"] for a in attributes if a["Name"] == "sub"))


def secret(cloud: Cloud) -> str:
    name = cloud.environments["Billing"]["STRIPE_BILLING_WEBHOOK_SECRET_PARAMETER"]
    return str(cloud.client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])


def invoice_event(event_id: str, account: str, kind: str = "invoice.paid") -> dict[str, Any]:
    now = int(time.time())
    invoice = {
        "id": f"in_{event_id}", "object": "invoice", "status": "paid" if kind == "invoice.paid" else "open",
        "parent": {"type": "subscription_details", "subscription_details": {"subscription": "sub_1", "metadata": {"account": account, "plan": "growth"}}},  # noqa: E501
        "lines": {"object": "list", "data": [{"id": "il_1", "period": {"start": now, "end": now + 30 * DAY}}]},
    }  # fmt: skip
    return {"id": event_id, "object": "event", "type": kind, "created": now, "data": {"object": invoice}}


def deliver(cloud: Cloud, event: dict[str, Any], signature: str | None = None) -> HttpResponse:
    body = dumps(event)
    headers = {"stripe-signature": signature or stripe_signature(body, secret(cloud))}
    return cloud.http("Billing", api_event("POST /webhooks/stripe-billing", raw_body=body, headers=headers))


def account_item(cloud: Cloud, sub: str) -> dict[str, Any]:
    item = cloud.item("StoresTable", f"ACCOUNT#{sub}", "BILLING")
    assert item is not None
    return item


def set_account(cloud: Cloud, sub: str, expression: str, values: dict[str, Any]) -> None:
    cloud.client("dynamodb").update_item(
        TableName=cloud.stores_table,
        Key={"pk": {"S": f"ACCOUNT#{sub}"}, "sk": {"S": "BILLING"}},
        UpdateExpression=expression,
        ExpressionAttributeValues=values,
    )


def due(cloud: Cloud, sub: str, field: str, at: int) -> None:
    """The account's trial end or first failure moved (and its place in the job's due index with it)."""
    key = at + 7 * DAY if field == "past_due_since" else at
    set_account(cloud, sub, f"SET {field} = :t, gsi1sk = :k", {":t": {"N": str(at)}, ":k": {"S": f"{key:012d}#{sub}"}})


def idempotency_records(cloud: Cloud) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = cloud.client("dynamodb").scan(TableName=cloud.names["IdempotencyTable"])["Items"]
    return found


def create_product(cloud: Cloud, sub: str, store: str, title: str = "Brass Lamp") -> HttpResponse:
    body = PRODUCT | {"title": title}
    event = api_event(
        "POST /admin/stores/{store}/products", path_parameters={"store": store}, body=body, claims=claims(sub)
    )
    return cloud.http("CatalogAdmin", event)


def run_job(cloud: Cloud) -> dict[str, Any]:
    found: dict[str, Any] = cloud.invoke("BillingRestrictions", {"detail-type": "Scheduled Event", "detail": {}})
    return found


def test_a_forged_or_missing_signature_answers_400_and_changes_nothing(cloud: Cloud) -> None:
    sub = owner(cloud)
    open_store(cloud, sub)
    before = account_item(cloud, sub)
    event = invoice_event("evt_forged", sub)

    for signature in ("t=1,v1=deadbeef", stripe_signature(dumps(event), "whsec_attacker")):
        response = deliver(cloud, event, signature)
        assert response.status == 400, response.body
        assert response.body["error"]["fields"][0]["field"] == "signature"
    assert account_item(cloud, sub) == before
    assert idempotency_records(cloud) == []


def test_the_same_paid_invoice_delivered_5_times_at_once_activates_the_account_once(cloud: Cloud) -> None:
    sub = owner(cloud)
    open_store(cloud, sub)
    event = invoice_event("evt_paid_5x", sub)

    answers = concurrently([lambda: deliver(cloud, event) for _ in range(5)])

    assert all(a.status in (200, 409) for a in answers), [a.body for a in answers]
    assert next(a.body["outcome"] for a in answers if a.status == 200) == "active"
    item = account_item(cloud, sub)
    assert item["status"]["S"] == "active" and item["version"]["N"] == "1"  # one change of state
    assert "gsi1pk" not in item  # nothing left for the job to restrict
    assert len(idempotency_records(cloud)) == 1
    assert deliver(cloud, event).body["outcome"] == "active"  # a later redelivery: the stored answer


def test_unpaid_past_the_grace_period_is_restricted_refuses_admin_writes_and_paying_restores(cloud: Cloud) -> None:
    sub = owner(cloud)
    store = open_store(cloud, sub)
    provision(cloud, store)
    join(cloud, STAFF, "staff", store=store, name=OPEN["name"])
    assert deliver(cloud, invoice_event("evt_paid", sub)).status == 200
    failed = deliver(cloud, invoice_event("evt_failed", sub, "invoice.payment_failed"))
    assert failed.body["outcome"] == "past_due"
    assert [m.subject for m in outbox("owner@billing.test")] == ["Your Nozzly payment failed"]
    assert run_job(cloud)["restricted"] == 0  # still in its grace period
    assert create_product(cloud, sub, store).status == 201

    due(cloud, sub, "past_due_since", int(time.time()) - 8 * DAY)
    assert run_job(cloud)["restricted"] == 1
    assert run_job(cloud)["restricted"] == 0  # written down once
    assert account_item(cloud, sub)["status"]["S"] == "restricted"
    assert outbox("owner@billing.test")[-1].subject == "Your Nozzly stores are read-only"

    refused = create_product(cloud, sub, store)
    assert refused.status == 402, refused.body
    assert refused.body["error"]["code"] == "account_restricted"
    renamed = admin(cloud, "PATCH /admin/stores/{store}", STAFF, store=store, body={"name": "Renamed"})
    assert renamed.status == 402 and renamed.body["error"]["code"] == "account_restricted"
    assert admin(cloud, "GET /admin/stores/{store}", sub, store=store).status == 200  # reading goes on
    shop = cloud.http("StorefrontCatalog", api_event("GET /stores/{store}", path_parameters={"store": store}))
    assert shop.status == 200, shop.body  # shoppers never notice
    portal = cloud.http("Billing", api_event("POST /billing/portal", claims=claims(sub)))
    assert portal.status == 409  # billing routes pass (no Stripe customer yet), never account_restricted
    body = {"plan": "pro", "interval": "month"}
    second = cloud.http("Billing", api_event("POST /billing/checkout", body=body, claims=claims(sub)))
    assert second.status == 409 and "portal" in second.body["error"]["message"]  # never billed twice

    assert deliver(cloud, invoice_event("evt_paid_late", sub)).body["outcome"] == "active"
    assert outbox("owner@billing.test")[-1].subject == "Thank you: your Nozzly Growth plan is active"
    assert create_product(cloud, sub, store, "Paper Lantern").status == 201


def test_a_card_less_trial_is_warned_3_days_ahead_then_restricted_when_it_ends(cloud: Cloud) -> None:
    sub = owner(cloud, "trial@billing.test")
    open_store(cloud, sub)
    due(cloud, sub, "trial_ends_at", int(time.time()) + 3 * DAY - 600)  # in the hour before "3 days left"

    assert run_job(cloud) == {"restricted": 0, "trial_notices": 1}
    [warning] = outbox("trial@billing.test")
    assert warning.subject.startswith("Your Nozzly trial ends on ") and "/#/billing" in warning.body

    due(cloud, sub, "trial_ends_at", int(time.time()) - 1)
    assert run_job(cloud) == {"restricted": 1, "trial_notices": 0}
    assert account_item(cloud, sub)["status"]["S"] == "restricted"
    assert outbox("trial@billing.test")[-1].subject == "Your Nozzly stores are read-only"


def test_checkout_and_portal_are_the_owners_only(cloud: Cloud) -> None:
    sub = owner(cloud)
    store = open_store(cloud, sub)
    join(cloud, STAFF, "admin", store=store, name=OPEN["name"])
    body = {"plan": "pro", "interval": "year"}
    for who in (STAFF, "nobody-sub"):
        checkout = cloud.http("Billing", api_event("POST /billing/checkout", body=body, claims=claims(who)))
        assert checkout.status == 403, checkout.body
        assert cloud.http("Billing", api_event("POST /billing/portal", claims=claims(who))).status == 403
    bad = cloud.http("Billing", api_event("POST /billing/checkout", body={"plan": "gold"}, claims=claims(sub)))
    assert bad.status == 400
    assert cloud.item("StoresTable", f"ACCOUNT#{sub}", "STRIPE_CUSTOMER") is None
