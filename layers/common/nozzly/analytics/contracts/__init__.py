"""Analytics: contracts."""
