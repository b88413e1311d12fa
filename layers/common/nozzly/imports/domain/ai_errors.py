"""Why an AI call gave no usable answer: each makes the copy step try again or fall back, never fail."""

from __future__ import annotations


class AiThrottled(Exception):
    """Bedrock refused for load (ThrottlingException, ServiceUnavailable, ModelNotReady): worth one retry."""


class AiUnavailable(Exception):
    """Bedrock failed otherwise (access, validation, model error): retrying the same call will not help."""


class BudgetExhausted(Exception):
    """The store's AI tokens for today are spent (or this call would pass the budget)."""
