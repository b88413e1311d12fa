"""What every email shows of a store, merged from its settings: the branding and general sections, or the
`SETTINGS#email` item a store provisioned before sections existed still has.

Pure. A saved section wins over the legacy item, field by field; what neither has is left out (the emails'
defaults apply: the store's name, Nozzly's colour, no logo, no reply-to).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

LEGACY_FIELDS: Final = ("sender_name", "reply_to", "brand_colour", "logo_url", "storefront_url")


def email_settings(
    branding: Mapping[str, Any] | None, general: Mapping[str, Any] | None, legacy: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """sender_name, reply_to, brand_colour, logo (a key; the adapter signs it as logo_url) or a legacy logo_url,
    storefront_url, support_email, support_phone, order_number_prefix: those the store has."""
    if branding is None and general is None and legacy is None:
        return None
    merged = {field: legacy[field] for field in LEGACY_FIELDS if legacy and legacy.get(field)}
    if general:
        merged |= {
            "storefront_url": general.get("storefront_url"),
            "support_email": general.get("contact_email"),
            "support_phone": general.get("support_phone"),
            "order_number_prefix": general.get("order_number_prefix") or "",
            "display_name": general.get("display_name"),
        }
    if branding:
        merged |= {field: branding.get(field) for field in ("sender_name", "reply_to", "brand_colour", "logo")}
    return {field: value for field, value in merged.items() if value is not None}
