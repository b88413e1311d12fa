"""The `branding` settings section: how the store's emails look and who their replies reach.

Pure. The logo is an image uploaded through a presigned POST (media/services/logo_uploads.py); this section
holds the key of the file it became, which must be one of this store's logo keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from nozzly.accounts.domain.accounts import checked_email
from nozzly.kernel.domain.errors import InvalidInput

if TYPE_CHECKING:
    from nozzly.stores.domain.store_settings import SectionContext

SECTION: Final = "branding"
DEFAULT_COLOUR: Final = "#2d6a4f"
COLOUR_PATTERN: Final = re.compile(r"^#[0-9a-f]{6}$")
MAX_SENDER_NAME: Final = 80
# What an email client shows as the sender: no quotes, angle brackets or line breaks to break the header.
SENDER_FORBIDDEN: Final = re.compile(r"[\"<>\\\r\n\t]")
LOGO_EXTENSIONS: Final = ("png", "jpg", "webp", "gif")
FIELDS: Final = ("sender_name", "reply_to", "brand_colour", "logo")


def logo_prefix(store_id: str) -> str:
    """Where a store's logo files live in the images bucket (one file per upload id)."""
    return f"branding/{store_id}/logo/"


def logo_key(store_id: str, upload_id: str, extension: str) -> str:
    return f"{logo_prefix(store_id)}{upload_id}.{extension}"


def defaults(context: SectionContext) -> dict[str, Any]:
    return {"sender_name": context.store_name, "reply_to": None, "brand_colour": DEFAULT_COLOUR, "logo": None}


def check(data: Mapping[str, Any], context: SectionContext) -> dict[str, Any]:
    reply_to = str(data.get("reply_to") or "").strip()
    logo = str(data.get("logo") or "").strip()
    return {
        "sender_name": sender_name(data.get("sender_name")),
        "reply_to": _email(reply_to) if reply_to else None,
        "brand_colour": colour(str(data.get("brand_colour") or "")),
        "logo": logo_of(context.store_id, logo) if logo else None,
    }


def sender_name(raw: object) -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise InvalidInput("emails need a sender name", field="sender_name")
    if len(name) > MAX_SENDER_NAME:
        raise InvalidInput(f"at most {MAX_SENDER_NAME} characters", field="sender_name")
    if SENDER_FORBIDDEN.search(name):
        raise InvalidInput('must not contain quotes, backslashes or "<" ">"', field="sender_name")
    return name


def _email(raw: str) -> str:
    try:
        return checked_email(raw)
    except InvalidInput as problem:
        raise InvalidInput(problem.message, field="reply_to") from None


def colour(raw: str) -> str:
    value = raw.strip().lower()
    if not COLOUR_PATTERN.match(value):
        raise InvalidInput("must be a colour like #1a2b3c", field="brand_colour")
    return value


def logo_of(store_id: str, key: str) -> str:
    """A logo key this store's upload link produced; another store's file or any other key is refused."""
    pattern = re.escape(logo_prefix(store_id)) + r"[0-9a-f]{32}\.(" + "|".join(LOGO_EXTENSIONS) + r")"
    if not re.fullmatch(pattern, key):
        raise InvalidInput("must be the `logo` an upload link of this store answered", field="logo")
    return key


def new_logo(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """The logo a change sets, if it sets another than there was (only a new file needs checking)."""
    logo = after.get("logo")
    return str(logo) if logo and logo != before.get("logo") else None
