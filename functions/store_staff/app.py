"""A store's staff: the team, invitations by email with a role, role changes, removal; accepting an invitation.

The store id comes from the path and the caller from the verified token; services.staff decides.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import PLAN_LIMIT, build_app, http_handler
from nozzly.gateway_context import jwt_claims, source_ip
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.contracts import staff as contracts
from nozzly.stores.domain.permissions import Role
from nozzly.wiring import stores

OPERATORS = Realm()
errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (401, 403, 404, 409)}
team = APIRouter(prefix="/admin/stores/{store}", responses=errors)
invitee = APIRouter(responses=errors | {429: {"model": ErrorResponse}})
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
# Loose on purpose: an id that exists nowhere is a 404 after the permission check, never a 400 before it.
MemberId = Annotated[str, Path(max_length=128, description="The member's account id.")]
InvitationId = Annotated[str, Path(max_length=128)]


def _operator(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@team.get("/staff", response_model=contracts.TeamOut)
def list_staff(store: StoreId, request: Request) -> contracts.TeamOut:
    found = stores.staff().team(store, _operator(request))
    return contracts.TeamOut(
        members=[contracts.member_out(m) for m in found.members],
        invitations=[contracts.invitation_out(i) for i in found.invitations],
    )


@team.patch("/staff/{member}", response_model=contracts.MemberOut)
def change_role(
    store: StoreId, member: MemberId, body: contracts.ChangeRoleIn, request: Request
) -> contracts.MemberOut:
    return contracts.member_out(stores.staff().change_role(store, _operator(request), member, Role(body.role)))


@team.delete("/staff/{member}", status_code=204)
def remove_member(store: StoreId, member: MemberId, request: Request) -> Response:
    stores.staff().remove(store, _operator(request), member)
    return Response(status_code=204)


@team.post("/invitations", status_code=201, response_model=contracts.InvitationOut, responses=PLAN_LIMIT)
def invite(store: StoreId, body: contracts.InviteIn, request: Request) -> contracts.InvitationOut:
    """Email an invitation; inviting the same address again replaces the earlier one (its code stops working)."""
    return contracts.invitation_out(stores.staff().invite(store, _operator(request), body.email, Role(body.role)))


@team.delete("/invitations/{invitation}", status_code=204)
def revoke_invitation(store: StoreId, invitation: InvitationId, request: Request) -> Response:
    stores.staff().revoke(store, _operator(request), invitation)
    return Response(status_code=204)


@invitee.post("/auth/invitations/accept", response_model=contracts.InvitationAcceptedOut, responses=PLAN_LIMIT)
def accept_invitation(body: contracts.AcceptInvitationIn, request: Request) -> contracts.InvitationAcceptedOut:
    """Join the store with the emailed code: sets the password of a new account, or signs in an existing one."""
    tokens, member = stores.staff().accept(body.token, body.password, body.name, source_ip(request))
    return contracts.accepted_out(tokens, member)


app = build_app("Nozzly store staff", [team, invitee])
handler = http_handler(app)
