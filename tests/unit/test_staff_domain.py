"""Who may manage whom in a store's team, and invitation tokens."""

from __future__ import annotations

import pytest

from nozzly.kernel.domain.errors import Conflict, Forbidden, InvalidInput
from nozzly.stores.domain.permissions import Membership, Role
from nozzly.stores.domain.staff import (
    INVITATION_TTL_SECONDS,
    check_change,
    check_invite,
    check_remove,
    invitation_id,
    new_invitation,
    parse_token,
    secret_matches,
)

NOW = 1_800_000_000.0


def member(sub: str, role: Role) -> Membership:
    return Membership(store_id="lantern", sub=sub, role=role, store_name="Lantern")


OWNER, ADMIN, OTHER_ADMIN, STAFF = (
    member("o", Role.OWNER),
    member("a", Role.ADMIN),
    member("b", Role.ADMIN),
    member("s", Role.STAFF),
)


@pytest.mark.parametrize(
    ("inviter", "role", "allowed"),
    [(OWNER, Role.ADMIN, True), (OWNER, Role.STAFF, True), (ADMIN, Role.STAFF, True), (ADMIN, Role.ADMIN, False)],
)
def test_members_invite_only_below_their_own_role(inviter: Membership, role: Role, allowed: bool) -> None:
    if allowed:
        check_invite(inviter, role)
    else:
        with pytest.raises(Forbidden):
            check_invite(inviter, role)


def test_nobody_is_invited_as_owner() -> None:
    with pytest.raises(InvalidInput):
        check_invite(OWNER, Role.OWNER)


def test_the_owner_moves_members_between_admin_and_staff() -> None:
    check_change(OWNER, STAFF, Role.ADMIN)
    check_change(OWNER, ADMIN, Role.STAFF)


@pytest.mark.parametrize(
    ("actor", "target", "role", "error"),
    [
        (ADMIN, STAFF, Role.ADMIN, Forbidden),  # an admin cannot make admins
        (ADMIN, OTHER_ADMIN, Role.STAFF, Forbidden),  # nor demote an equal
        (ADMIN, OWNER, Role.STAFF, Forbidden),
        (OWNER, OWNER, Role.ADMIN, Conflict),  # nobody changes their own role
        (ADMIN, ADMIN, Role.STAFF, Conflict),
        (OWNER, STAFF, Role.OWNER, InvalidInput),  # ownership is not handed out by a role change
    ],
)
def test_role_changes_that_are_refused(
    actor: Membership, target: Membership, role: Role, error: type[Exception]
) -> None:
    with pytest.raises(error):
        check_change(actor, target, role)


def test_removal_follows_the_same_ranks() -> None:
    check_remove(OWNER, ADMIN)
    check_remove(ADMIN, STAFF)
    for actor, target in [(ADMIN, OTHER_ADMIN), (STAFF, STAFF), (ADMIN, OWNER)]:
        with pytest.raises((Forbidden, Conflict)):
            check_remove(actor, target)


def test_an_invitation_token_finds_its_invitation_and_only_its_secret_matches() -> None:
    invitation, token = new_invitation("lantern", "sam@lantern.test", Role.STAFF, OWNER, NOW)

    parsed = parse_token(token)

    assert (parsed.store_id, parsed.invitation_id) == ("lantern", invitation.invitation_id)
    assert secret_matches(invitation, parsed.secret)
    assert not secret_matches(invitation, parsed.secret[:-1] + ("A" if parsed.secret[-1] != "A" else "B"))
    assert parsed.secret not in invitation.secret_digest  # only a digest is kept
    assert invitation.is_live(NOW + INVITATION_TTL_SECONDS - 1) and not invitation.is_live(NOW + INVITATION_TTL_SECONDS)


def test_one_invitation_per_store_and_address() -> None:
    assert invitation_id("lantern", "sam@x.test") == invitation_id("lantern", "sam@x.test")
    assert invitation_id("lantern", "sam@x.test") != invitation_id("birch", "sam@x.test")
    _, first = new_invitation("lantern", "sam@x.test", Role.STAFF, OWNER, NOW)
    _, second = new_invitation("lantern", "sam@x.test", Role.STAFF, OWNER, NOW)
    assert first != second  # a new secret each time


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "a.b",
        "Lantern.0123456789abcdef0123.aaaaaaaaaaaaaaaaaaaaaaaa",
        "lantern.xyz.aaaaaaaaaaaaaaaaaaaaaaaa",
        "lantern.0123456789abcdef0123.short",
        "lantern.0123456789abcdef0123.aaaaaaaaaaaaaaaaaaaaaaaa.extra",
    ],
)
def test_malformed_tokens_are_one_invalid_input(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_token(raw)
    assert refused.value.field == "token"
