"""Account rules shared by operators and shoppers: realms, usernames, emails, codes, passwords, throttling.

Pure Python. Cognito keeps the accounts; these rules decide what Nozzly asks of it and what it stores itself.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from nozzly.kernel.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path
MAX_USERNAME_LENGTH = 128  # Cognito's limit on a username


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"


class EmailNotConfirmed(Forbidden):
    code = "email_not_confirmed"


class AccountExists(Conflict):
    """Internal: sign-up met an existing account. Never answered as such (that would reveal the account)."""

    code = "account_exists"


class UnknownAccount(NotFound):
    """Internal: no account has that username. Callers turn it into an answer that reveals nothing."""

    code = "unknown_account"


def normalise_email(raw: str) -> str:
    # One account per address whatever its case: the address is stored and compared lowercased.
    return raw.strip().lower()


def checked_email(raw: str) -> str:
    """The address as Nozzly stores it (trimmed, lowercased, domain in ASCII/punycode), or InvalidInput.

    The syntax is judged by email-validator without DNS lookups (the emailed code is the proof that an address
    works). Its local part must be ASCII (no SMTPUTF8: SES and most mailboxes cannot take one) and its domain a
    valid IDNA name, so `🔥@🔥.com` is refused. `.test` domains pass: the demo and the test suites use them.
    """
    # Imported here: its rules are about 25 ms of regular expressions, a cold start's cost in the many
    # functions that import this module for its other names and never judge an address.
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(
            normalise_email(raw),
            check_deliverability=False,
            allow_smtputf8=False,
            test_environment=True,
        )
    except EmailNotValidError as problem:
        raise InvalidInput(f"this is not an email address: {problem}", field="email") from None
    return found.ascii_email.lower() if found.ascii_email else normalise_email(found.normalized)


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """A copy of a user pool's PasswordPolicy (kept equal to template.yaml by a unit test).

    Cognito judges every password it stores. This copy only answers a sign-up for an address that already
    has an account, which never reaches a password check in Cognito, exactly as a new sign-up is answered.
    """

    min_length: int
    require_uppercase: bool
    require_lowercase: bool
    require_numbers: bool

    def allows(self, password: str) -> bool:
        return (
            len(password) >= self.min_length
            and (not self.require_uppercase or re.search(r"[A-Z]", password) is not None)
            and (not self.require_lowercase or re.search(r"[a-z]", password) is not None)
            and (not self.require_numbers or re.search(r"[0-9]", password) is not None)
        )

    def describe(self) -> str:
        needs = [f"at least {self.min_length} characters"]
        needs += ["an uppercase letter"] if self.require_uppercase else []
        needs += ["a lowercase letter"] if self.require_lowercase else []
        needs += ["a digit"] if self.require_numbers else []
        return "the password needs " + ", ".join(needs[:-1]) + " and " + needs[-1]


OPERATOR_PASSWORDS = PasswordPolicy(min_length=10, require_uppercase=True, require_lowercase=True, require_numbers=True)
SHOPPER_PASSWORDS = PasswordPolicy(min_length=8, require_uppercase=False, require_lowercase=True, require_numbers=True)


@dataclass(frozen=True, slots=True)
class Realm:
    """Whose accounts: the operators', or the shoppers' of one store (each store's shoppers are apart)."""

    store_id: str | None = None
    name: str = "Nozzly"  # what emails call the place the account belongs to

    @property
    def key(self) -> str:
        return "operator" if self.store_id is None else f"shopper:{self.store_id}"

    @property
    def passwords(self) -> PasswordPolicy:
        return OPERATOR_PASSWORDS if self.store_id is None else SHOPPER_PASSWORDS

    def username(self, email: str) -> str:
        """The Cognito username: the email for operators, "<store>#<email>" for shoppers."""
        username = email if self.store_id is None else f"{self.store_id}#{email}"
        if len(username) > MAX_USERNAME_LENGTH:
            raise InvalidInput("this email address is too long for an account here", field="email")
        return username

    def account_key(self, email: str) -> str:
        """Names one account in Nozzly's own records (codes, throttling)."""
        return f"{self.key}#{self.username(email)}"

    def owns(self, username: str) -> bool:
        # Operator usernames are Cognito's ids; shopper usernames carry their store (slugs hold no "#").
        return self.store_id is None or username.startswith(f"{self.store_id}#")


@dataclass(frozen=True, slots=True)
class Caller:
    sub: str
    username: str


def caller_from_claims(claims: Mapping[str, str] | None, realm: Realm) -> Caller:
    """Who sent a request, from the claims API Gateway verified. Only an access token of this realm will do."""
    claims = claims or {}
    sub, username = claims.get("sub", ""), claims.get("username", "")
    # The authorizer also lets ID tokens through (their aud is the client); they cannot sign out, refuse them.
    if claims.get("token_use") != "access" or not sub or not username:
        raise Unauthorized("an access token is required")
    if not realm.owns(username):
        raise Unauthorized("the token belongs to another store")
    return Caller(sub=sub, username=username)


# ---- verification and reset codes
class Purpose(StrEnum):
    VERIFY = "verify"
    RESET = "reset"


CODE_TTL_SECONDS = {Purpose.VERIFY: 24 * 3600, Purpose.RESET: 3600}
MAX_CODE_ATTEMPTS = 5
CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(pool_id: str, username: str, purpose: Purpose, code: str) -> str:
    """What is stored instead of a code: bound to its pool, account and purpose, so no digest fits another."""
    return hashlib.sha256("\0".join((pool_id, username, purpose.value, code)).encode()).hexdigest()


def digests_match(stored: str, candidate: str) -> bool:
    return hmac.compare_digest(stored.encode(), candidate.encode())


# ---- throttling in fixed windows
class Action(StrEnum):
    SIGNUP = "signup"
    LOGIN = "login"  # counts failures: a right password gives its slot back
    FORGOT = "forgot"
    RESET = "reset"
    GUEST_SESSION = "guest-session"  # per IP only: a guest has no account
    BACK_IN_STOCK = "back-in-stock"  # per IP: each subscription may send an email later
    EVENTS = "events"  # storefront analytics batches, per visitor (in a store) and per IP


@dataclass(frozen=True, slots=True)
class Limit:
    per_account: int
    per_ip: int
    window_seconds: int


LIMITS = {
    Action.LOGIN: Limit(per_account=5, per_ip=20, window_seconds=15 * 60),
    # Each of these sends an email or tries a code: bounded so nobody can flood an inbox or guess codes.
    Action.SIGNUP: Limit(per_account=5, per_ip=20, window_seconds=3600),
    Action.FORGOT: Limit(per_account=5, per_ip=20, window_seconds=3600),
    Action.RESET: Limit(per_account=5, per_ip=20, window_seconds=3600),
    Action.GUEST_SESSION: Limit(per_account=0, per_ip=30, window_seconds=3600),
    Action.BACK_IN_STOCK: Limit(per_account=0, per_ip=20, window_seconds=3600),
    # A browser sends a batch every few seconds at most; an IP may be a shop's or an office's many shoppers.
    Action.EVENTS: Limit(per_account=60, per_ip=120, window_seconds=60),
}


@dataclass(frozen=True, slots=True)
class Window:
    """One counter: `limit` requests of `action` by `subject` (an account key or an IP) from start to end."""

    action: Action
    subject: str
    start: int
    end: int
    limit: int

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.end - now))


def window_start(now: float, seconds: int) -> int:
    return int(now) - int(now) % seconds


def windows(action: Action, account_key: str, ip: str, now: float) -> list[Window]:
    """The account's and the IP's current windows. IP windows span realms: one address guessing across
    many stores is still one address."""
    limit = LIMITS[action]
    start = window_start(now, limit.window_seconds)
    end = start + limit.window_seconds
    return [
        Window(action, account_key, start, end, limit.per_account),
        Window(action, ip, start, end, limit.per_ip),
    ]


def ip_window(action: Action, ip: str, now: float) -> Window:
    """The IP's current window alone, for actions no account is known for."""
    limit = LIMITS[action]
    start = window_start(now, limit.window_seconds)
    return Window(action, ip, start, start + limit.window_seconds, limit.per_ip)


@dataclass(frozen=True, slots=True)
class Tokens:
    """What a login or a refresh hands out."""

    access_token: str
    id_token: str
    refresh_token: str | None  # only a login issues one; a refresh keeps the one it was given
    expires_in: int
    token_type: str


@dataclass(frozen=True, slots=True)
class UserRecord:
    username: str
    sub: str
    email: str
    name: str | None
    email_verified: bool
    store_id: str | None
    phone: str | None = None  # E.164
