"""Payments: the providers' gateways, shared by every function that takes, voids or refunds a payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.payments.adapters.gateway import PaymentGateway
    from nozzly.payments.domain.payments import Provider


@factory
def payment_gateways() -> dict[Provider, PaymentGateway]:
    """Both gateways, from the function's PaymentProviderSettings; neither SDK loads before its first call."""
    from nozzly.payments.adapters.providers import payment_gateways
    from nozzly.settings import PaymentProviderSettings, load

    return payment_gateways(load(PaymentProviderSettings))
