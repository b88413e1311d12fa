"""Payment providers (Stripe, Square) behind one gateway: payments, refunds, signed webhooks parsed and deduplicated;
each store's payout account (Stripe Connect) and the platform's fee."""

__all__ = ["adapters", "contracts", "domain", "services"]
