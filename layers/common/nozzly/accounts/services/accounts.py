"""Account use cases of a realm (operators, or one store's shoppers): sign up, confirm, log in, refresh,
log out, forgot/reset password, me.

Nothing answered tells whether an email has an account: sign-up and forgot-password answer alike, and a
wrong code or password reads the same for known and unknown addresses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol

from nozzly.accounts.adapters.codes import CodeStore
from nozzly.accounts.adapters.throttle import Throttle
from nozzly.accounts.adapters.users import UserDirectory, WeakPassword
from nozzly.accounts.domain.accounts import (
    CODE_TTL_SECONDS,
    MAX_CODE_ATTEMPTS,
    AccountExists,
    Action,
    Caller,
    EmailNotConfirmed,
    InvalidCredentials,
    Purpose,
    Realm,
    Tokens,
    UnknownAccount,
    UserRecord,
    Window,
    code_digest,
    new_code,
    windows,
)
from nozzly.accounts.services import account_emails
from nozzly.accounts.services.identity import current_user
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.domain.errors import InvalidInput, Unauthorized
from nozzly.messaging.adapters.email import Mailer
from nozzly.observability import logger


def _bad_code() -> InvalidInput:
    return InvalidInput("the code is wrong or has expired", field="code")


class WelcomeFlow(Protocol):
    """A store's `welcome` email flow (marketing/services/store_flow.py): its words, None when turned off."""

    def words(self, store_id: str, values: Mapping[str, str]) -> tuple[str, str] | None: ...

    def sent(self, store_id: str) -> None: ...


@dataclass(frozen=True)
class AccountBackends:
    """What every realm of one user pool shares; built once per container."""

    pool_id: str
    users: UserDirectory
    codes: CodeStore
    throttle: Throttle
    mailer: Mailer
    clock: Callable[[], float] = field(default=time.time)
    # A store's email settings (StoreSettingsRepository.email_settings): shoppers' emails carry its brand.
    branding: Callable[[str], dict[str, Any] | None] = field(default=lambda store_id: None)
    # CustomerCreated when a store's shopper confirms their account (integrators subscribe to it).
    events: EventPublisher | None = None
    # A store's shoppers' welcome follows the store's `welcome` flow (on/off, words, sent count); None: defaults.
    welcome: WelcomeFlow | None = None

    def accounts(self, realm: Realm) -> Accounts:
        return Accounts(realm, self)


class Accounts:
    def __init__(self, realm: Realm, backends: AccountBackends) -> None:
        self.realm = realm
        self.b = backends

    # ---- sign-up and confirmation
    def sign_up(self, email: str, password: str, name: str | None, ip: str) -> None:
        username = self.realm.username(email)
        self._take(Action.SIGNUP, email, ip)
        attributes = {"email": email, "email_verified": "false"}
        attributes |= {"name": name} if name else {}
        attributes |= {"custom:store_id": self.realm.store_id} if self.realm.store_id else {}
        try:
            self.b.users.create(username, attributes)
        except AccountExists:
            self._sign_up_again(email, username, password)
            return
        try:
            self.b.users.set_password(username, password)
        except Exception as error:
            # No half-made account may stay behind: its password would be one nobody knows.
            with suppress(Exception):
                self.b.users.delete(username)
            if isinstance(error, WeakPassword):
                raise self._weak_password() from error
            raise
        self._send_code(email, username, Purpose.VERIFY)

    def _sign_up_again(self, email: str, username: str, password: str) -> None:
        """The address has an account: answer as a new sign-up would, change nothing, tell the owner."""
        if not self.realm.passwords.allows(password):
            raise self._weak_password()  # a new account with this password would have been refused too
        existing = self.b.users.get(username)
        if existing is None:  # deleted in between: nothing to tell anyone
            return
        if existing.email_verified:
            self.b.mailer.send(email, account_emails.existing_account(self.realm.name, self._brand()))
        else:
            self._send_code(email, username, Purpose.VERIFY)  # the owner may have lost the first code

    def confirm(self, email: str, code: str) -> None:
        username = self.realm.username(email)
        digest = self._check_code(email, username, Purpose.VERIFY, code)
        try:
            self.b.users.mark_email_verified(username)
        except UnknownAccount as gone:
            raise _bad_code() from gone
        self.b.codes.consume(self.realm.account_key(email), Purpose.VERIFY, digest)
        self._announce_customer(email, username)
        try:
            self._welcome(email)
        except Exception:  # the account is confirmed either way; a welcome is not worth failing it for
            logger.warning("welcome email not sent", extra={"realm": self.realm.key}, exc_info=True)

    def _welcome(self, email: str) -> None:
        settings = self._brand()
        store_id, flow = self.realm.store_id, self.b.welcome
        if not store_id or flow is None:  # operators' welcome is Nozzly's, no store's flow
            self.b.mailer.send(email, account_emails.welcome(self.realm.name, settings=settings))
            return
        name = str((settings or {}).get("sender_name") or self.realm.name)
        words = flow.words(store_id, {"store_name": name, "first_name": ""})
        if words is None:
            return  # the store turned its welcome off
        self.b.mailer.send(email, account_emails.welcome(self.realm.name, settings=settings, words=words))
        flow.sent(store_id)

    def _announce_customer(self, email: str, username: str) -> None:
        if not self.realm.store_id or self.b.events is None:
            return  # operators are not a store's customers
        try:
            user = self.b.users.get(username)
            if user is None:
                return
            detail = {
                "store_id": self.realm.store_id,
                "customer_id": user.sub,
                "email": email,
                "at": int(self.b.clock()),
            }
            self.b.events.publish("customers", "CustomerCreated", detail)
        except Exception:  # the account is confirmed either way; only the integrators' heads-up is lost
            logger.exception("CustomerCreated not published", extra={"realm": self.realm.key})

    # ---- sessions
    def log_in(self, email: str, password: str, ip: str) -> Tokens:
        username = self.realm.username(email)
        taken = self._take(Action.LOGIN, email, ip)
        try:
            tokens = self.b.users.authenticate(username, password)
        except InvalidCredentials:
            raise  # a failure: it stays counted
        except Exception:
            self._give_back(taken)
            raise
        self._give_back(taken)  # only failures count towards the limit
        user = self.b.users.get(username)
        if user is None or not user.email_verified:
            # Safe to say: only the account's password got this far. The tokens are dropped unused.
            raise EmailNotConfirmed("confirm your email address with the code we sent before logging in")
        return tokens

    def refresh(self, refresh_token: str) -> Tokens:
        return self.b.users.refresh(refresh_token)

    def log_out(self, caller: Caller, access_token: str | None) -> None:
        if not access_token:
            raise Unauthorized("an access token is required")
        self.b.users.sign_out(access_token)
        logger.info("signed out everywhere", extra={"realm": self.realm.key, "sub": caller.sub})

    def caller_of_token(self, access_token: str) -> Caller:
        """Who holds an access token no authorizer has seen (the shop pages' cookie): 401 unless it is live and
        of this realm."""
        username, sub = self.b.users.token_owner(access_token)
        if not sub or not self.realm.owns(username):
            raise Unauthorized("the token belongs to another store")
        return Caller(sub=sub, username=username)

    def me(self, caller: Caller) -> UserRecord:
        return current_user(self.b.users, caller)

    # ---- password reset
    def forgot_password(self, email: str, ip: str) -> None:
        username = self.realm.username(email)
        self._take(Action.FORGOT, email, ip)
        if self.b.users.get(username) is not None:
            self._send_code(email, username, Purpose.RESET)

    def reset_password(self, email: str, code: str, new_password: str, ip: str) -> None:
        username = self.realm.username(email)
        self._take(Action.RESET, email, ip)
        digest = self._check_code(email, username, Purpose.RESET, code)
        try:
            self.b.users.set_password(username, new_password)
        except WeakPassword as weak:
            raise self._weak_password() from weak  # the code stays usable for a better password
        except UnknownAccount as gone:
            raise _bad_code() from gone
        self.b.codes.consume(self.realm.account_key(email), Purpose.RESET, digest)
        self.b.users.mark_email_verified(username)  # the code reached the address: that proves it too
        self.b.users.sign_out_everywhere(username)  # whoever knew the old password loses their sessions
        logger.info("password reset", extra={"realm": self.realm.key})

    # ---- shared steps
    def _take(self, action: Action, email: str, ip: str) -> Sequence[Window]:
        now = self.b.clock()
        taken = windows(action, self.realm.account_key(email), ip, now)
        self.b.throttle.take(taken, now)
        return taken

    def _give_back(self, taken: Sequence[Window]) -> None:
        # Best effort: a login must not fail because a counter could not be decremented.
        try:
            self.b.throttle.give_back(taken)
        except Exception:
            logger.warning("throttling counters not given back", exc_info=True)

    def _send_code(self, email: str, username: str, purpose: Purpose) -> None:
        code, ttl = new_code(), CODE_TTL_SECONDS[purpose]
        digest = code_digest(self.b.pool_id, username, purpose, code)
        expires_at = int(self.b.clock()) + ttl
        self.b.codes.issue(
            self.realm.account_key(email), purpose, digest, expires_at=expires_at, attempts=MAX_CODE_ATTEMPTS
        )
        make = account_emails.verification_code if purpose is Purpose.VERIFY else account_emails.reset_code
        self.b.mailer.send(email, make(self.realm.name, code, ttl, self._brand()))

    def _brand(self) -> dict[str, Any] | None:
        """The store's email settings for a store's shoppers; None for operators (their emails are Nozzly's)."""
        return None if self.realm.store_id is None else self.b.branding(self.realm.store_id)

    def _check_code(self, email: str, username: str, purpose: Purpose, code: str) -> str:
        digest = code_digest(self.b.pool_id, username, purpose, code)
        if not self.b.codes.attempt(self.realm.account_key(email), purpose, digest, self.b.clock()):
            raise _bad_code()
        return digest

    def _weak_password(self) -> InvalidInput:
        return InvalidInput(self.realm.passwords.describe(), field="password")
