"""The configured gateway of each provider, from a function's PaymentProviderSettings."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from nozzly.kernel.adapters.secrets import secret
from nozzly.payments.adapters.gateway import PaymentGateway
from nozzly.payments.adapters.square_oauth import SquareAuthorization
from nozzly.payments.adapters.stripe_connect import ConnectAccounts
from nozzly.payments.domain.payments import Provider

if TYPE_CHECKING:
    from nozzly.settings import PaymentProviderSettings, PayoutSettings, SquareOAuthSettings


def payment_gateways(settings: PaymentProviderSettings) -> dict[Provider, PaymentGateway]:
    """Both gateways; neither SDK is imported, nor its key read, until a gateway makes its first call."""
    from nozzly.payments.adapters.square_gateway import SquareGateway
    from nozzly.payments.adapters.stripe_gateway import StripeGateway

    return {
        Provider.STRIPE: StripeGateway(partial(secret, settings.stripe_secret_key_parameter), settings.stripe_api_base),
        Provider.SQUARE: SquareGateway(
            partial(secret, settings.square_access_token_parameter),
            settings.square_base_url,
            settings.square_location_id or None,
        ),
    }


def connect_accounts(settings: PayoutSettings) -> ConnectAccounts:
    """Stripe Connect through the platform's key (the SDK loads on the first call)."""
    from nozzly.payments.adapters.stripe_connect import StripeConnect

    return StripeConnect(partial(secret, settings.stripe_secret_key_parameter), settings.stripe_api_base)


def square_authorization(settings: SquareOAuthSettings) -> SquareAuthorization:
    """Square OAuth through the platform's application (the SDK loads on the first call)."""
    from nozzly.payments.adapters.square_oauth import SquareOAuth

    return SquareOAuth(
        settings.square_application_id,
        partial(secret, settings.square_application_secret_parameter),
        settings.square_base_url,
    )
