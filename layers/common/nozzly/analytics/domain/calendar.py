"""Days in a store's time zone: every aggregate is kept per store and per local day. Pure Python.

A store's "today" starts at its local midnight (general settings' IANA zone), so an order placed at 23:30 in
Berlin counts on that Berlin day, whatever the UTC date is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo:
    """The store's zone; UTC for a name this runtime does not know (settings validate names on write)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(epoch: int | float, tz: ZoneInfo) -> date:
    """The store's calendar day an instant (epoch seconds) falls on."""
    return datetime.fromtimestamp(epoch, UTC).astimezone(tz).date()


def day_key(day: date) -> str:
    return day.isoformat()


def days(first: date, last: date) -> list[date]:
    """Every day from first to last, both included; empty when last is before first."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
