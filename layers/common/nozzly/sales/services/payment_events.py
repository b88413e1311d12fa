"""What a verified, deduplicated payment event does to its checkout and order.

The webhook function (functions/payment_webhooks) calls handle() at most once per provider event: it has
already verified the signature and recorded the event id (payments/adapters/once.py).
"""

from __future__ import annotations

from functools import cache

from nozzly.payments.domain.payments import PaymentEvent
from nozzly.payments.domain.payouts import AccountEvent
from nozzly.payments.services.payouts import AccountUpdates
from nozzly.sales.services.checkout_payments import CheckoutPayments


@cache
def _payments() -> CheckoutPayments:
    from nozzly.sales.adapters.checkouts import CheckoutsRepository
    from nozzly.sales.adapters.workflows import TaskTokens
    from nozzly.settings import get_settings

    return CheckoutPayments(CheckoutsRepository(get_settings().orders_table), TaskTokens())


@cache
def _accounts() -> AccountUpdates:
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.settings import get_settings

    return AccountUpdates(PayoutAccountsRepository(get_settings().stores_table))


def handle(event: PaymentEvent | AccountEvent) -> str:
    """Apply one payment event; return a short outcome word stored with the event's idempotency record.

    SUCCEEDED resumes the checkout's saga towards the order ("confirmed"); FAILED and CANCELED send it to
    compensation ("failed"). REFUNDED and PENDING change nothing here (refunds are recorded by the refund
    route that asked for them). An event for an unknown checkout, or one no longer waiting for this payment,
    is logged and acknowledged without effect ("ignored"). Raising makes the provider deliver it again later.
    An `account.updated` event stores the connected account's new state ("updated", or "ignored").
    """
    if isinstance(event, AccountEvent):
        return _accounts().on_event(event)
    return _payments().on_event(event)
