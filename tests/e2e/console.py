"""The operator console in a real browser: open it, log in, find things by what an operator reads.

Imported as `tests.e2e.console`. Browser fixtures come from tests.e2e.browser; the local cloud from conftest.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from localcloud import demo_owner
from tests.e2e.conftest import LocalCloud

DEMO_STORE = "mystmereforge"
# A view's first call can meet a cold function on a busy machine (several seconds); the default is 5 s.
expect.set_options(timeout=20_000)


def console_url(cloud: LocalCloud, route: str = "/") -> str:
    """The console's address for a route of its own ("/s/mystmereforge/orders")."""
    return f"{cloud.api_url}/console/#{route}"


def log_in(page: Page, cloud: LocalCloud, email: str, password: str, route: str = "/") -> None:
    """Open a console route as a signed-out operator, log in on the page it sends you to, and land on it."""
    page.goto(console_url(cloud, route))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_have_count(0)


def log_in_as_owner(page: Page, cloud: LocalCloud, route: str = f"/s/{DEMO_STORE}") -> None:
    """The demo store's owner (made by `make run`'s seed) opens a console route."""
    log_in(page, cloud, demo_owner.EMAIL, demo_owner.PASSWORD, route)


def console_errors(page: Page) -> list[str]:
    """Start collecting the page's script errors (uncaught exceptions and CSP refusals); returns the live list."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors
