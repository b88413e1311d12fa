"""The texts of account emails, kept apart from the flows that send them (they will become templates)."""

from __future__ import annotations

from html import escape

from nozzly.adapters.email import OutgoingEmail


def _duration(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if hours and not minutes:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"


def _html(paragraphs: list[str]) -> str:
    # Every paragraph is escaped: store names come from store owners.
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f'<!doctype html><html><body style="font-family:sans-serif">{body}</body></html>'


def _email(subject: str, paragraphs: list[str]) -> OutgoingEmail:
    return OutgoingEmail(subject=subject, text="\n\n".join(paragraphs) + "\n", html=_html(paragraphs))


def verification_code(place: str, code: str, ttl_seconds: int) -> OutgoingEmail:
    return _email(
        f"Your {place} verification code",
        [
            f"Your verification code is {code}",
            f"Enter it to confirm your email address. It expires in {_duration(ttl_seconds)}.",
            f"If you did not sign up to {place}, ignore this email: no account is confirmed without the code.",
        ],
    )


def reset_code(place: str, code: str, ttl_seconds: int) -> OutgoingEmail:
    return _email(
        f"Reset your {place} password",
        [
            f"Your password reset code is {code}",
            f"Enter it with your new password. It expires in {_duration(ttl_seconds)}.",
            "If you did not ask to reset your password, ignore this email: your password has not changed.",
        ],
    )


def existing_account(place: str) -> OutgoingEmail:
    return _email(
        f"Someone tried to sign up to {place} with your address",
        [
            f"Someone, perhaps you, tried to create a {place} account with this email address. "
            "You already have an account, so nothing was created and nothing changed.",
            "If it was you, log in, or reset your password if you have forgotten it.",
            "If it was not you, you can ignore this email.",
        ],
    )


def staff_invitation(store: str, role: str, token: str) -> OutgoingEmail:
    return _email(
        f"You are invited to help run {store}",
        [
            f"You have been invited to join {store} on Nozzly as {role}.",
            f"Your invitation code: {token}",
            "To accept, send the code with a password to POST /auth/invitations/accept. If you have no Nozzly "
            "account yet, the password becomes the new account's; if you have one, enter its password.",
            "The invitation expires in 7 days. If you did not expect it, ignore this email: nothing happens "
            "without the code.",
        ],
    )
