"""Account emails (codes, notices, invitations, welcome), rendered from their templates in emails/templates.

The identity flows call these by name; the texts live in the templates, the facts in accounts/emails/accounts.py.
"""

from __future__ import annotations

from typing import Any

from nozzly.accounts.emails import accounts
from nozzly.messaging.domain.outgoing_email import OutgoingEmail
from nozzly.messaging.emails.render import render

Settings = dict[str, Any] | None  # a store's email settings: its shoppers' emails carry its brand


def verification_code(place: str, code: str, ttl_seconds: int, settings: Settings = None) -> OutgoingEmail:
    return render("verification_code", accounts.verification_code(place, code, ttl_seconds, settings))


def reset_code(place: str, code: str, ttl_seconds: int, settings: Settings = None) -> OutgoingEmail:
    return render("reset_code", accounts.reset_code(place, code, ttl_seconds, settings))


def existing_account(place: str, settings: Settings = None) -> OutgoingEmail:
    return render("existing_account", accounts.existing_account(place, settings))


def welcome(
    place: str, name: str | None = None, settings: Settings = None, words: tuple[str, str] | None = None
) -> OutgoingEmail:
    return render("welcome", accounts.welcome(place, name, settings, words))


def staff_invitation(store: str, role: str, token: str, link: str | None = None) -> OutgoingEmail:
    return render("staff_invitation", accounts.staff_invitation(store, role, token, link))
