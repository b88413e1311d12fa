"""A research run over the local peers (the supplier's CSV, JSON and Google Merchant feeds, the Reddit API peer
through praw, the Bedrock peer through boto3), driven through the research workflow's step handler under moto,
and the operators' routes: the day's ranking is the scoring's, the AI's verdicts are saved, the watchlist and
bulk import follow the results."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from localcloud import bedrock_peer, reddit_peer, supplier_peer
from localcloud.supplier_feeds import CSV_MAPPING, JSON_MAPPING
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.store_helpers import ALICE, BOB, claims, open_store, provision

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture(scope="module")
def peers() -> Iterator[dict[str, str]]:
    supplier, reddit = supplier_peer.serve_in_thread(), reddit_peer.serve_in_thread()
    bedrock = bedrock_peer.serve(0)
    threading.Thread(target=bedrock.serve_forever, daemon=True).start()
    yield {name: f"http://127.0.0.1:{s.server_address[1]}" for name, s in
           (("supplier", supplier), ("reddit", reddit), ("bedrock", bedrock))}  # fmt: skip
    for server in (supplier, reddit, bedrock):
        server.shutdown()


@pytest.fixture
def store(cloud: Cloud, peers: dict[str, str]) -> str:
    steps = cloud.environments["ResearchSteps"]
    steps["REDDIT_API_URL"], steps["BEDROCK_ENDPOINT_URL"] = peers["reddit"], peers["bedrock"]
    opened = open_store(cloud)
    provision(cloud, opened)
    return opened


def new_container() -> None:
    """Research and ResearchSteps are two Lambda functions (two containers, two environments) run in one process
    here: each call starts from fresh settings and services, as its own container would have them."""
    from nozzly import settings, wiring

    for getter in vars(settings).values():
        if callable(getter) and hasattr(getter, "cache_clear"):
            getter.cache_clear()
    wiring.reset()


def step(cloud: Cloud, payload: dict[str, Any]) -> Any:
    new_container()
    return cloud.invoke("ResearchSteps", payload)


def research(cloud: Cloud, route: str, sub: str, store: str, body: Any = None, **path: str) -> HttpResponse:
    new_container()
    event = api_event(route, path_parameters={"store": store} | path, body=body, claims=claims(sub))
    if route.endswith("/results"):
        # Mangum reads the raw query string, as API Gateway sends both: the day asked for, not the route's today.
        event["queryStringParameters"] = {"day": TODAY}
        event["rawQueryString"] = f"day={TODAY}"
    return cloud.http("Research", event)


TODAY = datetime.now(UTC).date().isoformat()


def settings_for(peers: dict[str, str]) -> dict[str, Any]:
    base = peers["supplier"]
    return {
        "version": 0,
        "keywords": ["desk lamp", "tankard"],
        "feeds": [
            {"id": "csv", "url": f"{base}/feeds/products.csv", "format": "csv", "mapping": CSV_MAPPING},
            {"id": "json", "url": f"{base}/feeds/products.json", "format": "json", "mapping": JSON_MAPPING},
            {"id": "gm", "url": f"{base}/feeds/merchant.xml", "format": "google_merchant"},
        ],
    }


def test_a_research_run_ranks_the_peers_candidates_as_the_scoring_says_and_saves_the_ai_verdicts(
    cloud: Cloud, store: str, peers: dict[str, str]
) -> None:
    saved = research(cloud, "PATCH /admin/stores/{store}/research/settings", ALICE, store, settings_for(peers))
    assert saved.status == 200 and saved.body["version"] == 1, saved.body

    due = step(cloud, {"step": "stores", "time": f"{TODAY}T05:00:00Z"})
    assert due["day"] == TODAY and store in due["stores"]
    gathered = step(cloud, {"step": "gather", "store_id": store, "day": TODAY})
    # 7 feed rows; the two desk lamps (near-identical titles) and the two walnut boards (one GTIN) merge
    assert gathered == {"candidates": 7, "results": 5, "signals": 3, "failures": []}
    analysed = step(cloud, {"step": "analyse", "store_id": store, "day": TODAY})
    assert (analysed["done"], analysed["budget"], analysed["invalid"]) == (5, 0, 0) and analysed["tokens"] > 0

    day = research(cloud, "GET /admin/stores/{store}/research/results", ALICE, store)
    assert day.status == 200, day.body
    # Default markup rules (x2.5 from 10.00 cost, x2 from 50.00, .99 endings), full margin 50.00. The lamp:
    # 12.50 landed x 2.5 = 31.25 -> 31.99, margin 19.49 -> 38 points; trend 100 ((240 + 60) / 2 + 50 / 1 a
    # post-hour); proof (75 + 40) / 2 = 57; 9 days 80; 3 shops 70: 35x38 + 25x100 + 20x57 + 10x80 + 10x70 = 6470.
    # The chair: 40.00 x 2.5 = 100.00 -> 100.99, margin 60.99 -> 100; 3 days 100; no shops 100: 3500 + 2000 = 5500.
    # The tankard: 10.50 x 3 = 31.50 -> 31.99, margin 21.49 -> 42; 20 post-hours; (80 + 65) / 2 = 72; 8 days 85;
    # 2 shops 80: 1470 + 500 + 1440 + 850 + 800 = 5060. The cheaper board (19.00 landed, 48 -> 47.99, 28.99 -> 57;
    # 7 days 90): 1995 + 900 + 1000 = 3895. The strap (5.00 -> 15.99, 10.99 -> 21; 30 days, 10 shops): 735.
    assert [(r["rank"], r["source"], r["source_id"], r["score"]["total"]) for r in day.body["results"]] == [
        (1, "csv", "LMP-1", 64.7),
        (2, "gm", "G-CHR", 55.0),
        (3, "json", "J-TANK", 50.6),
        (4, "gm", "G-BRD", 38.95),
        (5, "csv", "STR-2", 7.35),
    ]
    lamp = day.body["results"][0]
    assert lamp["score"]["points"] == {"margin": 38, "trend": 100, "proof": 57, "shipping": 80, "competition": 70}
    assert lamp["score"]["price"]["amount"] == 3199 and lamp["ai_status"] == "done"
    assert lamp["verdict"]["verdict"] == "import" and lamp["verdict"]["reasons"][0] == "Scores 64.7 of 100"
    assert [r["verdict"]["verdict"] for r in day.body["results"]] == ["import", "import", "import", "watch", "skip"]
    assert day.body["run"]["candidates"] == 7

    # Running the day again replaces it: the same five results, no duplicates
    step(cloud, {"step": "gather", "store_id": store, "day": TODAY})
    again = research(cloud, "GET /admin/stores/{store}/research/results", ALICE, store)
    assert [r["id"] for r in again.body["results"]] == [r["id"] for r in day.body["results"]]
    assert research(cloud, "GET /admin/stores/{store}/research/results", BOB, store).status == 404

    # One cloud for both halves: provisioning the template in moto is most of this file's time.
    watchlist_and_bulk_import_follow_the_days_results(cloud, store, again.body["results"])


def watchlist_and_bulk_import_follow_the_days_results(cloud: Cloud, store: str, results: list[dict[str, Any]]) -> None:
    lamp, chair = results[0]["id"], results[1]["id"]

    put = "PUT /admin/stores/{store}/research/watchlist/{result_id}"
    added = research(cloud, put, ALICE, store, {"day": TODAY, "notes": "ask for samples"}, result_id=lamp)
    assert added.status == 200 and added.body["title"] == "LED Desk Lamp, black"
    again = research(cloud, put, ALICE, store, {"day": TODAY}, result_id=lamp)
    assert again.body["notes"] == "ask for samples"  # a repeated add changes nothing
    noted = research(
        cloud, "PATCH /admin/stores/{store}/research/watchlist/{result_id}", ALICE, store, {"notes": "ok"},
        result_id=lamp,
    )  # fmt: skip
    assert noted.body["notes"] == "ok"
    unknown = research(cloud, put, ALICE, store, {"day": TODAY}, result_id="res_" + "0" * 16)
    assert unknown.status == 404
    listed = research(cloud, "GET /admin/stores/{store}/research/watchlist", ALICE, store)
    assert [e["id"] for e in listed.body["entries"]] == [lamp]
    gone = research(cloud, "DELETE /admin/stores/{store}/research/watchlist/{result_id}", ALICE, store, result_id=lamp)
    assert gone.status == 204
    assert research(cloud, "GET /admin/stores/{store}/research/watchlist", ALICE, store).body["entries"] == []

    body = {"day": TODAY, "result_ids": [lamp, chair], "category": "decor"}
    started = research(cloud, "POST /admin/stores/{store}/research/imports", ALICE, store, body)
    assert started.status == 202, started.body
    assert [i["imported"]["status"] for i in started.body["imports"]] == ["running", "running"]
    repeated = research(cloud, "POST /admin/stores/{store}/research/imports", ALICE, store, body)
    assert [i["imported"]["id"] for i in repeated.body["imports"]] == [
        i["imported"]["id"] for i in started.body["imports"]
    ]
    sfn = cloud.client("stepfunctions")
    arn = cloud.environments["Research"]["BULK_IMPORT_STATE_MACHINE_ARN"]
    executions = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert len(executions) == 1  # the repeated request started nothing more
    items = json.loads(sfn.describe_execution(executionArn=executions[0]["executionArn"])["input"])["items"]
    assert [i["source_url"] for i in items] == [results[0]["url"], results[1]["url"]]

    bad = research(cloud, "POST /admin/stores/{store}/research/imports", ALICE, store, body | {"result_ids": ["x"]})
    assert bad.status == 400


def test_every_product_the_suppliers_feeds_list_can_be_fetched_for_import(peers: dict[str, str]) -> None:
    """A candidate's URL is where its import downloads the product (and its images) from."""
    import csv
    import io
    import re
    import urllib.request

    def get(url: str) -> bytes:
        with urllib.request.urlopen(url, timeout=10) as answer:
            body: bytes = answer.read()
            return body

    base = peers["supplier"]
    urls = [row["url"] for row in csv.DictReader(io.StringIO(get(f"{base}/feeds/products.csv").decode()))]
    urls += [p["link"] for p in json.loads(get(f"{base}/feeds/products.json"))["products"]]
    urls += re.findall(r"<g:link>([^<]+)</g:link>", get(f"{base}/feeds/merchant.xml").decode())
    assert len(urls) == 7
    for url in urls:
        document = json.loads(get(url))
        assert document["title"] and document["cost"]["currency"] == "EUR" and document["cost"]["amount"] > 0
        assert document["shipping"]["amount"] > 0  # the feed's shipping: the import prices the landed cost
        assert all(get(image).startswith(b"\x89PNG") for image in document["images"])


def test_an_import_is_priced_by_the_markup_rules_the_store_saved(
    cloud: Cloud, store: str, peers: dict[str, str]
) -> None:
    source = f"{peers['supplier']}/products/EL-100.json"  # cost 10.00 EUR
    body = {"source_url": source, "category": "decor"}
    run = cloud.http(
        "ProductImports",
        api_event(
            "POST /admin/stores/{store}/imports", path_parameters={"store": store}, body=body, claims=claims(ALICE)
        ),
    )
    assert run.status == 202, run.body
    ref = {"store_id": store, "import_id": run.body["id"]}
    fetched = cloud.invoke("ProductImportSteps", ref | {"step": "fetch", "source_url": source, "category": "decor"})

    def priced() -> dict[str, Any]:
        answer: dict[str, Any] = cloud.invoke(
            "ProductImportSteps", ref | {"step": "price", "product": fetched["product"]}
        )
        return answer

    before = priced()  # no rules saved: the defaults
    markup = {"bands": [{"below": None, "markup_bp": 40_000}], "ending": "00", "compare_at_bp": 12_500}
    saved = research(
        cloud, "PATCH /admin/stores/{store}/research/settings", ALICE, store, {"version": 0, "markup": markup}
    )
    assert saved.status == 200, saved.body
    after = priced()
    assert after["price"] == {"amount": 4000, "currency": "EUR"} != before["price"]  # 10.00 x 4, ending .00
    assert after["compare_at_price"] == {"amount": 5000, "currency": "EUR"}  # 125 % of the price


def test_a_bulk_import_with_one_unsafe_source_writes_no_run(cloud: Cloud, store: str, peers: dict[str, str]) -> None:
    """Every source is judged before any run is written: a refused bulk leaves no import run behind (a run written
    without its workflow would stay `running` for good, and asking again would answer it unchanged)."""
    from nozzly.kernel.domain.money import Money
    from nozzly.research.adapters.research_results import ResearchResultsRepository
    from nozzly.research.domain.candidates import Candidate
    from nozzly.research.domain.results import AiStatus, ResearchResult, RunSummary, result_id_of
    from nozzly.research.domain.scoring import Score
    from tests.functional.store_helpers import keys

    def result(rank: int, url: str) -> ResearchResult:
        found = Candidate("csv", f"S-{rank}", f"Lamp {rank}", url, Money(1000, "EUR"), Money(250, "EUR"), 9)
        score = Score(5000, {}, 3199, 1949, 0)
        return ResearchResult(result_id_of("csv", f"S-{rank}"), TODAY, rank, found, score, AiStatus.SKIPPED)

    day = [result(1, f"{peers['supplier']}/products/LMP-1.json"), result(2, "http://169.254.169.254/latest/")]
    table = cloud.environments["Research"]["RESEARCH_TABLE"]
    ResearchResultsRepository(table).replace_day(store, day, RunSummary(TODAY, 2, 2, 0, (), 0))

    body = {"day": TODAY, "result_ids": [r.result_id for r in day], "category": "decor"}
    refused = research(cloud, "POST /admin/stores/{store}/research/imports", ALICE, store, body)
    assert refused.status == 400 and "metadata" in refused.body["error"]["message"], refused.body
    assert [k for k in keys(cloud, "StoresTable", store) if k.startswith("IMPORT#")] == []
    arn = cloud.environments["Research"]["BULK_IMPORT_STATE_MACHINE_ARN"]
    assert cloud.client("stepfunctions").list_executions(stateMachineArn=arn)["executions"] == []


def test_a_bulk_imports_catch_marks_a_run_whose_workflow_never_ran_failed(
    cloud: Cloud, store: str, peers: dict[str, str]
) -> None:
    """BulkImportStateMachine's Catch (the child never started, or was stopped): the run, still running, is marked
    failed with the cause, and asking again starts its next attempt; a run that ended is left as it is."""
    from tests.functional.test_product_imports import imports

    body = {"source_url": f"{peers['supplier']}/products/EL-100.json", "category": "decor"}
    started = imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=body)
    assert started.status == 202 and started.body["status"] == "running", started.body
    abandon = {"step": "abandon", "store_id": store, "import_id": started.body["id"], "error": "States.TaskFailed"}

    assert step(cloud, abandon) == {"failed": True}
    new_container()
    progress = imports(
        cloud, "GET /admin/stores/{store}/imports/{import_id}", ALICE, store, import_id=abandon["import_id"]
    )
    assert progress.body["status"] == "failed" and progress.body["steps"][0] == {"step": "fetch", "state": "failed"}
    assert progress.body["error"] == "the import workflow did not run to its end (States.TaskFailed)"
    assert step(cloud, abandon) == {"failed": False}  # ended already: nothing changes

    new_container()
    again = imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=body)
    assert again.status == 202 and again.body["status"] == "running" and again.body["id"] == started.body["id"]
