"""Analytics: domain."""
