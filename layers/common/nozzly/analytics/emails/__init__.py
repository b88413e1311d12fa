"""Analytics: emails."""
