"""Where the local payment peers listen and the local provider secrets; the template parameters they make.

Ports move with NOZZLY_STRIPE_PORT / NOZZLY_SQUARE_PORT (like localcloud.ports). The secrets are local
throwaway values: anyone reading this file may forge local webhooks, which is the point for tests.
"""

from __future__ import annotations

import os

from localcloud.ports import api_port

STRIPE_SECRET_KEY = "sk_test_nozzly_local"  # localstripe accepts any key starting with sk_
STRIPE_WEBHOOK_SECRET = "whsec_nozzly_local_webhooks"
STRIPE_BILLING_WEBHOOK_SECRET = "whsec_nozzly_local_billing"  # the billing endpoint's own (Stripe signs each)
STRIPE_PUBLISHABLE_KEY = "pk_test_nozzly_local"
SQUARE_ACCESS_TOKEN = "EAAAnozzlyLocalSandboxToken"
SQUARE_SIGNATURE_KEY = "nozzly-local-square-signature-key"
SQUARE_LOCATION_ID = "LNOZZLYLOCAL01"
SQUARE_APPLICATION_ID = "sandbox-sq0idb-nozzly-local"
SQUARE_APPLICATION_SECRET = "sandbox-sq0csb-nozzly-local-secret"
PLATFORM_FEE_BASIS_POINTS = 250  # the local platform keeps 2.5 % of each Stripe payment, so the fee path runs


def stripe_port() -> int:
    return int(os.environ.get("NOZZLY_STRIPE_PORT", "8420"))  # localstripe's own default


def square_port() -> int:
    return int(os.environ.get("NOZZLY_SQUARE_PORT", "8430"))


def stripe_url() -> str:
    return f"http://127.0.0.1:{stripe_port()}"


def square_url() -> str:
    return f"http://127.0.0.1:{square_port()}"


def webhook_url(provider: str) -> str:
    """The local gateway's webhook route; for Square also the exact URL its signatures cover."""
    return f"http://127.0.0.1:{api_port()}/webhooks/{provider}"


def provider_secrets() -> dict[str, str]:
    """The SSM SecureString parameters (names under /{stack}/providers/) the local cloud creates at start, as an
    adopter creates them before deploying (README "Provider secrets")."""
    return {
        "stripe-secret-key": STRIPE_SECRET_KEY,
        "stripe-webhook-secret": STRIPE_WEBHOOK_SECRET,
        "stripe-billing-webhook-secret": STRIPE_BILLING_WEBHOOK_SECRET,
        "square-access-token": SQUARE_ACCESS_TOKEN,
        "square-webhook-signature-key": SQUARE_SIGNATURE_KEY,
        "square-application-secret": SQUARE_APPLICATION_SECRET,
    }


def payment_parameters() -> tuple[tuple[str, str], ...]:
    """The template's payment parameters for the local stack, read when localcloud.template is imported."""
    return (
        ("StripeApiBase", stripe_url()),
        ("PlatformFeeBasisPoints", str(PLATFORM_FEE_BASIS_POINTS)),
        ("SquareBaseUrl", square_url()),
        ("SquareLocationId", SQUARE_LOCATION_ID),
        ("SquareNotificationUrl", webhook_url("square")),
        ("SquareApplicationId", SQUARE_APPLICATION_ID),
        ("SquareOAuthRedirectUrl", f"http://127.0.0.1:{api_port()}/payouts/square/callback"),
        # The checkout page's payment scripts: each peer serves its provider's browser library's stand-in.
        ("StripeJsUrl", f"{stripe_url()}/js.stripe.com/v3/"),
        ("StripePublishableKey", STRIPE_PUBLISHABLE_KEY),
        ("SquareJsUrl", f"{square_url()}/v1/square.js"),
    )
