"""Analytics: adapters."""
