"""The owner's daily research report: a store whose research settings have `report_email` on gets one email after
the day's run (the research workflow's report step), with the best results, their scores and verdicts and a
link to the console's import page; a retried step or a second run of the day sends nothing more; a store that
left it off (the default) gets none."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.auth_helpers import outbox
from tests.functional.harness import Cloud
from tests.functional.store_helpers import open_store, provision
from tests.functional.test_daily_summary import operator
from tests.functional.test_research import TODAY, research, settings_for, step
from tests.functional.test_research import peers as peers  # noqa: PLC0414  # the module's peers fixture, reused

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER, OTHER_OWNER = "owner@lamps.test", "owner@quiet.test"


def researched_store(cloud: Cloud, peers: dict[str, str], owner_email: str, changes: dict[str, Any]) -> tuple[str, str]:
    """A store owned by a real operator account (the owner's address is their account's), researched today."""
    steps = cloud.environments["ResearchSteps"]
    steps["REDDIT_API_URL"], steps["BEDROCK_ENDPOINT_URL"] = peers["reddit"], peers["bedrock"]
    owner = operator(cloud, owner_email)
    store = open_store(cloud, owner)
    provision(cloud, store)
    saved = research(
        cloud, "PATCH /admin/stores/{store}/research/settings", owner, store, settings_for(peers) | changes
    )
    assert saved.status == 200, saved.body
    step(cloud, {"step": "gather", "store_id": store, "day": TODAY})
    step(cloud, {"step": "analyse", "store_id": store, "day": TODAY})
    return owner, store


def report(cloud: Cloud, store: str) -> str:
    return str(step(cloud, {"step": "report", "store_id": store, "day": TODAY})["outcome"])


def test_an_owner_who_asked_gets_the_days_report_once(cloud: Cloud, peers: dict[str, str]) -> None:
    owner, store = researched_store(cloud, peers, OWNER, {"report_email": True})
    settings = research(cloud, "GET /admin/stores/{store}/research/settings", owner, store)
    assert settings.body["report_email"] is True

    assert report(cloud, store) == "sent"
    [email] = outbox(OWNER)
    assert "product research for" in email.subject
    html = email.body  # moto keeps the HTML part (the text part is checked in tests/unit/test_email_templates.py)
    # The day's ranking, best first, with the scores and verdicts tests/functional/test_research.py works out.
    lamp, chair, tank = (html.index(t) for t in ("LED Desk Lamp, black", "Ergonomic Chair", "Copper Forge Tankard"))
    assert lamp < chair < tank
    assert "64.70" in html and "55.00" in html and "import" in html and "skip" in html
    assert "5 products found" in html
    assert f"/#/s/{store}/imports" in html  # the console's import page

    # The step retried, then the whole day run again: the claim stands, nothing is sent twice.
    assert report(cloud, store) == "already"
    step(cloud, {"step": "gather", "store_id": store, "day": TODAY})
    assert report(cloud, store) == "already"
    assert len(outbox(OWNER)) == 1


def test_a_store_that_left_the_report_off_gets_no_email(cloud: Cloud, peers: dict[str, str]) -> None:
    owner, store = researched_store(cloud, peers, OTHER_OWNER, {})
    settings = research(cloud, "GET /admin/stores/{store}/research/settings", owner, store)
    assert settings.body["report_email"] is False  # off unless the owner turns it on

    assert report(cloud, store) == "off"
    assert outbox(OTHER_OWNER) == []

    bad = research(
        cloud, "PATCH /admin/stores/{store}/research/settings", owner, store,
        {"version": settings.body["version"], "report_email": "yes"},
    )  # fmt: skip
    assert bad.status == 400 and bad.body["error"]["fields"][0]["field"].endswith("report_email"), bad.body
