"""A store's staff: the team list, invitations by email (sent, revoked, accepted), role changes and removal.

Every operation but accepting runs as a member of the store (services.tenancy.require with STAFF_MANAGE);
domain.staff decides whom that member may manage. Accepting is public: the emailed token is the proof.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from nozzly.accounts.adapters.throttle import Throttle
from nozzly.accounts.adapters.users import UserDirectory, WeakPassword
from nozzly.accounts.domain.accounts import (
    OPERATOR_PASSWORDS,
    AccountExists,
    Action,
    Realm,
    Tokens,
    UserRecord,
    windows,
)
from nozzly.accounts.services import account_emails
from nozzly.billing.domain.plans import Limit
from nozzly.billing.services.plan_guard import PLAN_PART, PlanGuard
from nozzly.catalog.domain.catalog import StoreStatus
from nozzly.kernel.adapters.unit_of_work import Transaction, Write, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.messaging.adapters.email import Mailer
from nozzly.observability import logger
from nozzly.stores.adapters.invitations import InvitationsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action as Permission
from nozzly.stores.domain.permissions import Membership, Role
from nozzly.stores.domain.staff import (
    Invitation,
    acceptance_link,
    bad_token,
    check_change,
    check_invite,
    check_remove,
    new_invitation,
    parse_token,
    secret_matches,
)
from nozzly.stores.services.tenancy import require

OPERATORS = Realm()
SEATS = Limit.STAFF_SEATS
_CLOSED = (StoreStatus.DELETED, StoreStatus.FAILED)


@dataclass(frozen=True, slots=True)
class Team:
    members: list[Membership]  # with emails
    invitations: list[Invitation]  # live ones only


@dataclass(frozen=True)
class StaffService:
    members: MembersRepository
    invitations: InvitationsRepository
    stores: StoresRepository
    users: UserDirectory
    throttle: Throttle
    mailer: Mailer
    plan: PlanGuard  # staff seats: members besides the owner
    console_url: str = ""  # where the invitee accepts in a browser; "" sends the code alone
    clock: Callable[[], float] = field(default=time.time)

    # ---- as a member of the store
    def team(self, store_id: str, caller: str) -> Team:
        require(self.members, store_id, caller, Permission.STAFF_MANAGE)
        members = [self._with_email(m) for m in self.members.of_store(store_id)]
        order = {role: i for i, role in enumerate(Role)}
        members.sort(key=lambda m: (order[m.role], m.email))
        now = self.clock()
        live = sorted((i for i in self.invitations.of_store(store_id) if i.is_live(now)), key=lambda i: i.email)
        return Team(members=members, invitations=live)

    def invite(self, store_id: str, caller: str, email: str, role: Role) -> Invitation:
        inviter = require(self.members, store_id, caller, Permission.STAFF_MANAGE)
        check_invite(inviter, role)
        user = self.users.get(OPERATORS.username(email))
        if user is not None and self.members.get(store_id, user.sub) is not None:
            raise Conflict(f"{email} is already a member of this store", field="email")
        invitation, token = new_invitation(store_id, email, role, inviter, self.clock())
        self._seats_left(store_id, invitation)
        self.invitations.put(invitation)
        link = acceptance_link(self.console_url, token)
        self.mailer.send(email, account_emails.staff_invitation(inviter.store_name, role.value, token, link))
        logger.info("staff invited", extra={"store_id": store_id, "role": role.value})
        return invitation

    def revoke(self, store_id: str, caller: str, invitation_id: str) -> None:
        actor = require(self.members, store_id, caller, Permission.STAFF_MANAGE)
        invitation = self.invitations.get(store_id, invitation_id)
        if invitation is None:
            raise NotFound("no such invitation", field="invitation")
        check_invite(actor, invitation.role)  # whoever could not have sent it cannot take it back
        self.invitations.delete(store_id, invitation_id)

    def change_role(self, store_id: str, caller: str, member_sub: str, role: Role) -> Membership:
        actor = require(self.members, store_id, caller, Permission.STAFF_MANAGE)
        target = self._member(store_id, member_sub)
        check_change(actor, target, role)
        if target.role is role:
            return self._with_email(target)
        self._write(self.members.role_changed_op(target, role))
        logger.info("staff role changed", extra={"store_id": store_id, "from": target.role.value, "to": role.value})
        return self._with_email(replace(target, role=role))

    def remove(self, store_id: str, caller: str, member_sub: str) -> None:
        actor = require(self.members, store_id, caller, Permission.STAFF_MANAGE)
        target = self._member(store_id, member_sub)
        check_remove(actor, target)
        # Their tokens stay valid until they expire, but every store route reads the membership: 404 at once.
        # Their seat is given back in the same write.
        self._write(self.members.removed_op(target), *self.plan.giving_back(store_id, SEATS))
        logger.info("staff removed", extra={"store_id": store_id, "role": target.role.value})

    # ---- as the invitee
    def accept(self, raw_token: str, password: str, name: str | None, ip: str) -> tuple[Tokens, Membership]:
        """Join the store: a new operator account with this password, or the existing one if it is theirs."""
        token = parse_token(raw_token)
        invitation = self.invitations.get(token.store_id, token.invitation_id)
        if invitation is None or not invitation.is_live(self.clock()) or not secret_matches(invitation, token.secret):
            raise bad_token()
        store = self.stores.find(invitation.store_id)
        if store is None or store.status in _CLOSED:
            raise bad_token()
        # The seat is taken in the write that makes the member, judged before the account is made (402 when full).
        seat = self.plan.taking(store.store_id, store.owner, SEATS, lambda: self._staff_count(store.store_id))
        username = OPERATORS.username(invitation.email)
        user, tokens = self._account(invitation.email, username, password, name, ip)
        member = Membership(
            store_id=store.store_id, sub=user.sub, role=invitation.role, store_name=store.name, email=invitation.email
        )
        try:
            tx = Transaction().add("member", self.members.add_op(member)).add(PLAN_PART, *seat)
            tx.add("invitation", self.invitations.consumed_op(invitation)).commit()
        except WriteConflict as clash:
            if "member" in clash.failed:
                raise Conflict("you are already a member of this store", field="token") from clash
            if PLAN_PART in clash.failed:
                raise Conflict("the store's team changed meanwhile; please accept again", field="token") from clash
            raise bad_token() from clash  # accepted, replaced or revoked meanwhile
        logger.info("invitation accepted", extra={"store_id": store.store_id, "role": invitation.role.value})
        return tokens or self.users.authenticate(username, password), member

    def _account(
        self, email: str, username: str, password: str, name: str | None, ip: str
    ) -> tuple[UserRecord, Tokens | None]:
        existing = self.users.get(username)
        if existing is not None:
            return existing, self._sign_in_existing(existing, email, password, ip)
        attributes = {"email": email, "email_verified": "true"}  # the emailed token proves the address
        attributes |= {"name": name} if name else {}
        try:
            self.users.create(username, attributes)
        except AccountExists:  # made in between: it is theirs only if they know its password
            found = self.users.get(username)
            if found is None:
                raise
            return found, self._sign_in_existing(found, email, password, ip)
        try:
            self.users.set_password(username, password)
        except WeakPassword as weak:
            self.users.delete(username)  # an account whose password nobody knows must not stay
            raise InvalidInput(OPERATOR_PASSWORDS.describe(), field="password") from weak
        created = self.users.get(username)
        if created is None:
            raise NotFound("the new account disappeared", field="token")
        return created, None

    def _sign_in_existing(self, user: UserRecord, email: str, password: str, ip: str) -> Tokens:
        """The address has an operator account: the invitee proves it is theirs with its password, throttled
        exactly as a login is."""
        now = self.clock()
        taken = windows(Action.LOGIN, OPERATORS.account_key(email), ip, now)
        self.throttle.take(taken, now)
        tokens = self.users.authenticate(user.username, password)  # a wrong password: 401, still counted
        self.throttle.give_back(taken)
        if not user.email_verified:
            self.users.mark_email_verified(user.username)
        return tokens

    def _staff_count(self, store_id: str) -> int:
        return sum(1 for m in self.members.of_store(store_id) if m.role is not Role.OWNER)

    def _seats_left(self, store_id: str, invitation: Invitation) -> None:
        """An invitation needs a seat for its invitee: members besides the owner plus the other live invitations."""
        now, owner = self.clock(), self._owner(store_id)
        pending = [i for i in self.invitations.of_store(store_id) if i.is_live(now) and i.email != invitation.email]
        self.plan.judge(owner, SEATS, self._staff_count(store_id) + len(pending))

    def _owner(self, store_id: str) -> str | None:
        store = self.stores.find(store_id)
        return store.owner if store else None

    def _member(self, store_id: str, sub: str) -> Membership:
        member = self.members.get(store_id, sub)
        if member is None:
            raise NotFound("no such member of this store", field="member")
        return member

    def _with_email(self, member: Membership) -> Membership:
        if member.email:
            return member
        # Owners open stores with a token that carries no email: their account says it.
        user = self.users.get(member.sub)
        return replace(member, email=user.email if user else "")

    @staticmethod
    def _write(write: Write, *seat: Write) -> None:
        try:
            Transaction().add("member", write).add(PLAN_PART, *seat).commit()
        except WriteConflict as clash:
            raise Conflict("the member changed meanwhile; reload and try again", field="member") from clash
