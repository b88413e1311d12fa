"""Operator accounts through the OperatorAuth handler: codes from the outbox, tokens from Cognito (moto)."""

from __future__ import annotations

import json
from email.utils import parseaddr
from typing import Any

import pytest

from tests.functional.auth_helpers import (
    OPERATOR,
    AuthApi,
    api_event,
    cognito_calls,
    last_code,
    outbox,
    token_claims,
    without_request_id,
)
from tests.functional.harness import Cloud

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

EMAIL = "Owner@Example.com"  # as typed; the account is "owner@example.com"
ADDRESS = "owner@example.com"
PASSWORD = "Correct-Horse-9"
CODE_KEY = ("operator#owner@example.com", "CODE#verify")


@pytest.fixture
def api(cloud: Cloud) -> AuthApi:
    return AuthApi(cloud)


def test_signup_confirm_login_me_refresh_logout(api: AuthApi) -> None:
    signup = api.signup(EMAIL, PASSWORD, name="Ada Owner")
    assert signup.status == 202
    assert set(signup.body) == {"message"}
    [email] = outbox(ADDRESS)
    # From the verified address, under the name of the place the account belongs to.
    assert parseaddr(email.source) == ("Nozzly", api.cloud.environments["OperatorAuth"]["EMAIL_FROM"])
    assert "verification code" in email.subject

    early = api.login(EMAIL, PASSWORD)  # the right password, but the address is not confirmed yet
    assert early.status == 403
    assert early.body["error"]["code"] == "email_not_confirmed"

    assert api.confirm(ADDRESS, last_code(ADDRESS)).status == 204
    assert api.cloud.item("IdentityTable", *CODE_KEY) is None  # a used code is gone

    login = api.login(ADDRESS, PASSWORD)
    assert login.status == 200
    tokens = login.body
    assert set(tokens) == {"access_token", "id_token", "refresh_token", "expires_in", "token_type"}
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] > 0

    me = api.me(tokens["access_token"])
    assert me.status == 200
    assert me.body["email"] == ADDRESS and me.body["name"] == "Ada Owner" and me.body["email_verified"] is True
    assert me.body["id"] and set(me.body) == {"id", "email", "name", "email_verified", "phone"}

    refreshed = api.refresh(tokens["refresh_token"])
    assert refreshed.status == 200
    assert set(refreshed.body) == {"access_token", "id_token", "expires_in", "token_type"}
    assert api.me(refreshed.body["access_token"]).body["id"] == me.body["id"]

    # API Gateway accepts the token with or without "Bearer "; so does logout.
    logout = api.logout(tokens["access_token"], headers={"authorization": tokens["access_token"]})
    assert logout.status == 204
    after = api.refresh(tokens["refresh_token"])
    assert after.status == 401
    assert after.body["error"]["code"] == "unauthorized"


def test_signup_again_answers_the_same_and_tells_the_owner(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    first = outbox(ADDRESS)

    again = api.signup(EMAIL, "Another-Passw0rd", name="Mallory")
    fresh = api.signup("newcomer@example.com", "Another-Passw0rd")

    assert again.status == fresh.status == 202
    assert again.body == fresh.body
    notice = outbox(ADDRESS)[len(first) :]
    assert [m.subject for m in notice] == ["Someone tried to sign up to Nozzly with your address"]
    assert "nothing changed" in notice[0].body
    assert api.login(ADDRESS, "Another-Passw0rd").status == 401  # the account is unchanged
    tokens = api.login(ADDRESS, PASSWORD).body
    assert api.me(tokens["access_token"]).body["name"] is None


def test_signup_again_before_confirming_sends_a_new_code(api: AuthApi) -> None:
    api.signup(ADDRESS, PASSWORD)
    lost = last_code(ADDRESS)
    assert api.signup(ADDRESS, PASSWORD).status == 202
    new = last_code(ADDRESS)

    assert len(outbox(ADDRESS)) == 2
    if new != lost:  # one chance in a million that they are equal
        assert api.confirm(ADDRESS, lost).status == 400
    assert api.confirm(ADDRESS, new).status == 204
    assert api.login(ADDRESS, PASSWORD).status == 200


def test_wrong_code_reads_the_same_for_known_and_unknown_addresses(api: AuthApi) -> None:
    api.signup(ADDRESS, PASSWORD)
    code = last_code(ADDRESS)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    known, unknown = api.confirm(ADDRESS, wrong), api.confirm("nobody@example.com", wrong)

    assert known.status == unknown.status == 400
    assert without_request_id(known.body) == without_request_id(unknown.body)
    assert known.body["error"]["fields"][0]["field"] == "code"
    assert api.confirm(ADDRESS, code).status == 204  # one wrong try does not spoil the code


def test_expired_code_is_refused(api: AuthApi) -> None:
    api.signup(ADDRESS, PASSWORD)
    api.cloud.client("dynamodb").update_item(  # as if 24 hours went by (TTL may not have deleted it yet)
        TableName=api.cloud.names["IdentityTable"],
        Key={"pk": {"S": CODE_KEY[0]}, "sk": {"S": CODE_KEY[1]}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": "1000"}},
    )
    response = api.confirm(ADDRESS, last_code(ADDRESS))
    assert response.status == 400
    assert response.body["error"]["fields"][0]["field"] == "code"
    assert api.login(ADDRESS, PASSWORD).status == 403


def test_sixth_attempt_is_refused_even_with_the_right_code(api: AuthApi) -> None:
    api.signup(ADDRESS, PASSWORD)
    code = last_code(ADDRESS)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert [api.confirm(ADDRESS, wrong).status for _ in range(5)] == [400] * 5
    assert api.confirm(ADDRESS, code).status == 400


def test_unknown_email_and_wrong_password_get_the_same_401(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    wrong_password = api.login(ADDRESS, "Wrong-Passw0rd")
    unknown = api.login("nobody@example.com", PASSWORD)
    assert wrong_password.status == unknown.status == 401
    assert wrong_password.body == unknown.body
    assert wrong_password.body["error"]["message"] == "invalid email or password"


def test_forgot_password_for_an_unknown_address_answers_alike_and_sends_nothing(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    before = len(outbox())
    known = api.post("/auth/forgot-password", {"email": ADDRESS})
    unknown = api.post("/auth/forgot-password", {"email": "nobody@example.com"})
    assert known.status == unknown.status == 202
    assert known.body == unknown.body
    assert [m.to for m in outbox()[before:]] == [[ADDRESS]]


def test_reset_password_replaces_it_and_ends_every_session(api: AuthApi) -> None:
    tokens = api.registered(ADDRESS, PASSWORD)
    assert api.post("/auth/forgot-password", {"email": EMAIL}).status == 202
    reset = {"email": ADDRESS, "code": last_code(ADDRESS)}

    weak = api.post("/auth/reset-password", reset | {"new_password": "short"})
    assert weak.status == 400
    assert weak.body["error"]["fields"][0]["field"] == "password"
    assert api.post("/auth/reset-password", reset | {"new_password": "Brand-New-Passw0rd"}).status == 204

    assert api.login(ADDRESS, PASSWORD).status == 401
    assert api.login(ADDRESS, "Brand-New-Passw0rd").status == 200
    assert api.refresh(tokens["refresh_token"]).status == 401
    again = api.post("/auth/reset-password", reset | {"new_password": "Another-Passw0rd1"})
    assert again.status == 400  # the code was used up


def test_sixth_failed_login_is_throttled_without_asking_cognito(api: AuthApi) -> None:
    api.signup(ADDRESS, PASSWORD)
    api.fresh_window(15 * 60)
    failures = [api.login(ADDRESS, f"Wrong-Passw0rd{n}", ip=f"198.51.100.{n}") for n in range(5)]
    assert [r.status for r in failures] == [401] * 5
    calls = cognito_calls(api.cloud, "OperatorAuth")

    throttled = api.login(ADDRESS, PASSWORD, ip="198.51.100.99")  # even the right password, from elsewhere

    assert throttled.status == 429
    assert throttled.body["error"]["code"] == "too_many_requests"
    assert 1 <= int(throttled.headers["retry-after"]) <= 15 * 60
    assert calls == []


def test_failed_logins_from_one_ip_are_throttled_across_accounts(api: AuthApi) -> None:
    api.fresh_window(15 * 60)
    statuses = [api.login(f"guess{n}@example.com", PASSWORD).status for n in range(20)]
    assert statuses == [401] * 20
    throttled = api.login("guess20@example.com", PASSWORD)
    assert throttled.status == 429
    assert int(throttled.headers["retry-after"]) >= 1
    assert api.login("guess20@example.com", PASSWORD, ip="198.51.100.7").status == 401  # another address


def test_successful_logins_do_not_count_as_failures(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    assert [api.login(ADDRESS, PASSWORD).status for _ in range(6)] == [200] * 6


@pytest.mark.parametrize("route", ["/auth/forgot-password", "/auth/reset-password"])
def test_password_reset_requests_are_throttled_per_account(api: AuthApi, route: str) -> None:
    body = {"email": ADDRESS, "code": "000000", "new_password": "Brand-New-Passw0rd"}
    api.fresh_window(3600)
    statuses = [api.post(route, body, ip=f"198.51.100.{n}").status for n in range(5)]
    assert 429 not in statuses
    throttled = api.post(route, body, ip="198.51.100.99")
    assert throttled.status == 429
    assert int(throttled.headers["retry-after"]) <= 3600


def test_weak_password_is_refused_alike_for_new_and_existing_addresses(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    sent = len(outbox())
    new = api.signup("newcomer@example.com", "alllowercase1")
    existing = api.signup(ADDRESS, "alllowercase1")
    assert new.status == existing.status == 400
    assert without_request_id(new.body) == without_request_id(existing.body)
    assert new.body["error"]["fields"][0]["field"] == "password"
    assert len(outbox()) == sent  # nobody was emailed
    assert api.login("newcomer@example.com", "alllowercase1").status == 401  # no half-made account is left


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"email": "owner@example.com"}, {"password"}),
        ({"password": PASSWORD}, {"email"}),
        ({"email": "not-an-email", "password": PASSWORD}, {"email"}),
        ({"email": "owner@example.com", "password": " padded-Passw0rd"}, {"password"}),
        ([], {"body"}),  # not an object: the body as a whole
        ('{"email": "owner@example.com", ', {"body"}),  # malformed JSON
    ],
)
def test_signup_body_is_validated(api: AuthApi, body: Any, fields: set[str]) -> None:
    response = api.post("/auth/signup", raw_body=body) if isinstance(body, str) else api.post("/auth/signup", body)
    assert response.status == 400
    unreadable = fields == {"body"}
    assert response.body["error"]["code"] == ("invalid_body" if unreadable else "validation_error")
    assert {f["field"] for f in response.body["error"]["fields"]} == fields


def test_me_and_logout_need_an_access_token(api: AuthApi) -> None:
    tokens = api.registered(ADDRESS, PASSWORD)
    assert api.me(tokens["id_token"]).status == 401  # the authorizer lets ID tokens through; the function does not
    assert api.me(tokens["access_token"], claims={}).status == 401
    assert api.logout(tokens["id_token"]).status == 401
    assert api.me(tokens["access_token"]).status == 200


def test_a_browser_session_keeps_the_refresh_token_in_an_httponly_cookie(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    event = api_event("POST /auth/login", body={"email": ADDRESS, "password": PASSWORD, "session": "cookie"})
    login = api.cloud.invoke(OPERATOR, event)
    assert login["statusCode"] == 200
    body = json.loads(login["body"])
    assert body["refresh_token"] is None and body["access_token"]  # the app's scripts never see the refresh token
    [cookie] = login["cookies"]
    name, _, rest = cookie.partition("=")
    value = rest.split(";", 1)[0]
    flags = {f.strip().lower() for f in rest.split(";")[1:]}
    assert name == "nz_operator_refresh" and value
    assert {"httponly", "path=/auth", "samesite=strict", "secure"} <= flags  # API Gateway is https

    # The browser sends it back to /auth/refresh with an empty body (HTTP API v2 puts cookies in `cookies`).
    refresh = api_event("POST /auth/refresh", body={})
    refresh["cookies"] = [f"nz_operator_refresh={value}"]
    refreshed = api.cloud.http(OPERATOR, refresh)
    assert refreshed.status == 200 and api.me(refreshed.body["access_token"]).status == 200

    without = api.cloud.http(OPERATOR, api_event("POST /auth/refresh", body={}))
    assert without.status == 400 and without.body["error"]["fields"][0]["field"] == "refresh_token"

    token = body["access_token"]
    logout_event = api_event(
        "POST /auth/logout", headers={"authorization": f"Bearer {token}"}, claims=token_claims(token)
    )
    logout = api.cloud.invoke(OPERATOR, logout_event)
    assert logout["statusCode"] == 204
    [cleared] = logout["cookies"]
    assert cleared.startswith('nz_operator_refresh="";') or cleared.startswith("nz_operator_refresh=;")
    assert "max-age=0" in cleared.lower()
    # Logging out signed the account out everywhere: the cookie's token no longer refreshes.
    assert api.cloud.http(OPERATOR, refresh).status == 401


def test_the_default_login_still_returns_the_refresh_token_and_sets_no_cookie(api: AuthApi) -> None:
    api.registered(ADDRESS, PASSWORD)
    login = api.cloud.invoke(OPERATOR, api_event("POST /auth/login", body={"email": ADDRESS, "password": PASSWORD}))
    assert json.loads(login["body"])["refresh_token"]
    assert not login.get("cookies") and "set-cookie" not in {k.lower() for k in login.get("headers", {})}
    bad = api.cloud.http(
        OPERATOR, api_event("POST /auth/login", body={"email": ADDRESS, "password": PASSWORD, "session": "jar"})
    )
    assert bad.status == 400 and bad.body["error"]["fields"][0]["field"] == "session"
