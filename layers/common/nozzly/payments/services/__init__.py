"""Use cases: payment rules applied through adapters (what handlers and other capabilities' services call)."""

__all__ = ["payouts", "square_connect"]
