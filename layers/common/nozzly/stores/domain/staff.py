"""A store's staff: who may invite, promote, demote or remove whom, and the invitations that bring people in.

Pure Python. A member manages only roles strictly below their own (permissions.outranks): the owner manages
admins and staff, an admin manages staff, and nobody changes their own role or removes themselves. The
owner's membership is never changed here.

An invitation's token is `{store}.{invitation id}.{secret}`: the store and id find the invitation with one
read, and the secret proves the holder read the invitation email. Only the secret's digest is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from nozzly.kernel.domain.errors import Conflict, Forbidden, InvalidInput
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.domain.permissions import Membership, Role, outranks

INVITATION_TTL_SECONDS = 7 * 24 * 3600
INVITABLE: tuple[Role, ...] = (Role.ADMIN, Role.STAFF)  # a store has one owner: ownership is not invited
_SECRET_BYTES = 32
_ID_LENGTH = 20


@dataclass(frozen=True, slots=True)
class Invitation:
    store_id: str
    invitation_id: str
    email: str
    role: Role
    invited_by: str  # the inviter's sub
    created_at: int
    expires_at: int
    secret_digest: str

    def is_live(self, now: float) -> bool:
        return now < self.expires_at


@dataclass(frozen=True, slots=True)
class InvitationToken:
    store_id: str
    invitation_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.store_id}.{self.invitation_id}.{self.secret}"


def invitation_id(store_id: str, email: str) -> str:
    """One invitation per store and address: inviting again replaces it (a new secret, a new expiry)."""
    return hashlib.sha256(f"{store_id}\0{email}".encode()).hexdigest()[:_ID_LENGTH]


def new_invitation(store_id: str, email: str, role: Role, inviter: Membership, now: float) -> tuple[Invitation, str]:
    """The invitation and its token; the token exists only in the email."""
    check_invite(inviter, role)
    token = InvitationToken(store_id, invitation_id(store_id, email), secrets.token_urlsafe(_SECRET_BYTES))
    invitation = Invitation(
        store_id=store_id,
        invitation_id=token.invitation_id,
        email=email,
        role=role,
        invited_by=inviter.sub,
        created_at=int(now),
        expires_at=int(now) + INVITATION_TTL_SECONDS,
        secret_digest=secret_digest(token.secret),
    )
    return invitation, str(token)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(invitation: Invitation, secret: str) -> bool:
    return hmac.compare_digest(invitation.secret_digest.encode(), secret_digest(secret).encode())


def bad_token() -> InvalidInput:
    # One answer for a malformed, unknown, used, revoked or expired token: none of them can be acted on.
    return InvalidInput("the invitation is invalid, was revoked or has expired; ask for a new one", field="token")


def parse_token(raw: str) -> InvitationToken:
    parts = raw.strip().split(".")
    if len(parts) != 3:
        raise bad_token()
    store_id, invite_id, secret = parts
    if (
        not re.fullmatch(SLUG_PATTERN, store_id)
        or not re.fullmatch(rf"[0-9a-f]{{{_ID_LENGTH}}}", invite_id)
        or not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", secret)
    ):
        raise bad_token()
    return InvitationToken(store_id, invite_id, secret)


def check_invite(inviter: Membership, role: Role) -> None:
    if role not in INVITABLE:
        raise InvalidInput("invite as admin or staff; a store has one owner", field="role")
    if not outranks(inviter.role, role):
        raise Forbidden(f"a store {inviter.role.value} may not invite a {role.value}")


def check_change(actor: Membership, target: Membership, new_role: Role) -> None:
    """May the actor give the target member this role?"""
    _check_manage(actor, target, "change the role of")
    if new_role not in INVITABLE:
        raise InvalidInput("a member can be admin or staff; a store has one owner", field="role")
    if not outranks(actor.role, new_role):
        raise Forbidden(f"a store {actor.role.value} may not make anyone {new_role.value}")


def check_remove(actor: Membership, target: Membership) -> None:
    _check_manage(actor, target, "remove")


def _check_manage(actor: Membership, target: Membership, verb: str) -> None:
    if actor.sub == target.sub:
        raise Conflict(f"you cannot {verb} yourself; another member above you can", field="member")
    if target.role is Role.OWNER:
        raise Forbidden(f"nobody can {verb} the store's owner")
    if not outranks(actor.role, target.role):
        raise Forbidden(f"a store {actor.role.value} may not {verb} a {target.role.value}")


def acceptance_link(console_url: str, token: str) -> str | None:
    """The console page that accepts this invitation with its code filled in; None without a console."""
    if not console_url:
        return None
    return f"{console_url}#/invitations/accept?{urlencode({'token': token})}"
