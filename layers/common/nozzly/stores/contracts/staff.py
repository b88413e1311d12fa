"""Store staff API bodies: invitations, role changes, the team list, accepting an invitation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from nozzly.accounts.contracts.auth import Email, Password, TokensOut
from nozzly.accounts.domain.accounts import Tokens
from nozzly.stores.domain.permissions import Membership
from nozzly.stores.domain.staff import Invitation

StaffRole = Literal["admin", "staff"]


class InviteIn(BaseModel):
    email: Email
    role: StaffRole = Field(description="admin or staff; see the permission matrix in the README.")


class ChangeRoleIn(BaseModel):
    role: StaffRole


class AcceptInvitationIn(BaseModel):
    token: str = Field(min_length=1, max_length=300, description="The invitation code from the email.")
    password: Password = Field(
        description="A new account's password (the operator password policy), or the existing account's."
    )
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


class MemberOut(BaseModel):
    id: str = Field(description="The operator's account id (Cognito sub).")
    email: str
    role: str


class InvitationOut(BaseModel):
    id: str
    email: str
    role: str
    expires_at: datetime


class TeamOut(BaseModel):
    members: list[MemberOut]
    invitations: list[InvitationOut] = Field(description="Sent and not yet accepted, revoked or expired.")


class StoreRoleOut(BaseModel):
    id: str
    name: str
    role: str


class InvitationAcceptedOut(TokensOut):
    store: StoreRoleOut = Field(description="The store just joined and the role in it.")


def member_out(member: Membership) -> MemberOut:
    return MemberOut(id=member.sub, email=member.email, role=member.role.value)


def invitation_out(invitation: Invitation) -> InvitationOut:
    return InvitationOut(
        id=invitation.invitation_id,
        email=invitation.email,
        role=invitation.role.value,
        expires_at=datetime.fromtimestamp(invitation.expires_at, UTC),
    )


def accepted_out(tokens: Tokens, member: Membership) -> InvitationAcceptedOut:
    return InvitationAcceptedOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token or "",
        expires_in=tokens.expires_in,
        token_type=tokens.token_type,
        store=StoreRoleOut(id=member.store_id, name=member.store_name, role=member.role.value),
    )
