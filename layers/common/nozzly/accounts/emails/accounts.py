"""What account emails show: a code or an invitation, under the name of the place the account belongs to
(a store for shoppers, Nozzly for operators). They carry no store settings: the identity flows know only names."""

from __future__ import annotations

from typing import Any

from nozzly.messaging.emails.branding import NOZZLY, named


def duration(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if hours and not minutes:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"


def verification_code(place: str, code: str, ttl_seconds: int) -> dict[str, Any]:
    return {
        "subject": f"Your {place} verification code",
        "brand": named(place),
        "place": place,
        "code": code,
        "expires_in": duration(ttl_seconds),
    }


def reset_code(place: str, code: str, ttl_seconds: int) -> dict[str, Any]:
    return {
        "subject": f"Reset your {place} password",
        "brand": named(place),
        "place": place,
        "code": code,
        "expires_in": duration(ttl_seconds),
    }


def existing_account(place: str) -> dict[str, Any]:
    return {
        "subject": f"Someone tried to sign up to {place} with your address",
        "brand": named(place),
        "place": place,
    }


def welcome(place: str, name: str | None) -> dict[str, Any]:
    return {"subject": f"Welcome to {place}", "brand": named(place), "place": place, "name": name}


def staff_invitation(store: str, role: str, token: str) -> dict[str, Any]:
    return {
        "subject": f"You are invited to help run {store}",
        "brand": named(NOZZLY),
        "store": store,
        "role": role,
        "token": token,
    }
