"""Account emails (codes, notices, invitations, welcome), rendered from their templates in emails/templates.

The identity flows call these by name; the texts live in the templates, the facts in accounts/emails/accounts.py.
"""

from __future__ import annotations

from nozzly.accounts.emails import accounts
from nozzly.messaging.domain.outgoing_email import OutgoingEmail
from nozzly.messaging.emails.render import render


def verification_code(place: str, code: str, ttl_seconds: int) -> OutgoingEmail:
    return render("verification_code", accounts.verification_code(place, code, ttl_seconds))


def reset_code(place: str, code: str, ttl_seconds: int) -> OutgoingEmail:
    return render("reset_code", accounts.reset_code(place, code, ttl_seconds))


def existing_account(place: str) -> OutgoingEmail:
    return render("existing_account", accounts.existing_account(place))


def welcome(place: str, name: str | None = None) -> OutgoingEmail:
    return render("welcome", accounts.welcome(place, name))


def staff_invitation(store: str, role: str, token: str) -> OutgoingEmail:
    return render("staff_invitation", accounts.staff_invitation(store, role, token))
