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
    """`email_settings` is the store's one email read (StoreSettingsRepository.email_settings)."""
    settings = email_settings or {}
    return named(settings.get("sender_name") or store.name, settings)


def named(name: str, email_settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Branding from a name alone (account emails know only the store's or Nozzly's name)."""
    settings = email_settings or {}
    storefront = settings.get("storefront_url")
    return {
        "name": name,
        "colour": settings.get("brand_colour") or DEFAULT_COLOUR,
        "logo_url": settings.get("logo_url"),
        "reply_to": settings.get("reply_to"),  # also the Reply-To header (messaging/emails/render.py)
        "storefront_url": str(storefront).rstrip("/") if storefront else None,
        "support_email": settings.get("support_email"),
        "support_phone": settings.get("support_phone"),
        "order_prefix": str(settings.get("order_number_prefix") or ""),
        # Marketing emails' legal footer: the seller's legal name (else the brand's) and postal address.
        "legal_name": settings.get("legal_name") or name,
        "legal_address": settings.get("legal_address"),
    }


def order_number(number: int, branding: dict[str, Any]) -> str:
    """An order's number as people read it: the store's current prefix before the stored integer."""
    return f"{branding.get('order_prefix') or ''}{number}"
