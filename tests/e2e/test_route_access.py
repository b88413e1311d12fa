"""Who may call which route: every route of the template against every kind of caller, over real HTTP.

A route added to the template without an entry in ACCESS fails `test_every_route_is_in_the_matrix`.
A store route (`/admin/stores/{store}/...`) names the roles of the store that may call it, written out
here rather than derived from stores/domain/permissions.py, so this test checks the matrix and does not repeat
it. A caller outside the store gets 404 naming the store, as if it did not exist (tenant isolation),
which counts as refused; a 404 naming anything else (no such product) means the caller got through.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from localcloud.template import http_routes, load_sam
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.operators import invite, log_in, open_ready_store

pytestmark = pytest.mark.e2e

PUBLIC, OPERATOR, SHOPPER = "public", "operator", "shopper of the store"
OWNER, ADMIN, STAFF = "owner", "admin", "staff"
EVERY_ROLE = frozenset({OWNER, ADMIN, STAFF})
ADMINS = frozenset({OWNER, ADMIN})
ONLY_OWNER = frozenset({OWNER})
# A shopper who bought the product: none of the callers here bought anything, so each is refused (the store's
# shopper gets 403 "only shoppers who bought this product may review it"); tests/e2e/test_reviews.py has a buyer.
BUYER = "shopper who bought the product"
Audience = str | frozenset[str]
ACCESS: dict[str, Audience] = {
    "GET /health": PUBLIC,
    "GET /health/live": PUBLIC,
    "GET /health/ready": PUBLIC,
    "GET /stores/{store}": PUBLIC,
    "GET /stores/{store}/categories": PUBLIC,
    "GET /stores/{store}/brands": PUBLIC,
    "GET /stores/{store}/products": PUBLIC,
    "GET /stores/{store}/products/{product}": PUBLIC,
    "GET /stores/{store}/products/{product}/related": PUBLIC,
    "GET /stores/{store}/search": PUBLIC,
    "GET /stores/{store}/sitemap.xml": PUBLIC,
    "GET /stores/{store}/robots.txt": PUBLIC,
    # The storefront's pages (HTML; each checks its own form's CSRF token and the shopper's cookie).
    "ANY /shop/{store}": PUBLIC,
    "ANY /shop/{store}/{proxy+}": PUBLIC,
    "GET /shop-assets/{proxy+}": PUBLIC,
    "ANY /shop/{store}/cart": PUBLIC,
    "ANY /shop/{store}/cart/{proxy+}": PUBLIC,
    "ANY /shop/{store}/checkout": PUBLIC,
    "ANY /shop/{store}/checkout/{proxy+}": PUBLIC,
    "ANY /shop/{store}/account": PUBLIC,
    "ANY /shop/{store}/account/{proxy+}": PUBLIC,
    "POST /stores/{store}/products/{product}/reviews": BUYER,
    "GET /stores/{store}/products/{product}/reviews": PUBLIC,
    "GET /admin/stores/{store}/reviews": EVERY_ROLE,
    "POST /admin/stores/{store}/reviews/{review}/approve": EVERY_ROLE,
    "POST /admin/stores/{store}/reviews/{review}/reject": EVERY_ROLE,
    "POST /auth/signup": PUBLIC,
    "POST /auth/confirm": PUBLIC,
    "POST /auth/login": PUBLIC,
    "POST /auth/refresh": PUBLIC,
    "POST /auth/forgot-password": PUBLIC,
    "POST /auth/reset-password": PUBLIC,
    "POST /auth/invitations/accept": PUBLIC,
    "POST /auth/logout": OPERATOR,
    "GET /me": OPERATOR,
    "GET /plans": PUBLIC,
    "GET /billing": OPERATOR,  # the caller's own account: no store in the path
    "POST /billing/checkout": ONLY_OWNER,  # billing.manage: an owner of any store (the account is theirs)
    "POST /billing/portal": ONLY_OWNER,  # before a checkout, the owner's 409 "subscribe first" counts as reached
    "POST /stores/{store}/auth/signup": PUBLIC,
    "POST /stores/{store}/auth/confirm": PUBLIC,
    "POST /stores/{store}/auth/login": PUBLIC,
    "POST /stores/{store}/auth/refresh": PUBLIC,
    "POST /stores/{store}/auth/forgot-password": PUBLIC,
    "POST /stores/{store}/auth/reset-password": PUBLIC,
    "POST /stores/{store}/auth/logout": SHOPPER,
    "GET /stores/{store}/me": SHOPPER,
    "PATCH /stores/{store}/me": SHOPPER,
    "GET /stores/{store}/me/addresses": SHOPPER,
    "POST /stores/{store}/me/addresses": SHOPPER,
    "PUT /stores/{store}/me/addresses/{address}": SHOPPER,
    "DELETE /stores/{store}/me/addresses/{address}": SHOPPER,
    "POST /stores/{store}/sessions": PUBLIC,
    "POST /stores/{store}/events": PUBLIC,
    "POST /stores/{store}/products/{product}/variants/{variant}/back-in-stock": PUBLIC,
    "POST /webhooks/stripe": PUBLIC,  # unsigned calls get 400 (signature), never 401/403
    "POST /webhooks/square": PUBLIC,
    "POST /webhooks/stripe-billing": PUBLIC,
    "GET /stores/{store}/carts/{session}": PUBLIC,
    "POST /stores/{store}/carts/{session}/items": PUBLIC,
    "PATCH /stores/{store}/carts/{session}/items/{item}": PUBLIC,
    "DELETE /stores/{store}/carts/{session}/items/{item}": PUBLIC,
    "DELETE /stores/{store}/carts/{session}": PUBLIC,
    "PUT /stores/{store}/carts/{session}/coupon": PUBLIC,
    "DELETE /stores/{store}/carts/{session}/coupon": PUBLIC,
    "PUT /stores/{store}/carts/{session}/email": PUBLIC,
    "POST /stores/{store}/reminders/opt-out": PUBLIC,  # the token is the secret: an unknown one is 404
    "GET /stores/{store}/reminders/opt-out": PUBLIC,  # a static page whose button POSTs the link's token
    "POST /stores/{store}/carts/recover": PUBLIC,  # a reminder's cart link: the token is the secret
    "GET /stores/{store}/carts/recover": PUBLIC,  # a static page whose button POSTs the link's token
    "POST /stores/{store}/me/cart/recover": SHOPPER,
    "GET /stores/{store}/me/cart": SHOPPER,
    "POST /stores/{store}/me/cart/items": SHOPPER,
    "PATCH /stores/{store}/me/cart/items/{item}": SHOPPER,
    "DELETE /stores/{store}/me/cart/items/{item}": SHOPPER,
    "DELETE /stores/{store}/me/cart": SHOPPER,
    "PUT /stores/{store}/me/cart/coupon": SHOPPER,
    "DELETE /stores/{store}/me/cart/coupon": SHOPPER,
    "POST /stores/{store}/me/cart/merge": SHOPPER,
    "POST /stores/{store}/checkout": PUBLIC,
    "POST /stores/{store}/me/checkout": SHOPPER,
    "GET /stores/{store}/checkouts/{checkout}": PUBLIC,
    "GET /stores/{store}/me/orders": SHOPPER,
    "GET /stores/{store}/me/orders/{order}": SHOPPER,
    "POST /stores/{store}/me/orders/{order}/cancel": SHOPPER,
    "GET /admin/stores/{store}/orders": EVERY_ROLE,
    "GET /admin/stores/{store}/dashboard": EVERY_ROLE,
    "GET /admin/stores/{store}/attention": EVERY_ROLE,
    "POST /admin/stores/{store}/attention/{item}/acknowledge": EVERY_ROLE,
    "DELETE /admin/stores/{store}/attention/{item}": EVERY_ROLE,
    "GET /admin/stores/{store}/reports/sales": ADMINS,
    "GET /admin/stores/{store}/reports/products": ADMINS,
    "GET /admin/stores/{store}/orders/{order}": EVERY_ROLE,
    "POST /admin/stores/{store}/orders/{order}/refunds": ADMINS,
    "POST /admin/stores/{store}/orders/{order}/mark-paid": EVERY_ROLE,
    "POST /admin/stores/{store}/orders/{order}/fulfilments": EVERY_ROLE,
    "GET /admin/stores/{store}/orders/{order}/fulfilments/{fulfilment}": EVERY_ROLE,
    "PATCH /admin/stores/{store}/orders/{order}/fulfilments/{fulfilment}": EVERY_ROLE,
    "POST /admin/stores/{store}/orders/{order}/status": EVERY_ROLE,
    "POST /admin/stores/{store}/orders": EVERY_ROLE,
    "POST /admin/stores": OPERATOR,
    "GET /admin/stores": OPERATOR,
    "GET /admin/stores/{store}": EVERY_ROLE,
    "PATCH /admin/stores/{store}": ADMINS,
    "DELETE /admin/stores/{store}": ONLY_OWNER,
    "GET /admin/stores/{store}/provisioning": EVERY_ROLE,
    "GET /admin/stores/{store}/staff": ADMINS,
    "PATCH /admin/stores/{store}/staff/{member}": ADMINS,
    "DELETE /admin/stores/{store}/staff/{member}": ADMINS,
    "POST /admin/stores/{store}/invitations": ADMINS,
    "DELETE /admin/stores/{store}/invitations/{invitation}": ADMINS,
    "POST /admin/stores/{store}/products/{product}/images/uploads": EVERY_ROLE,
    "GET /admin/stores/{store}/products/{product}/images/uploads/{upload}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/products/{product}/images/{image}": EVERY_ROLE,
    "PATCH /admin/stores/{store}/products/{product}/images": EVERY_ROLE,
    "POST /admin/stores/{store}/categories/{category}/image/uploads": EVERY_ROLE,
    "GET /admin/stores/{store}/categories/{category}/image/uploads/{upload}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/categories/{category}/image": EVERY_ROLE,
    "POST /admin/stores/{store}/brands/{brand}/logo/uploads": EVERY_ROLE,
    "GET /admin/stores/{store}/brands/{brand}/logo/uploads/{upload}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/brands/{brand}/logo": EVERY_ROLE,
    "GET /admin/stores/{store}/products": EVERY_ROLE,
    "POST /admin/stores/{store}/products": EVERY_ROLE,
    "POST /admin/stores/{store}/products/bulk-status": EVERY_ROLE,
    "GET /admin/stores/{store}/products/{product}": EVERY_ROLE,
    "PATCH /admin/stores/{store}/products/{product}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/products/{product}": EVERY_ROLE,
    "POST /admin/stores/{store}/products/{product}/restore": EVERY_ROLE,
    "POST /admin/stores/{store}/products/{product}/variants": EVERY_ROLE,
    "PATCH /admin/stores/{store}/products/{product}/variants/{variant}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/products/{product}/variants/{variant}": EVERY_ROLE,
    "POST /admin/stores/{store}/products/{product}/variants/{variant}/stock-adjustments": EVERY_ROLE,
    "GET /admin/stores/{store}/products/{product}/variants/{variant}/stock-adjustments": EVERY_ROLE,
    "GET /admin/stores/{store}/categories": EVERY_ROLE,
    "POST /admin/stores/{store}/categories": EVERY_ROLE,
    "PATCH /admin/stores/{store}/categories/{category}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/categories/{category}": EVERY_ROLE,
    "POST /admin/stores/{store}/categories/{category}/restore": EVERY_ROLE,
    "GET /admin/stores/{store}/brands": EVERY_ROLE,
    "POST /admin/stores/{store}/brands": EVERY_ROLE,
    "GET /admin/stores/{store}/brands/{brand}": EVERY_ROLE,
    "PATCH /admin/stores/{store}/brands/{brand}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/brands/{brand}": EVERY_ROLE,
    "POST /admin/stores/{store}/brands/{brand}/restore": EVERY_ROLE,
    "GET /admin/stores/{store}/coupons": ADMINS,
    "POST /admin/stores/{store}/coupons": ADMINS,
    "GET /admin/stores/{store}/coupons/{code}": ADMINS,
    "PATCH /admin/stores/{store}/coupons/{code}": ADMINS,
    "DELETE /admin/stores/{store}/coupons/{code}": ADMINS,
    "GET /admin/stores/{store}/settings": ADMINS,
    "POST /admin/stores/{store}/settings/branding/logo": ADMINS,
    "GET /admin/stores/{store}/settings/payouts": ADMINS,
    "POST /admin/stores/{store}/settings/payouts/stripe/onboarding": ADMINS,
    "GET /admin/stores/{store}/settings/payouts/square/authorize": ADMINS,
    "DELETE /admin/stores/{store}/settings/payouts/square": ADMINS,
    "GET /payouts/square/callback": PUBLIC,  # Square's redirect: the one-use state is the secret
    "GET /stores/{store}/carts/{session}/shipping-options": PUBLIC,
    "GET /stores/{store}/me/cart/shipping-options": SHOPPER,
    "GET /admin/stores/{store}/settings/general": ADMINS,
    "PUT /admin/stores/{store}/settings/general": ADMINS,
    "GET /admin/stores/{store}/settings/general/history": ADMINS,
    "GET /admin/stores/{store}/settings/branding": ADMINS,
    "PUT /admin/stores/{store}/settings/branding": ADMINS,
    "GET /admin/stores/{store}/settings/branding/history": ADMINS,
    "GET /admin/stores/{store}/settings/tax": ADMINS,
    "PUT /admin/stores/{store}/settings/tax": ADMINS,
    "GET /admin/stores/{store}/settings/tax/history": ADMINS,
    "GET /admin/stores/{store}/settings/shipping": ADMINS,
    "PUT /admin/stores/{store}/settings/shipping": ADMINS,
    "GET /admin/stores/{store}/settings/shipping/history": ADMINS,
    # Each operator's own inbox in a store: any member; a shopper's own under /me.
    "GET /admin/stores/{store}/notifications": EVERY_ROLE,
    "POST /admin/stores/{store}/notifications/{notification}/read": EVERY_ROLE,
    "POST /admin/stores/{store}/notifications/read-all": EVERY_ROLE,
    "GET /admin/stores/{store}/notification-preferences": EVERY_ROLE,
    "PUT /admin/stores/{store}/notification-preferences": EVERY_ROLE,
    "GET /stores/{store}/me/notifications": SHOPPER,
    "POST /stores/{store}/me/notifications/{notification}/read": SHOPPER,
    "POST /stores/{store}/me/notifications/read-all": SHOPPER,
    # Outbound webhooks: integrations.manage.
    "GET /admin/stores/{store}/webhooks": ADMINS,
    "POST /admin/stores/{store}/webhooks": ADMINS,
    "GET /admin/stores/{store}/webhooks/{endpoint}": ADMINS,
    "PATCH /admin/stores/{store}/webhooks/{endpoint}": ADMINS,
    "DELETE /admin/stores/{store}/webhooks/{endpoint}": ADMINS,
    "POST /admin/stores/{store}/webhooks/{endpoint}/rotate-secret": ADMINS,
    "GET /admin/stores/{store}/webhooks/{endpoint}/deliveries": ADMINS,
    "POST /admin/stores/{store}/webhooks/{endpoint}/deliveries/{delivery}/redeliver": ADMINS,
    "POST /admin/stores/{store}/webhooks/{endpoint}/test": ADMINS,
    # Invoices and credit notes: invoices.read; a shopper their own order's (none here: 404 naming the order).
    "GET /admin/stores/{store}/invoices": EVERY_ROLE,
    "GET /admin/stores/{store}/invoices/{document}": EVERY_ROLE,
    "POST /admin/stores/{store}/invoices/exports": EVERY_ROLE,
    "GET /admin/stores/{store}/invoices/exports/{export}": EVERY_ROLE,
    "GET /stores/{store}/me/orders/{order}/invoice": SHOPPER,
    # Automated email flows: settings.manage.
    "GET /admin/stores/{store}/email-flows": ADMINS,
    "GET /admin/stores/{store}/email-flows/{flow}": ADMINS,
    "PATCH /admin/stores/{store}/email-flows/{flow}": ADMINS,
    "POST /admin/stores/{store}/email-flows/{flow}/preview": ADMINS,
    "GET /r/{token}": PUBLIC,  # a flow email's tracked link: the token is the secret, an unknown one is 404
    "POST /admin/stores/{store}/imports": EVERY_ROLE,
    "GET /admin/stores/{store}/imports/{import_id}": EVERY_ROLE,
    # The blog: catalog.write (whoever edits products edits posts); the SEO overview: catalog.read.
    "GET /admin/stores/{store}/blog/posts": EVERY_ROLE,
    "POST /admin/stores/{store}/blog/posts": EVERY_ROLE,
    "GET /admin/stores/{store}/blog/posts/{post}": EVERY_ROLE,
    "PATCH /admin/stores/{store}/blog/posts/{post}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/blog/posts/{post}": EVERY_ROLE,
    "GET /stores/{store}/blog/posts": PUBLIC,
    "GET /stores/{store}/blog/posts/{post}": PUBLIC,
    "GET /admin/stores/{store}/seo": EVERY_ROLE,
    # Product research: the product import's permissions (catalog.read, catalog.write).
    "GET /admin/stores/{store}/research/results": EVERY_ROLE,
    "GET /admin/stores/{store}/research/watchlist": EVERY_ROLE,
    "PUT /admin/stores/{store}/research/watchlist/{result_id}": EVERY_ROLE,
    "PATCH /admin/stores/{store}/research/watchlist/{result_id}": EVERY_ROLE,
    "DELETE /admin/stores/{store}/research/watchlist/{result_id}": EVERY_ROLE,
    "GET /admin/stores/{store}/research/settings": EVERY_ROLE,
    "PATCH /admin/stores/{store}/research/settings": EVERY_ROLE,
    "POST /admin/stores/{store}/research/imports": EVERY_ROLE,
}
# A valid body for routes whose body has required fields: a caller who may not call the route must be
# refused, not merely told the body is wrong (validation runs before the permission check).
BODIES: dict[str, Any] = {
    # A name that never resolves: an allowed caller is told the URL is refused, and nothing is created.
    "POST /admin/stores/{store}/webhooks": {"url": "https://hooks.invalid/nozzly", "event_types": ["order.placed"]},
    "PATCH /admin/stores/{store}/webhooks/{endpoint}": {"enabled": True},
    "PATCH /admin/stores/{store}/email-flows/{flow}": {"version": 0, "enabled": True},  # the default: no change
    "POST /admin/stores/{store}/imports": {"source_url": "https://supplier.invalid/p.json", "category": "blades"},
    # No research ran on that day: an allowed caller is told the result is not there, and nothing is written.
    "PUT /admin/stores/{store}/research/watchlist/{result_id}": {"day": "2026-12-01"},
    "PATCH /admin/stores/{store}/research/watchlist/{result_id}": {"notes": "access"},
    "PATCH /admin/stores/{store}/research/settings": {"version": 0},
    "POST /admin/stores/{store}/research/imports": {
        "day": "2026-12-01",
        "result_ids": ["res_" + "0" * 16],
        "category": "blades",
    },
    "PUT /admin/stores/{store}/notification-preferences": {"muted": []},
    "POST /admin/stores/{store}/invoices/exports": {"month": "2026-12"},
    "POST /admin/stores/{store}/orders/{order}/refunds": {"reason": "access check"},
    "POST /admin/stores/{store}/orders/{order}/status": {"status": "processing"},
    "POST /admin/stores/{store}/orders": {
        "email": "access@access.test",
        "lines": [{"product": "no-such-id", "quantity": 1}],
        "shipping_address": {
            "name": "Access",
            "line1": "Access 1",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "payment": "paid",
    },
    "POST /billing/checkout": {"plan": "starter", "interval": "month"},
    "POST /stores/{store}/carts/{session}/items": {"product": "ember-longsword", "variant_id": "standard"},
    "PATCH /stores/{store}/carts/{session}/items/{item}": {"quantity": 1},
    "PUT /stores/{store}/carts/{session}/coupon": {"code": "NOSUCHCODE"},
    "PUT /stores/{store}/carts/{session}/email": {"email": "access@example.com"},
    "POST /stores/{store}/reminders/opt-out": {"token": "no-such-token"},
    "POST /stores/{store}/carts/recover": {"token": "no-such-token"},
    "POST /stores/{store}/me/cart/recover": {"token": "no-such-token"},
    "PUT /admin/stores/{store}/settings/general": {"version": 0, "display_name": "Access"},
    "PUT /admin/stores/{store}/settings/branding": {"version": 0, "sender_name": "Access"},
    "PUT /admin/stores/{store}/settings/tax": {"version": 0},
    "PUT /admin/stores/{store}/settings/shipping": {"version": 0},
    "POST /admin/stores/{store}/settings/branding/logo": {"content_type": "image/png"},
    "POST /admin/stores/{store}/settings/payouts/stripe/onboarding": {
        "return_url": "https://shop.access.test/payouts/done",
        "refresh_url": "https://shop.access.test/payouts/again",
    },
    "POST /stores/{store}/products/{product}/reviews": {"rating": 5, "text": "Access matrix."},
    "POST /stores/{store}/products/{product}/variants/{variant}/back-in-stock": {"email": "access@access.test"},
    "POST /stores/{store}/events": {"events": [{"type": "page_view", "path": "/"}]},
    "POST /stores/{store}/me/cart/items": {"product": "ember-longsword", "variant_id": "standard"},
    "PATCH /stores/{store}/me/cart/items/{item}": {"quantity": 1},
    "PUT /stores/{store}/me/cart/coupon": {"code": "NOSUCHCODE"},
    "POST /stores/{store}/me/cart/merge": {"session_id": "no-such-session"},
    "PATCH /admin/stores/{store}/staff/{member}": {"role": "staff"},
    "POST /admin/stores/{store}/invitations": {"email": "invitee@access.test", "role": "staff"},
    "POST /admin/stores/{store}/products/{product}/images/uploads": {"content_type": "image/png"},
    "PATCH /admin/stores/{store}/products/{product}/images": {"images": []},
    "POST /admin/stores/{store}/categories/{category}/image/uploads": {"content_type": "image/png"},
    "POST /admin/stores/{store}/brands/{brand}/logo/uploads": {"content_type": "image/png"},
    "POST /admin/stores/{store}/products": {
        "title": "Access Lamp",
        "category": "no-such-id",
        "price": {"amount": 100, "currency": "EUR"},
    },
    "POST /admin/stores/{store}/products/bulk-status": {"products": ["no-such-id"], "status": "published"},
    "POST /admin/stores/{store}/products/{product}/variants": {"name": "Access", "sku": "ACCESS-1"},
    "POST /admin/stores/{store}/products/{product}/variants/{variant}/stock-adjustments": {
        "delta": 1,
        "reason": "received",
    },
    "POST /admin/stores/{store}/categories": {"name": "Access", "parent": "no-such-id"},
    "POST /admin/stores/{store}/brands": {"name": "Access", "logo_key": "stores/no-such-id/logo.png"},
    "POST /admin/stores/{store}/coupons": {"code": "ACCESS-10", "kind": "percent", "value": 1000},
    "POST /admin/stores/{store}/blog/posts": {"title": "Access", "slug": "access-matrix"},
}
# Path parameters: real where a public route needs one, otherwise ids that exist nowhere.
# Webhook ids have a documented shape (a malformed one is 400 before anything else), so these are well formed.
PATH_VALUES = {
    "flow": "welcome",
    "product": "ember-longsword",
    "endpoint": "ep_" + "0" * 16,
    "delivery": "msg_" + "0" * 26,
    "export": "exp_" + "0" * 16,
    "import_id": "imp_" + "0" * 20,
    "post": "no-such-post",
    "result_id": "res_" + "0" * 16,
}
STORE, OTHER_STORE = "mystmereforge", "access-matrix-other"
STAFF_ELSEWHERE = "staff of another store"
# The owner runs last: deleting the store ends everyone's access to it.
CALLERS = ("nobody", "operator", SHOPPER, "shopper of another store", STAFF_ELSEWHERE, STAFF, ADMIN, OWNER)
OPERATORS = frozenset({"operator", STAFF_ELSEWHERE, STAFF, ADMIN, OWNER})


@dataclass(frozen=True)
class Caller:
    name: str
    token: str | None


@dataclass(frozen=True)
class World:
    callers: dict[str, Caller]
    owned_store: str  # the store whose owner, admin and staff the callers are


@pytest.fixture(scope="module")
def world(local_cloud: LocalCloud) -> World:
    step = {"step": "store", "store": {"id": OTHER_STORE, "name": "Other", "currency": "EUR", "country": "DE"}}
    local_cloud.client("lambda").invoke(
        FunctionName=local_cloud.names["CatalogImport"], Payload=json.dumps(step | {"categories": []}).encode()
    )
    owner = log_in(local_cloud, "", "store-owner@access.test")
    store = open_ready_store(local_cloud, owner, "Access Matrix Books")
    other_owner = log_in(local_cloud, "", "other-owner@access.test")
    other_store = open_ready_store(local_cloud, other_owner, "Access Matrix Elsewhere")
    return World(
        callers={
            "nobody": Caller("nobody", None),
            "operator": Caller("operator", log_in(local_cloud, "", "owner@access.test")),
            SHOPPER: Caller(SHOPPER, log_in(local_cloud, f"/stores/{STORE}", "buyer@access.test")),
            # The same email, an independent account in another store.
            "shopper of another store": Caller(
                "shopper", log_in(local_cloud, f"/stores/{OTHER_STORE}", "buyer@access.test")
            ),
            STAFF_ELSEWHERE: Caller(
                STAFF_ELSEWHERE, invite(local_cloud, other_owner, other_store, "elsewhere@access.test", "staff")
            ),
            STAFF: Caller(STAFF, invite(local_cloud, owner, store, "staff@access.test", "staff")),
            ADMIN: Caller(ADMIN, invite(local_cloud, owner, store, "admin@access.test", "admin")),
            OWNER: Caller(OWNER, owner),
        },
        owned_store=store,
    )


def test_every_route_is_in_the_matrix() -> None:
    assert {r.route_key for r in http_routes(load_sam())} == set(ACCESS)


def _allowed(route_key: str, caller: str) -> bool:
    audience = ACCESS[route_key]
    if isinstance(audience, frozenset):
        return caller in audience
    if audience == OPERATOR:  # any operator, whatever stores they belong to
        return caller in OPERATORS
    return audience in (PUBLIC, caller)


def _call(cloud: LocalCloud, route_key: str, caller: Caller, owned_store: str) -> Response:
    method, path = route_key.split(" ", 1)
    method = "GET" if method == "ANY" else method  # a page: what a browser opening it sends
    store = owned_store if path.startswith("/admin/stores/{store}") else STORE
    path = path.replace("{store}", store)
    path = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "no-such-id"), path)
    headers = {"content-type": "application/json"}
    if caller.token:
        headers["authorization"] = f"Bearer {caller.token}"
    body = json.dumps(BODIES.get(route_key, {})).encode() if method in ("POST", "PATCH", "PUT") else None
    return http_request(cloud.api_url + path, method, headers, body)


def _store_hidden(response: Response) -> bool:
    """A 404 naming the store: the caller may not know it exists."""
    if response.status != 404:
        return False
    fields = response.json().get("error", {}).get("fields", [])
    return any(f.get("field") == "store" for f in fields)


# Logging out revokes the caller's refresh tokens and deleting the store ends the owner's access to it,
# so both run last for each caller.
ORDERED_ROUTES = sorted(
    ACCESS, key=lambda route: (route.endswith("/logout"), route == "DELETE /admin/stores/{store}", route)
)


@pytest.mark.parametrize("caller_name", CALLERS)
def test_each_caller_reaches_exactly_the_routes_allowed(
    local_cloud: LocalCloud, world: World, caller_name: str
) -> None:
    wrong = []
    for route_key in ORDERED_ROUTES:
        response = _call(local_cloud, route_key, world.callers[caller_name], world.owned_store)
        allowed = _allowed(route_key, caller_name)
        refused = response.status in (401, 403) or (
            isinstance(ACCESS[route_key], frozenset) and _store_hidden(response)
        )
        if allowed == refused or response.status >= 500:
            wrong.append(f"{route_key}: {response.status} {response.body[:160]!r}")
    assert not wrong, "\n".join(wrong)
