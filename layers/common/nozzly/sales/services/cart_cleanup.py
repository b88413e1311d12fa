"""The hourly stale-cart cleanup: carts past their expiry are deleted, whatever DynamoDB's TTL has done so far.

A cart holds no stock (checkout reserves, and the checkout saga releases on failure or timeout), so removing
a stale cart releases nothing but the cart item itself. Readers already treat an expired cart as absent; the
cleanup only keeps the table from carrying them until TTL gets round to it (up to two days late on AWS,
never in the local emulator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nozzly.sales.adapters.carts import CartsRepository

HOUR = 3600
# Each run looks this far back: enough to make up for runs that failed or never came. Older carts are
# DynamoDB TTL's (which deletes within about two days), and readers ignore them meanwhile.
LOOKBACK_HOURS = 72


@dataclass(frozen=True, slots=True)
class CleanupReport:
    hours: int  # expiry hours queried
    deleted: int
    kept: int  # touched (or removed) between the query and the delete
    complete: bool  # False: time ran out; the next run goes on where this one stopped

    def as_dict(self) -> dict[str, int | bool]:
        return {"hours": self.hours, "deleted": self.deleted, "kept": self.kept, "complete": self.complete}


def remove_stale_carts(
    carts: CartsRepository,
    now: float,
    *,
    lookback_hours: int = LOOKBACK_HOURS,
    out_of_time: Callable[[], bool] = lambda: False,
) -> CleanupReport:
    """Delete every cart that expired before `now`, oldest hour first, each only if still unchanged."""
    first = int(now) // HOUR - lookback_hours
    last = int(now) // HOUR
    deleted = kept = 0
    for hour in range(first, last + 1):
        for stale in carts.expired_in_hour(hour * HOUR, now):
            if out_of_time():
                return CleanupReport(hour - first, deleted, kept, complete=False)
            if carts.delete_stale(stale, now):
                deleted += 1
            else:
                kept += 1
    return CleanupReport(last - first + 1, deleted, kept, complete=True)
