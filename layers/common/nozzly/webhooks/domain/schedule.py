"""When a failed delivery is tried again, and when an endpoint is given up on.

Attempt 1 is immediate; after each failure the next waits, in order: 1 min, 5 min, 30 min, 2 h, 5 h, 10 h,
12 h, 24 h, 24 h (9 retries, 10 attempts, about 3 days 6 hours in total). After the last attempt fails the delivery is
`failed` for good (manual redelivery still works). `scale` shortens every wait (tests use 0.001: seconds).

An endpoint is disabled when it has failed every attempt of DISABLE_AFTER_FAILED_DELIVERIES deliveries in a
row (each one already retried for ~3 days), or when its first failure in the current streak is older than
DISABLE_AFTER_SECONDS: whichever comes first. One success resets the streak.
"""

from __future__ import annotations

from typing import Final

BACKOFF_SECONDS: Final[tuple[int, ...]] = (60, 300, 1800, 7200, 18000, 36000, 43200, 86400, 86400)
MAX_ATTEMPTS: Final = len(BACKOFF_SECONDS) + 1
DISABLE_AFTER_FAILED_DELIVERIES: Final = 5
DISABLE_AFTER_SECONDS: Final = 3 * 86400
# SQS caps a message's delay at 15 minutes: longer waits are re-enqueued until due.
SQS_MAX_DELAY: Final = 900


def next_delay(failed_attempts: int, scale: float = 1.0) -> float | None:
    """Seconds to wait after the `failed_attempts`-th failure, or None when there is no attempt left."""
    if failed_attempts < 1 or failed_attempts > len(BACKOFF_SECONDS):
        return None
    return max(0.0, BACKOFF_SECONDS[failed_attempts - 1] * scale)


def total_window(scale: float = 1.0) -> float:
    return sum(max(0.0, s * scale) for s in BACKOFF_SECONDS)


def sqs_delay(due_in: float) -> int:
    """The DelaySeconds for a message due in `due_in` seconds: at most SQS's cap (the sender re-enqueues)."""
    return max(0, min(SQS_MAX_DELAY, int(due_in + 0.999)))


def should_disable(failed_deliveries: int, streak_started_at: float | None, now: float, scale: float = 1.0) -> bool:
    if failed_deliveries >= DISABLE_AFTER_FAILED_DELIVERIES:
        return True
    return streak_started_at is not None and now - streak_started_at >= DISABLE_AFTER_SECONDS * scale
