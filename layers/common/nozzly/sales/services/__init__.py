"""Use cases: domain rules applied through adapters. Handlers call these and nothing deeper."""

__all__ = [
    "cart_announcements",
    "cart_cleanup",
    "cart_recovery",
    "cart_reminder_optouts",
    "cart_reminders",
    "carts",
    "checkout",
    "checkout_payments",
    "checkout_recovery",
    "checkout_saga",
    "manual_orders",
    "payment_events",
    "payment_webhooks",
]
