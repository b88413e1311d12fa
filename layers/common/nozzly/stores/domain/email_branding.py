"""What every email shows of a store, merged from its settings: the branding and general sections, or the
`SETTINGS#email` item a store provisioned before sections existed still has.

Pure. A section an operator saved wins over the legacy item; a section still as provisioning (or a re-import of
an older store) wrote it, with its defaults, gives way to what the legacy item holds. What none has is left out
(the emails' defaults apply: the store's name, Nozzly's colour, no logo, no reply-to).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from nozzly.stores.domain.store_settings import PROVISIONING, SectionState

LEGACY_FIELDS: Final = ("sender_name", "reply_to", "brand_colour", "logo_url", "storefront_url")


def email_settings(
    branding: SectionState | None, general: SectionState | None, legacy: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """sender_name, reply_to, brand_colour, logo (a key; the adapter signs it as logo_url) or a legacy logo_url,
    storefront_url, support_email, support_phone, order_number_prefix, display_name, legal_name, legal_address:
    those the store has."""
    if branding is None and general is None and legacy is None:
        return None
    merged: dict[str, Any] = {}
    if general:
        data = general.data
        merged |= {
            "storefront_url": data.get("storefront_url"),
            "support_email": data.get("contact_email"),
            "support_phone": data.get("support_phone"),
            "order_number_prefix": data.get("order_number_prefix") or "",
            "display_name": data.get("display_name"),
            # The marketing emails' legal footer (the invoices' seller too): who sends them, and from where.
            "legal_name": data.get("legal_name"),
            "legal_address": data.get("legal_address"),
        }
    if branding:
        merged |= {field: branding.data.get(field) for field in ("sender_name", "reply_to", "brand_colour", "logo")}
    for field in LEGACY_FIELDS:
        owner = general if field == "storefront_url" else branding
        if legacy and legacy.get(field) and (owner is None or owner.updated_by == PROVISIONING):
            merged[field] = legacy[field]
    return {field: value for field, value in merged.items() if value is not None}
