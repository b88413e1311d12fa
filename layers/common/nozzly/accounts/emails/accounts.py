"""What account emails show: a code or an invitation, under the name of the place the account belongs to
(a store for shoppers, Nozzly for operators). A store's shoppers' emails carry the store's branding (`settings`:
its email settings); operators' emails and invitations are Nozzly's."""

from __future__ import annotations

from typing import Any

from nozzly.messaging.emails.branding import NOZZLY, named


def duration(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if hours and not minutes:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"


def _brand(place: str, settings: dict[str, Any] | None) -> dict[str, Any]:
    return named((settings or {}).get("sender_name") or place, settings)


def verification_code(
    place: str, code: str, ttl_seconds: int, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "subject": f"Your {place} verification code",
        "brand": _brand(place, settings),
        "place": place,
        "code": code,
        "expires_in": duration(ttl_seconds),
    }


def reset_code(place: str, code: str, ttl_seconds: int, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "subject": f"Reset your {place} password",
        "brand": _brand(place, settings),
        "place": place,
        "code": code,
        "expires_in": duration(ttl_seconds),
    }


def existing_account(place: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "subject": f"Someone tried to sign up to {place} with your address",
        "brand": _brand(place, settings),
        "place": place,
    }


def welcome(
    place: str, name: str | None = None, settings: dict[str, Any] | None = None, words: tuple[str, str] | None = None
) -> dict[str, Any]:
    """`words`: a store's welcome flow's subject and intro, filled (absent: the defaults)."""
    subject, intro = words or (f"Welcome to {place}", "")
    return {"subject": subject, "intro": intro, "brand": _brand(place, settings), "place": place, "name": name}


def staff_invitation(store: str, role: str, token: str, link: str | None = None) -> dict[str, Any]:
    return {
        "subject": f"You are invited to help run {store}",
        "brand": named(NOZZLY),
        "store": store,
        "role": role,
        "token": token,
        "link": link,
    }
