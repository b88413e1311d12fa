"""Product research end to end in the local cloud: the daily schedule starts ResearchStateMachine (the Map over
due stores, the steps function, the supplier feeds on loopback, the Reddit peer through praw, the Bedrock peer
through boto3), the day's ranking and verdicts come back through the admin route, the owner who asked for the
daily report gets it once (SES's local outbox), and a bulk import of three
results runs BulkImportStateMachine (the product import workflow per item, `startExecution.sync:2`) until the
drafts are in the catalog."""

from __future__ import annotations

import json
from typing import Any

import pytest

from localcloud.supplier_feeds import CSV_MAPPING, JSON_MAPPING
from tests.e2e.conftest import LocalCloud
from tests.e2e.operators import call, log_in, open_ready_store

pytestmark = pytest.mark.e2e

SCHEDULE = "ResearchStateMachineDaily"
OWNER = "researcher@research.test"


@pytest.fixture(scope="module")
def shop(local_cloud: LocalCloud, supplier: str) -> tuple[str, str]:
    token = log_in(local_cloud, "", OWNER)
    store = open_ready_store(local_cloud, token, "Desk Goods")
    made = call(local_cloud, "POST", f"/admin/stores/{store}/categories", token, {"name": "Finds"})
    assert made.status == 201, made.body
    feeds = [
        {"id": "csv", "url": f"{supplier}/feeds/products.csv", "format": "csv", "mapping": CSV_MAPPING},
        {"id": "json", "url": f"{supplier}/feeds/products.json", "format": "json", "mapping": JSON_MAPPING},
        {"id": "gm", "url": f"{supplier}/feeds/merchant.xml", "format": "google_merchant"},
    ]
    body = {"version": 0, "keywords": ["desk lamp", "tankard"], "feeds": feeds, "report_email": True}
    saved = call(local_cloud, "PATCH", f"/admin/stores/{store}/research/settings", token, body)
    assert saved.status == 200, saved.body
    return token, store


def executions(cloud: LocalCloud, logical_id: str) -> dict[str, dict[str, Any]]:
    sfn = cloud.client("stepfunctions")
    arn = f"arn:aws:states:us-east-1:123456789012:stateMachine:{cloud.names[logical_id]}"
    return {e["executionArn"]: e for e in sfn.list_executions(stateMachineArn=arn)["executions"]}


def ended(cloud: LocalCloud, execution_arn: str, timeout: float = 90) -> dict[str, Any]:
    sfn = cloud.client("stepfunctions")
    done: dict[str, Any] = cloud.eventually(
        lambda: sfn.describe_execution(executionArn=execution_arn),
        lambda e: e["status"] != "RUNNING",
        timeout=timeout,
    )
    return done


def failure_of(cloud: LocalCloud, execution_arn: str) -> list[Any]:
    """The failed events of an execution's history: what an assertion message should show."""
    history = cloud.client("stepfunctions").get_execution_history(executionArn=execution_arn)["events"]
    return [e for e in history if "Failed" in e["type"] or "Aborted" in e["type"]]


def reports(cloud: LocalCloud) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = json.loads(cloud.api(f"/_local/outbox?to={OWNER}").body)["messages"]
    return [m for m in messages if "product research for" in m["subject"]]


def test_the_daily_schedule_researches_the_store_and_a_bulk_import_makes_drafts(
    local_cloud: LocalCloud, shop: tuple[str, str]
) -> None:
    token, store = shop
    before = executions(local_cloud, "ResearchStateMachine")
    fired = local_cloud.api(f"/_local/schedules/{SCHEDULE}", "POST")
    assert fired.status == 202, fired.body
    [started] = [arn for arn in executions(local_cloud, "ResearchStateMachine") if arn not in before]
    run = ended(local_cloud, started, timeout=150)  # every open store of the session is researched, 4 at a time
    assert run["status"] == "SUCCEEDED", failure_of(local_cloud, started)
    day = json.loads(run["input"])["time"][:10]  # the scheduled event's time: the day the run researched

    found = call(local_cloud, "GET", f"/admin/stores/{store}/research/results?day={day}", token)
    assert found.status == 200, found.body
    results = found.json()["results"]
    # The ranking tests/functional/test_research.py works out by hand from the same feeds and Reddit posts.
    assert [(r["source_id"], r["score"]["total"]) for r in results] == [
        ("LMP-1", 64.7),
        ("G-CHR", 55.0),
        ("J-TANK", 50.6),
        ("G-BRD", 38.95),
        ("STR-2", 7.35),
    ]
    assert [r["verdict"]["verdict"] for r in results] == ["import", "import", "import", "watch", "skip"]
    assert all(r["ai_status"] == "done" and r["verdict"]["reasons"] for r in results), results
    assert found.json()["run"]["candidates"] == 7 and found.json()["run"]["failures"] == []
    [report] = reports(local_cloud)  # the run's last step per store: the owner's opt-in report
    assert "LED Desk Lamp, black" in report["body"] and f"#/s/{store}/imports" in report["body"]

    chosen = results[:3]
    body = {"day": day, "result_ids": [r["id"] for r in chosen], "category": "finds"}
    before = executions(local_cloud, "BulkImportStateMachine")
    accepted = call(local_cloud, "POST", f"/admin/stores/{store}/research/imports", token, body)
    assert accepted.status == 202, accepted.body
    [bulk] = [arn for arn in executions(local_cloud, "BulkImportStateMachine") if arn not in before]
    done = ended(local_cloud, bulk, timeout=120)
    assert done["status"] == "SUCCEEDED", failure_of(local_cloud, bulk)
    assert json.loads(done["output"])["tally"] == {"succeeded": 3, "failed": 0, "running": 0}

    drafts = call(local_cloud, "GET", f"/admin/stores/{store}/products?status=draft", token)
    assert drafts.status == 200, drafts.body
    by_sku = {p["source"]["supplier_sku"]: p for p in drafts.json()["items"] if p.get("source")}
    assert sorted(by_sku) == sorted(r["source_id"] for r in chosen), drafts.json()
    for result in chosen:
        draft = by_sku[result["source_id"]]
        assert draft["status"] == "draft" and draft["source"]["url"] == result["url"]
        assert draft["price"] == result["score"]["price"]  # the import prices by the rules the research scored
