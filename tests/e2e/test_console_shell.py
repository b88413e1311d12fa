"""The console's frame in a real browser: published as the CDN serves it, signing in, sessions, roles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from localcloud import demo_owner
from tests.e2e.browser import serious_violations, shot
from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.console import DEMO_STORE, console_errors, console_url, log_in, log_in_as_owner
from tests.e2e.operators import PASSWORD, address_of, call, code_for

pytestmark = pytest.mark.e2e


def test_the_console_is_served_as_the_deploy_published_it(local_cloud: LocalCloud) -> None:
    s3 = local_cloud.client("s3")
    bucket = local_cloud.names["ConsoleBucket"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="console")["Contents"]]
    assert {"console", "console/", "console/index.html", "console/app.js"} <= set(keys)
    for key in keys:
        published = s3.get_object(Bucket=bucket, Key=key)
        served = http_request(f"{local_cloud.api_url}/{key}")
        assert served.status == 200, key
        assert served.headers["content-type"] == published["ContentType"], key
        assert served.headers["x-frame-options"] == "DENY" and served.headers["x-content-type-options"] == "nosniff"
        body = published["Body"].read()
        if key.endswith(".js") or key.endswith(".css"):
            assert served.body == body, key
    missing = http_request(f"{local_cloud.api_url}/console/lib/nothing.js")
    assert missing.status == 403  # S3 behind an origin access control does not say what exists
    assert http_request(f"{local_cloud.api_url}/console/../template.yaml").status == 403


def test_a_signed_out_link_leads_through_log_in_to_the_page_and_a_reload_keeps_the_session(
    page: Page, local_cloud: LocalCloud
) -> None:
    errors = console_errors(page)
    page.goto(console_url(local_cloud, "/stores/new"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    shot(page, "log-in")
    assert serious_violations(page) == []

    page.get_by_label("Email").fill(demo_owner.EMAIL)
    page.get_by_label("Password").fill("not-the-password-1A")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("password")
    assert page.get_by_label("Email").input_value() == demo_owner.EMAIL  # what was typed stays

    page.get_by_label("Password").fill(demo_owner.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Open a store")).to_be_visible()
    # The refresh token is an HttpOnly cookie: no script of the page can read it, and nothing is in storage.
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    [cookie] = [c for c in page.context.cookies() if c["name"] == "nz_operator_refresh"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/auth"

    page.reload()
    expect(page.get_by_role("heading", name="Open a store")).to_be_visible()
    page.goto(console_url(local_cloud, f"/s/{DEMO_STORE}"))
    expect(page.get_by_role("combobox", name="Store")).to_have_value(DEMO_STORE)
    shot(page, "store-home")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.reload()  # the cookie went with the session
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert errors == []


def test_an_expired_session_sends_the_operator_to_log_in_and_back_to_where_they_were(
    page: Page, local_cloud: LocalCloud
) -> None:
    log_in_as_owner(page, local_cloud, "/stores/new")
    expect(page.get_by_role("heading", name="Open a store")).to_be_visible()
    page.get_by_label("Store name").fill("Half-typed Store")

    # The session ends elsewhere: logging out everywhere revokes the browser's refresh token in Cognito.
    login = call(local_cloud, "POST", "/auth/login", body={"email": demo_owner.EMAIL, "password": demo_owner.PASSWORD})
    assert call(local_cloud, "POST", "/auth/logout", token=login.json()["access_token"]).status == 204

    # API Gateway's JWT authorizer refuses an access token past its hour with 401 {"message": "Unauthorized"};
    # an hour cannot pass in a test, so the next API call is answered that way once.
    answered: list[str] = []

    def expired(route: Route) -> None:
        if answered:
            route.continue_()
            return
        answered.append(route.request.url)
        route.fulfill(status=401, content_type="application/json", body=json.dumps({"message": "Unauthorized"}))

    page.route("**/admin/stores*", expired)
    page.goto(console_url(local_cloud, f"/s/{DEMO_STORE}"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text("Your session has ended")).to_be_visible()
    assert answered, "the console never called the API"
    shot(page, "session-ended")

    page.get_by_label("Email").fill(demo_owner.EMAIL)
    page.get_by_label("Password").fill(demo_owner.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("combobox", name="Store")).to_have_value(DEMO_STORE)
    assert page.url.endswith(f"#/s/{DEMO_STORE}")


def test_opening_a_store_shows_its_provisioning_until_it_is_ready(page: Page, local_cloud: LocalCloud) -> None:
    email = "console-opener@lantern.test"
    source = address_of(email)
    assert (
        call(local_cloud, "POST", "/auth/signup", body={"email": email, "password": PASSWORD}, source=source).status
        == 202
    )
    body: dict[str, Any] = {"email": email, "code": code_for(local_cloud, email)}
    assert call(local_cloud, "POST", "/auth/confirm", body=body, source=source).status == 204

    log_in(page, local_cloud, email, PASSWORD)
    expect(page.get_by_text("You have no store yet.")).to_be_visible()
    page.get_by_role("link", name="Open your first store").click()
    page.get_by_label("Store name").fill("!!!")
    page.get_by_label("Niche").fill("lamps")
    page.get_by_role("button", name="Open store").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the API's own message
    assert page.get_by_label("Niche").input_value() == "lamps"  # nothing typed is lost

    page.get_by_label("Store name").fill("Console Lantern Works")
    page.get_by_role("button", name="Open store").click()
    expect(page.get_by_role("heading", name="Opening your store")).to_be_visible()
    expect(page.get_by_text("Your store is ready.")).to_be_visible(timeout=60_000)
    shot(page, "store-ready")
    page.get_by_role("button", name="Go to the store").click()
    expect(page.get_by_role("combobox", name="Store")).to_have_value("console-lantern-works")
