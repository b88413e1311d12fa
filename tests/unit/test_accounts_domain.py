"""Account rules: emails, realms and usernames, claims, codes, password policies, throttling windows, emails."""

from __future__ import annotations

import secrets

import pytest

from localcloud.template import load_sam
from nozzly.accounts.domain.accounts import (
    LIMITS,
    OPERATOR_PASSWORDS,
    SHOPPER_PASSWORDS,
    Action,
    PasswordPolicy,
    Purpose,
    Realm,
    Window,
    caller_from_claims,
    checked_email,
    code_digest,
    digests_match,
    new_code,
    normalise_email,
    window_start,
    windows,
)
from nozzly.accounts.services import account_emails
from nozzly.kernel.domain.errors import InvalidInput, Unauthorized

pytestmark = pytest.mark.unit

OPERATORS = Realm()
AMBER = Realm(store_id="amber-forge", name="Amber <Forge>")


def test_emails_are_stripped_and_lowercased() -> None:
    assert normalise_email("  Ada.Lovelace@Example.COM\t") == "ada.lovelace@example.com"


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("a@example.com", "a@example.com"),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("o'neil@example.ie", "o'neil@example.ie"),
        ("  Ada.Lovelace@Example.COM\t", "ada.lovelace@example.com"),  # stripped and lowercased, as before
        ("owner@mystmereforge.test", "owner@mystmereforge.test"),  # the demo's and the tests' domains
        ("me@Müller.de", "me@xn--mller-kva.de"),  # an internationalised domain is stored as SES takes it
    ],
)
def test_email_addresses(value: str, stored: str) -> None:
    assert checked_email(value) == stored


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        "@example.com",
        "a@",
        "a@example",
        "a@@example.com",
        "a b@example.com",
        "a@example.",
        "a..b@example.com",
        "🔥@🔥.com",
        "🔥@example.com",
        "a@🔥.com",
        "ünï@example.com",  # no SMTPUTF8 local parts
        "Ana <ana@example.com>",
        "ana@[127.0.0.1]",
        "ana@example.invalid",
    ],
)
def test_not_email_addresses(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_email(value)
    assert refused.value.field == "email"


def test_an_email_longer_than_an_address_can_be_is_refused() -> None:
    with pytest.raises(InvalidInput):
        checked_email("a" * 250 + "@example.com")


def test_realms_keep_operators_and_each_store_apart() -> None:
    assert OPERATORS.key == "operator"
    assert AMBER.key == "shopper:amber-forge"
    assert OPERATORS.username("a@example.com") == "a@example.com"
    assert AMBER.username("a@example.com") == "amber-forge#a@example.com"
    assert AMBER.account_key("a@example.com") == "shopper:amber-forge#amber-forge#a@example.com"
    assert OPERATORS.account_key("a@example.com") != Realm(store_id="operator").account_key("a@example.com")
    assert OPERATORS.passwords is OPERATOR_PASSWORDS and AMBER.passwords is SHOPPER_PASSWORDS


def test_a_username_over_cognitos_limit_is_refused_as_an_email_problem() -> None:
    email = "a" * 100 + "@example.com"
    assert OPERATORS.username(email)
    with pytest.raises(InvalidInput) as refused:
        Realm(store_id="s" * 40).username(email)
    assert refused.value.field == "email"


def test_a_store_owns_only_its_own_usernames() -> None:
    assert AMBER.owns("amber-forge#a@example.com")
    assert not AMBER.owns("amber-forge-outlet#a@example.com")
    assert not AMBER.owns("birch#a@example.com")
    assert OPERATORS.owns("5c0c1d5e-0000-4000-8000-000000000000")


def test_the_caller_comes_from_an_access_tokens_claims() -> None:
    claims = {"sub": "s-1", "username": "amber-forge#a@example.com", "token_use": "access", "client_id": "c"}
    caller = caller_from_claims(claims, AMBER)
    assert (caller.sub, caller.username) == ("s-1", "amber-forge#a@example.com")


@pytest.mark.parametrize(
    "claims",
    [
        None,
        {},
        {"sub": "s-1", "cognito:username": "amber-forge#a@example.com", "token_use": "id"},
        {"sub": "s-1", "username": "amber-forge#a@example.com", "token_use": "id"},
        {"sub": "s-1", "username": "birch#a@example.com", "token_use": "access"},
        {"username": "amber-forge#a@example.com", "token_use": "access"},
    ],
)
def test_other_claims_are_unauthorized(claims: dict[str, str] | None) -> None:
    with pytest.raises(Unauthorized):
        caller_from_claims(claims, AMBER)


def test_codes_are_six_random_digits_with_leading_zeros(monkeypatch: pytest.MonkeyPatch) -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 190
    monkeypatch.setattr(secrets, "randbelow", lambda _: 42)
    assert new_code() == "000042"


def test_a_code_digest_is_bound_to_its_pool_account_and_purpose() -> None:
    digest = code_digest("pool-1", "a@example.com", Purpose.VERIFY, "123456")
    assert "123456" not in digest
    others = [
        code_digest("pool-2", "a@example.com", Purpose.VERIFY, "123456"),
        code_digest("pool-1", "b@example.com", Purpose.VERIFY, "123456"),
        code_digest("pool-1", "a@example.com", Purpose.RESET, "123456"),
        code_digest("pool-1", "a@example.com", Purpose.VERIFY, "123457"),
    ]
    assert not any(digests_match(digest, other) for other in others)
    assert digests_match(digest, code_digest("pool-1", "a@example.com", Purpose.VERIFY, "123456"))


@pytest.mark.parametrize(
    ("policy", "password", "allowed"),
    [
        (OPERATOR_PASSWORDS, "Correct-Horse-9", True),
        (OPERATOR_PASSWORDS, "Short-9a", False),
        (OPERATOR_PASSWORDS, "no-uppercase-9", False),
        (OPERATOR_PASSWORDS, "NO-LOWERCASE-9", False),
        (OPERATOR_PASSWORDS, "No-Digits-Here", False),
        (SHOPPER_PASSWORDS, "walnut-42", True),
        (SHOPPER_PASSWORDS, "walnut4", False),
        (SHOPPER_PASSWORDS, "WALNUT-42", False),
        (SHOPPER_PASSWORDS, "walnut-tree", False),
    ],
)
def test_password_policies(policy: PasswordPolicy, password: str, allowed: bool) -> None:
    assert policy.allows(password) is allowed


def test_a_policy_describes_itself() -> None:
    assert OPERATOR_PASSWORDS.describe() == (
        "the password needs at least 10 characters, an uppercase letter, a lowercase letter and a digit"
    )
    assert SHOPPER_PASSWORDS.describe() == "the password needs at least 8 characters, a lowercase letter and a digit"


@pytest.mark.parametrize(
    ("pool", "policy"), [("OperatorUserPool", OPERATOR_PASSWORDS), ("ShopperUserPool", SHOPPER_PASSWORDS)]
)
def test_password_policies_are_the_user_pools(pool: str, policy: PasswordPolicy) -> None:
    declared = load_sam()["Resources"][pool]["Properties"]["Policies"]["PasswordPolicy"]
    assert not declared.get("RequireSymbols", False), "PasswordPolicy has no symbol rule: add one"
    assert policy == PasswordPolicy(
        min_length=declared["MinimumLength"],
        require_uppercase=declared["RequireUppercase"],
        require_lowercase=declared["RequireLowercase"],
        require_numbers=declared["RequireNumbers"],
    )


def test_windows_are_fixed_and_aligned() -> None:
    assert window_start(1_000_899.9, 900) == 1_000_800
    assert window_start(1_000_800, 900) == 1_000_800


def test_an_action_counts_for_the_account_and_for_the_ip() -> None:
    account, ip = windows(Action.LOGIN, "operator#a@example.com", "203.0.113.9", 1_000_850.5)
    assert (account.subject, account.limit) == ("operator#a@example.com", LIMITS[Action.LOGIN].per_account)
    assert (ip.subject, ip.limit) == ("203.0.113.9", LIMITS[Action.LOGIN].per_ip)
    assert account.start == ip.start == 1_000_800
    assert account.end == ip.end == 1_000_800 + 15 * 60
    assert (LIMITS[Action.LOGIN].per_account, LIMITS[Action.LOGIN].per_ip) == (5, 20)
    assert all(LIMITS[a].window_seconds == 3600 for a in (Action.FORGOT, Action.RESET, Action.SIGNUP))


def test_retry_after_is_the_rest_of_the_window_and_at_least_a_second() -> None:
    window = Window(Action.LOGIN, "x", start=1000, end=1900, limit=5)
    assert window.retry_after(1000) == 900
    assert window.retry_after(1899.2) == 1
    assert window.retry_after(1900) == 1


def test_code_emails_carry_the_code_and_its_lifetime() -> None:
    verify = account_emails.verification_code("Nozzly", "012345", 24 * 3600)
    reset = account_emails.reset_code("Nozzly", "987654", 3600)
    assert "012345" in verify.text and "012345" in verify.html and "24 hours" in verify.text
    assert "987654" in reset.text and "1 hour." in reset.text
    assert "password" in reset.subject.lower()


def test_email_html_escapes_the_store_name() -> None:
    notice = account_emails.existing_account(AMBER.name)
    assert "Amber <Forge>" in notice.subject and "Amber <Forge>" in notice.text
    assert "Amber &lt;Forge&gt;" in notice.html and "<Forge>" not in notice.html
