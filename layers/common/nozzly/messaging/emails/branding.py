"""What every email shares: the store's branding and money as a shopper reads it."""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.kernel.domain.money import Money

DEFAULT_COLOUR = "#2d6a4f"
NOZZLY = "Nozzly"  # the sender of operators' account emails, which belong to no store


def money(amount: int, currency: str) -> str:
    return f"{Money(amount, currency).to_decimal_string()} {currency}"


def brand(store: Store, email_settings: dict[str, Any] | None) -> dict[str, Any]:
    settings = email_settings or {}
    return named(settings.get("sender_name") or store.name, settings)


def named(name: str, email_settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Branding from a name alone (account emails know only the store's or Nozzly's name)."""
    settings = email_settings or {}
    return {
        "name": name,
        "colour": settings.get("brand_colour") or DEFAULT_COLOUR,
        "logo_url": settings.get("logo_url"),
        "reply_to": settings.get("reply_to"),
    }
