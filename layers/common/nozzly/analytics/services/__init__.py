"""Analytics: services."""
