"""The import routes (who may, what is refused, one run per source) and the workflow's compensation, under moto
with a supplier on loopback (the local parameters allow loopback http, as the local cloud does)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from localcloud import supplier_peer
from nozzly.imports.domain.download_rules import DownloadRefused
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.store_helpers import ALICE, BOB, caught, open_store, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture(scope="module")
def supplier() -> Iterator[str]:
    server = supplier_peer.serve_in_thread()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def store(cloud: Cloud) -> str:
    opened = open_store(cloud)
    provision(cloud, opened)
    return opened


def imports(cloud: Cloud, route: str, sub: str, store: str, *, body: Any = None, import_id: str = "") -> HttpResponse:
    path = {"store": store} | ({"import_id": import_id} if import_id else {})
    claims = {"sub": sub, "username": sub, "token_use": "access", "client_id": "operator-client"}
    return cloud.http("ProductImports", api_event(route, path_parameters=path, body=body, claims=claims))


def executions(cloud: Cloud) -> list[dict[str, Any]]:
    arn = cloud.environments["ProductImports"]["PRODUCT_IMPORT_STATE_MACHINE_ARN"]
    sfn = cloud.client("stepfunctions")
    return [
        json.loads(sfn.describe_execution(executionArn=e["executionArn"])["input"])
        for e in sfn.list_executions(stateMachineArn=arn)["executions"]
    ]


def test_an_import_starts_once_per_source_and_answers_its_progress(cloud: Cloud, store: str, supplier: str) -> None:
    body = {"source_url": f"{supplier}/products/EL-100.json", "category": "decor"}
    first = imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=body)
    assert first.status == 202, first.body
    assert first.body["status"] == "running" and first.body["product"] is None
    assert [s["state"] for s in first.body["steps"]] == ["pending"] * 5

    again = imports(
        cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=body | {"source_url": body["source_url"] + "#x"}
    )
    assert again.status == 202 and again.body["id"] == first.body["id"]
    started = executions(cloud)
    assert all(e.pop("correlation_id") for e in started)  # the request's id, which every step logs under
    assert started == [
        {
            "store_id": store,
            "import_id": first.body["id"],
            "source_url": body["source_url"],
            "category": "decor",
            "language": "en",
        }
    ]
    progress = imports(cloud, "GET /admin/stores/{store}/imports/{import_id}", ALICE, store, import_id=first.body["id"])
    assert progress.status == 200 and progress.body == first.body


def month_used(cloud: Cloud, owner: str) -> int | None:
    from nozzly.billing.services.plan_guard import month_of

    key = {"pk": {"S": f"ACCOUNT#{owner}"}, "sk": {"S": f"USAGE#{month_of(int(time.time()))}"}}
    item = cloud.client("dynamodb").get_item(TableName=cloud.stores_table, Key=key).get("Item")
    return int(item["ai_imports"]["N"]) if item else None


def test_each_new_source_takes_one_of_the_plans_monthly_imports_and_a_full_month_refuses_with_402(
    cloud: Cloud, store: str, supplier: str
) -> None:
    source = {"source_url": f"{supplier}/products/EL-100.json", "category": "decor"}
    assert imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=source).status == 202
    assert imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=source).status == 202
    assert month_used(cloud, ALICE) == 1  # asking again for the same source takes nothing more

    from nozzly.billing.services.plan_guard import month_of

    key = {"pk": {"S": f"ACCOUNT#{ALICE}"}, "sk": {"S": f"USAGE#{month_of(int(time.time()))}"}}
    cloud.client("dynamodb").update_item(  # the trial's Growth plan allows 50 a month: use up the rest
        TableName=cloud.stores_table,
        Key=key,
        UpdateExpression="SET ai_imports = :full",
        ExpressionAttributeValues={":full": {"N": "50"}},
    )
    refused = imports(
        cloud,
        "POST /admin/stores/{store}/imports",
        ALICE,
        store,
        body=source | {"source_url": f"{supplier}/products/TH-200.json"},
    )
    assert refused.status == 402, refused.body
    assert refused.body["error"]["code"] == "plan_limit_reached"
    assert "50" in refused.body["error"]["message"] and month_used(cloud, ALICE) == 50
    assert len(executions(cloud)) == 1  # the refused one started nothing
    billing = cloud.http(
        "Billing",
        api_event(
            "GET /billing",
            claims={"sub": ALICE, "username": ALICE, "token_use": "access", "client_id": "operator-client"},
        ),
    )
    monthly = [u for u in billing.body["usage"] if u["limit"] == "ai_imports_per_month"]
    assert [(u["used"], u["maximum"]) for u in monthly] == [(50, 50)]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"source_url": "http://169.254.169.254/latest/meta-data/", "category": "decor"}, "source_url", "metadata"),
        ({"source_url": "http://10.1.2.3/p.json", "category": "decor"}, "source_url", "private"),
        ({"source_url": "http://127.0.0.1:9/p.json", "category": "no-such"}, "category", "not found"),
        ({"source_url": "http://127.0.0.1:9/p.json"}, "category", ""),
    ],
)
def test_refused_imports_are_400_naming_the_field_and_start_nothing(
    cloud: Cloud, store: str, body: dict[str, str], field: str, message: str
) -> None:
    response = imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=body)
    assert response.status == 400, response.body
    assert response.body["error"]["fields"][0]["field"].endswith(field) and message in response.body["error"]["message"]
    assert executions(cloud) == []


def test_a_stranger_learns_nothing_of_the_store(cloud: Cloud, store: str, supplier: str) -> None:
    body = {"source_url": f"{supplier}/products/EL-100.json", "category": "decor"}
    assert imports(cloud, "POST /admin/stores/{store}/imports", BOB, store, body=body).status == 404
    assert (
        imports(
            cloud, "GET /admin/stores/{store}/imports/{import_id}", ALICE, store, import_id="imp_" + "0" * 20
        ).status
        == 404
    )
    assert executions(cloud) == []


def test_a_failed_import_leaves_no_files_and_says_why(cloud: Cloud, store: str, supplier: str) -> None:
    source = f"{supplier}/products/EL-100.json"
    run = imports(
        cloud, "POST /admin/stores/{store}/imports", ALICE, store, body={"source_url": source, "category": "decor"}
    )
    ref = {"store_id": store, "import_id": run.body["id"]}
    fetched = cloud.invoke("ProductImportSteps", ref | {"step": "fetch", "source_url": source, "category": "decor"})
    alts = ["one", "two"]
    made = cloud.invoke(
        "ProductImportSteps",
        ref | {"step": "images", "slug": fetched["slug"], "product": fetched["product"], "alts": alts},
    )
    prefix = f"stores/{store}/products/{fetched['slug']}/images/"
    assert len(made["images"]) == 2 and any(k.endswith(".webp") for k in cloud.object_keys(prefix))

    refused = DownloadRefused("the store already sells SKU 'EL-100'")
    assert cloud.invoke("ProductImportSteps", ref | {"step": "fail", "error": caught(refused)}) == {"status": "failed"}

    assert cloud.object_keys(prefix) == []
    progress = imports(cloud, "GET /admin/stores/{store}/imports/{import_id}", ALICE, store, import_id=run.body["id"])
    assert progress.body["status"] == "failed" and progress.body["error"] == "the store already sells SKU 'EL-100'"
    # The failed step is the first one not done (the copy step was skipped here; the workflow runs them in order).
    assert [s["state"] for s in progress.body["steps"]] == ["done", "failed", "done", "pending", "pending"]
    retried = imports(
        cloud, "POST /admin/stores/{store}/imports", ALICE, store, body={"source_url": source, "category": "decor"}
    )
    assert retried.status == 202 and retried.body["status"] == "running" and len(executions(cloud)) == 2
