"""Shop pages in a real browser: Playwright for Python driving Debian's Chromium, axe-core, screenshots.

The fixtures are registered once for tests/e2e by its conftest; modules import `shot` and `serious_violations`.
Screenshots land in test-artifacts/screenshots/<test>/<name>.png (CI keeps the folder as its artifacts).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NOZZLY_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
# The machine's network is closed: without these Chromium keeps trying Google's hosts (local-cloud-facts.md).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = ViewportSize(width=360, height=780)
DESKTOP = ViewportSize(width=1280, height=900)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One Chromium per test module. Not longer: while Playwright's sync API runs, its event loop counts as running
    in this thread, and the other tests the worker runs next (Mangum's handlers among them) need their own."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser, *, phone: bool = False) -> BrowserContext:
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
    )
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh shopper (own cookies) on a desktop screen."""
    context = new_context(chromium)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone_page(chromium: Browser) -> Iterator[Page]:
    """A fresh shopper on a 360 px phone screen."""
    context = new_context(chromium, phone=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under the running test's folder; returns its path."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "unknown").split(" ")[0]
    folder = SHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", test.split("::")[-1])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules)."""
    # Evaluated through the DevTools protocol: the page's own CSP (no inline scripts) stays on for the test.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
