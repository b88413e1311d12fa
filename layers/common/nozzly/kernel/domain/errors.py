"""Domain errors. The API layer maps each kind to one HTTP status; nothing else needs to know HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the domain refused the request."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"


class InvalidInput(DomainError):
    code = "invalid_input"


class Conflict(DomainError):
    code = "conflict"


class Unauthorized(DomainError):
    """The caller is not (or no longer) who they need to be: no valid identity for this request."""

    code = "unauthorized"


class Forbidden(DomainError):
    code = "forbidden"


class TooManyRequests(DomainError):
    """Refused before doing anything; the caller may try again after `retry_after` seconds."""

    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PaymentRequired(DomainError):
    """The merchant's plan or billing state does not cover the request: upgrading or paying would."""

    code = "payment_required"


class PlanLimitReached(PaymentRequired):
    """A limited create refused because the account's plan is full: names the limit, the usage, the plan that
    would allow one more (None: no plan does)."""

    code = "plan_limit_reached"

    def __init__(self, message: str, *, limit: str, usage: int, maximum: int, plan: str, upgrade_to: str | None):
        super().__init__(message, field=limit)
        self.plan_limit = {"limit": limit, "usage": usage, "maximum": maximum, "plan": plan, "upgrade_to": upgrade_to}
