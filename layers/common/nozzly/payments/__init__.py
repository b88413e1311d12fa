"""Payment providers (Stripe, Square) behind one gateway: payments, refunds, signed webhooks parsed and deduplicated."""

__all__ = ["adapters", "domain"]
