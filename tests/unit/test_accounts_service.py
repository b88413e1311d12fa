"""Account use cases when a backend fails halfway: what is undone (functional tests cover the happy paths)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest

from nozzly.accounts.adapters.codes import CodeStore
from nozzly.accounts.adapters.throttle import Throttle
from nozzly.accounts.adapters.users import UserDirectory
from nozzly.accounts.domain.accounts import InvalidCredentials, Realm, Tokens, UserRecord, Window
from nozzly.accounts.services.accounts import AccountBackends
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.domain.outgoing_email import OutgoingEmail

pytestmark = pytest.mark.unit


class Outage(Exception):
    pass


class Users(UserDirectory):
    def __init__(self, fail: Exception | None = None) -> None:
        super().__init__("pool", "client")
        self.fail = fail
        self.calls: list[str] = []

    def create(self, username: str, attributes: object) -> None:
        self.calls.append("create")

    def set_password(self, username: str, password: str) -> None:
        self.calls.append("set_password")
        if self.fail:
            raise self.fail

    def delete(self, username: str) -> None:
        self.calls.append("delete")

    def authenticate(self, username: str, password: str) -> Tokens:
        self.calls.append("authenticate")
        if self.fail:
            raise self.fail
        return Tokens("a", "i", "r", 900, "Bearer")

    def get(self, username: str) -> UserRecord | None:
        return UserRecord(username, "sub", "a@example.com", None, True, None)


class Counters(Throttle):
    def __init__(self) -> None:
        super().__init__("table")
        self.taken: list[Window] = []
        self.given_back: list[Window] = []

    def take(self, windows: Sequence[Window], now: float) -> None:
        self.taken += windows

    def give_back(self, windows: Sequence[Window]) -> None:
        self.given_back += windows


class Outbox(Mailer):
    def __init__(self) -> None:
        super().__init__("no-reply@nozzly.dev")
        self.sent: list[tuple[str, OutgoingEmail]] = []

    def send(self, to: str, email: OutgoingEmail) -> str:
        self.sent.append((to, email))
        return "id"


def backends(users: Users, throttle: Counters | None = None) -> AccountBackends:
    return AccountBackends("pool", users, CodeStore("table"), throttle or Counters(), Outbox(), clock=lambda: 1000.0)


def test_a_failed_password_step_leaves_no_account_behind() -> None:
    users = Users(fail=Outage())
    b = backends(users)
    with pytest.raises(Outage):
        b.accounts(Realm()).sign_up("a@example.com", "Correct-Horse-9", None, "203.0.113.9")
    assert users.calls == ["create", "set_password", "delete"]
    assert isinstance(b.mailer, Outbox) and b.mailer.sent == []


def test_a_wrong_password_stays_counted() -> None:
    counters = Counters()
    accounts = backends(Users(fail=InvalidCredentials("invalid email or password")), counters).accounts(Realm())
    with pytest.raises(InvalidCredentials):
        accounts.log_in("a@example.com", "nope", "203.0.113.9")
    assert len(counters.taken) == 2 and counters.given_back == []


@pytest.mark.parametrize("fail", [None, Outage()])
def test_a_login_that_did_not_fail_on_the_password_is_not_counted(fail: Exception | None) -> None:
    counters = Counters()
    accounts = backends(Users(fail=fail), counters).accounts(Realm(store_id="amber", name="Amber"))
    if fail:
        with pytest.raises(Outage):
            accounts.log_in("a@example.com", "pw", "203.0.113.9")
    else:
        assert accounts.log_in("a@example.com", "pw", "203.0.113.9").access_token == "a"
    assert counters.given_back == counters.taken
    assert {w.subject for w in counters.taken} == {"shopper:amber#amber#a@example.com", "203.0.113.9"}


class WelcomeWords:
    """A store's welcome flow as the account flows see it (marketing/services/store_flow.py)."""

    def __init__(self, words: tuple[str, str] | None) -> None:
        self._words, self.counted = words, 0

    def words(self, store_id: str, values: Mapping[str, str]) -> tuple[str, str] | None:
        return self._words and (self._words[0].format(**values), self._words[1])

    def sent(self, store_id: str) -> None:
        self.counted += 1


@pytest.mark.parametrize(
    ("words", "subjects", "counted"),
    [(("Hi from {store_name}", "Glad you came."), ["Hi from Amber"], 1), (None, [], 0)],
)
def test_a_confirmed_shoppers_welcome_follows_the_stores_welcome_flow(
    words: tuple[str, str] | None, subjects: list[str], counted: int
) -> None:
    flow = WelcomeWords(words)
    b = replace(backends(Users()), welcome=flow)

    b.accounts(Realm(store_id="amber", name="Amber"))._welcome("sam@example.com")
    b.accounts(Realm())._welcome("op@example.com")  # operators' welcome is Nozzly's: no store's flow

    assert isinstance(b.mailer, Outbox)
    assert [e.subject for _, e in b.mailer.sent] == [*subjects, "Welcome to Nozzly"]
    assert flow.counted == counted
