"""The `general` settings section: how the store presents itself and the units it works in.

Pure. `check` judges a whole new value and answers it normalised, or raises InvalidInput naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nozzly.accounts.domain.accounts import checked_email
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.phones import normalise_phone

if TYPE_CHECKING:
    from nozzly.stores.domain.store_settings import SectionContext

SECTION: Final = "general"
# BCP-47 tags the storefront and emails are written in; canonical case (language lower, region upper).
SUPPORTED_LANGUAGES: Final = (
    "da", "de", "de-AT", "de-CH", "de-DE", "en", "en-AU", "en-GB", "en-IE", "en-US", "es", "es-ES", "fi", "fr",
    "fr-BE", "fr-CA", "fr-CH", "fr-FR", "it", "it-IT", "ja", "nb", "nl", "nl-BE", "nl-NL", "pl", "pt", "pt-BR",
    "pt-PT", "sv",
)  # fmt: skip
WEIGHT_UNITS: Final = ("g", "kg", "lb", "oz")
MAX_NAME: Final = 120
MAX_PREFIX: Final = 8
PREFIX_PATTERN: Final = re.compile(r"^[A-Z0-9-]*$")
MAX_URL: Final = 2000
# http is for a storefront running on the developer's machine; anything shoppers reach is https.
LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1"})
FIELDS: Final = (
    "display_name",
    "contact_email",
    "support_phone",
    "storefront_url",
    "default_language",
    "timezone",
    "weight_unit",
    "order_number_prefix",
    "daily_summary",
    "legal_name",
    "legal_address",
    "tax_id",
    "invoice_prefix",
)
MAX_LEGAL_ADDRESS: Final = 400
MAX_TAX_ID: Final = 40


def defaults(context: SectionContext) -> dict[str, Any]:
    return {
        "display_name": context.store_name,
        "contact_email": None,
        "support_phone": None,
        "storefront_url": None,
        "default_language": "en",
        "timezone": "UTC",
        "weight_unit": "kg",
        "order_number_prefix": "",
        "daily_summary": False,
        "legal_name": None,
        "legal_address": None,
        "tax_id": None,
        "invoice_prefix": "",
    }


def check(data: Mapping[str, Any], context: SectionContext) -> dict[str, Any]:
    return {
        "display_name": display_name(data.get("display_name")),
        "contact_email": _optional(data.get("contact_email"), "contact_email", _email),
        "support_phone": _optional(data.get("support_phone"), "support_phone", normalise_phone),
        "storefront_url": _optional(data.get("storefront_url"), "storefront_url", storefront_url),
        "default_language": language(str(data.get("default_language") or "")),
        "timezone": timezone(str(data.get("timezone") or "")),
        "weight_unit": weight_unit(str(data.get("weight_unit") or "")),
        "order_number_prefix": order_number_prefix(str(data.get("order_number_prefix") or "")),
        "daily_summary": daily_summary(data.get("daily_summary", False)),
        # The seller's legal details printed on every invoice and credit note (invoices/domain/seller.py).
        "legal_name": _optional(data.get("legal_name"), "legal_name", _legal_name),
        "legal_address": _optional(data.get("legal_address"), "legal_address", _legal_address),
        "tax_id": _optional(data.get("tax_id"), "tax_id", _tax_id),
        "invoice_prefix": invoice_prefix(str(data.get("invoice_prefix") or "")),
    }


def display_name(raw: object) -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise InvalidInput("the store needs a display name", field="display_name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"at most {MAX_NAME} characters", field="display_name")
    return name


def _optional(raw: object, field: str, judge: Callable[[str, str], str]) -> str | None:
    """None, or the value judged; an empty string clears it like null does."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return None
    return judge(text, field)


def _email(raw: str, field: str) -> str:
    try:
        return checked_email(raw)
    except InvalidInput as problem:
        raise InvalidInput(problem.message, field=field) from None


def storefront_url(raw: str, field: str = "storefront_url") -> str:
    """An absolute https URL of the storefront's home, without query or fragment (emails append paths to it);
    http only for localhost. Answered without a trailing slash."""
    if len(raw) > MAX_URL or any(c.isspace() or not c.isprintable() for c in raw):
        raise InvalidInput("must be an https URL without spaces", field=field)
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        raise InvalidInput("must be an https URL", field=field) from None
    if parts.scheme.lower() not in ("https", "http") or not host or parts.username or parts.password:
        raise InvalidInput("must be an absolute https URL such as https://shop.example", field=field)
    if parts.scheme.lower() == "http" and host.lower() not in LOCAL_HOSTS:
        raise InvalidInput("must use https (http only for localhost or 127.0.0.1)", field=field)
    if parts.query or parts.fragment:
        raise InvalidInput("must not have a query or fragment: emails add paths to it", field=field)
    return raw.rstrip("/")


def language(raw: str) -> str:
    by_lower = {tag.lower(): tag for tag in SUPPORTED_LANGUAGES}
    found = by_lower.get(raw.strip().replace("_", "-").lower())
    if found is None:
        raise InvalidInput(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}", field="default_language")
    return found


def timezone(raw: str) -> str:
    name = raw.strip()
    # ZoneInfo also opens relative paths; an IANA name never holds "..", a leading "/" or a backslash.
    if not name or ".." in name or name.startswith("/") or "\\" in name:
        raise InvalidInput("must be an IANA time zone such as Europe/Berlin", field="timezone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name!r} is not an IANA time zone (such as Europe/Berlin)", field="timezone") from None
    return name


def weight_unit(raw: str) -> str:
    unit = raw.strip().lower()
    if unit not in WEIGHT_UNITS:
        raise InvalidInput(f"must be one of {', '.join(WEIGHT_UNITS)}", field="weight_unit")
    return unit


def order_number_prefix(raw: str) -> str:
    prefix = raw.strip().upper()
    if len(prefix) > MAX_PREFIX or not PREFIX_PATTERN.match(prefix):
        raise InvalidInput(
            f"at most {MAX_PREFIX} letters A-Z, digits and dashes (or empty)", field="order_number_prefix"
        )
    return prefix


def _legal_name(raw: str, field: str) -> str:
    name = " ".join(raw.split())
    if len(name) > MAX_NAME:
        raise InvalidInput(f"at most {MAX_NAME} characters", field=field)
    return name


def _legal_address(raw: str, field: str) -> str:
    """Lines as printed on invoices: each line's spaces collapsed, empty lines dropped."""
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > MAX_LEGAL_ADDRESS or any(not c.isprintable() for c in text.replace("\n", "")):
        raise InvalidInput(f"at most {MAX_LEGAL_ADDRESS} printable characters", field=field)
    return text


def _tax_id(raw: str, field: str) -> str:
    """A VAT or tax number as the authority writes it (letters, digits, spaces, dots, dashes, slashes)."""
    text = " ".join(raw.split()).upper()
    if len(text) > MAX_TAX_ID or not re.fullmatch(r"[A-Z0-9 ./-]+", text):
        raise InvalidInput(f"at most {MAX_TAX_ID} of A-Z, 0-9, spaces, '.', '/' and '-'", field=field)
    return text


def invoice_prefix(raw: str) -> str:
    prefix = raw.strip().upper()
    if len(prefix) > MAX_PREFIX or not PREFIX_PATTERN.match(prefix):
        raise InvalidInput(f"at most {MAX_PREFIX} letters A-Z, digits and dashes (or empty)", field="invoice_prefix")
    return prefix


def daily_summary(raw: object) -> bool:
    """The owner's opt-in to the morning sales email; a real boolean only, so "false" cannot switch it on."""
    if not isinstance(raw, bool):
        raise InvalidInput("must be true or false", field="daily_summary")
    return raw


def order_number_text(prefix: str, number: int) -> str:
    """How people read an order's number: the store's prefix (as it is now) before the stored integer."""
    return f"{prefix}{number}"
