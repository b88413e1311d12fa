"""Who issues a store's documents, and how: read from the store's general settings (plain data). Pure.

The legal name falls back to the display name, so a store that never filled in its legal details still gets
invoices (with no tax id on them) rather than none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from nozzly.invoices.domain.documents import Party
from nozzly.invoices.domain.invoicing import Issue


@dataclass(frozen=True, slots=True)
class Issuer:
    seller: Party
    prefix: str
    language: str
    timezone: str
    colour: str | None
    order_prefix: str = ""  # shown before order numbers (general settings' order_number_prefix)

    def issue(self, now: float) -> Issue:
        """The issue's date and year in the store's own time zone (an invoice dated on the store's calendar)."""
        local = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(self.timezone))
        return Issue(int(now), local.date().isoformat(), local.year, self.language, self.seller)


def issuer_from_settings(general: Mapping[str, Any], store_name: str, colour: str | None = None) -> Issuer:
    address = str(general.get("legal_address") or "")
    seller = Party(
        name=str(general.get("legal_name") or general.get("display_name") or store_name),
        address_lines=tuple(line.strip() for line in address.splitlines() if line.strip()),
        tax_id=str(general["tax_id"]) if general.get("tax_id") else None,
        email=str(general["contact_email"]) if general.get("contact_email") else None,
    )
    return Issuer(
        seller=seller,
        prefix=str(general.get("invoice_prefix") or ""),
        language=str(general.get("default_language") or "en"),
        timezone=str(general.get("timezone") or "UTC"),
        colour=colour,
        order_prefix=str(general.get("order_number_prefix") or ""),
    )
