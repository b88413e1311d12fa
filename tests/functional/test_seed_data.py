"""The demo store MystmereForge: a valid CatalogImport input that shows every storefront case.

The workflow itself runs in the local-cloud e2e tests; here the data is checked against the import
contracts, and the seeder's decisions against stub clients.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from localcloud.intrinsics import Resolver
from localcloud.seed import image_keys, load_demo, seed_demo
from nozzly.catalog.contracts.catalog_import import CategoryImport, ProductImport, StoreImport
from nozzly.catalog.domain.catalog import StockStatus, stock_status

pytestmark = pytest.mark.functional


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return load_demo()


@pytest.fixture(scope="module")
def products(demo: dict[str, Any]) -> list[ProductImport]:
    return [ProductImport.model_validate(p) for p in demo["products"]]


def test_store_and_categories_match_the_contracts(demo: dict[str, Any]) -> None:
    assert set(demo) == {"store", "categories", "products"}
    store = StoreImport.model_validate(demo["store"])
    assert (store.id, store.name, store.currency) == ("mystmereforge", "MystmereForge", "EUR")
    categories = [CategoryImport.model_validate(c) for c in demo["categories"]]
    assert 4 <= len(categories) <= 5
    assert len({c.slug for c in categories}) == len(categories)
    assert len({c.position for c in categories}) == len(categories)
    assert all(c.description for c in categories)


def test_products_match_the_contracts_and_the_store(demo: dict[str, Any], products: list[ProductImport]) -> None:
    categories = {c["slug"] for c in demo["categories"]}
    assert len(products) >= 14
    assert {p.category for p in products} == categories  # every category has products, none is unknown
    assert all(p.price.currency == demo["store"]["currency"] for p in products)
    assert all(p.compare_at_price is None or p.compare_at_price.amount > p.price.amount for p in products)
    assert any(p.compare_at_price is not None for p in products)
    assert all(1 <= len(p.images) <= 2 and p.description and p.tags for p in products)


def test_prices_are_integer_cents_in_the_raw_json(demo: dict[str, Any]) -> None:
    for product in demo["products"]:
        prices = [product["price"], product.get("compare_at_price")] + [v.get("price") for v in product["variants"]]
        assert all(type(p["amount"]) is int for p in prices if p is not None), product["slug"]


def test_slugs_and_skus_are_unique(products: list[ProductImport]) -> None:
    slugs = Counter(p.slug for p in products)
    assert [s for s, n in slugs.items() if n > 1] == []
    skus = Counter(v.sku for p in products for v in p.variants)
    assert [s for s, n in skus.items() if n > 1] == []
    for p in products:
        assert len({v.id for v in p.variants}) == len(p.variants), p.slug


def test_the_flagship_sword_is_a_blade(products: list[ProductImport]) -> None:
    ember = next(p for p in products if p.slug == "ember-longsword")
    assert ember.category == "blades"
    assert ember.status == "published"


def test_images_are_staged_pngs_of_the_store(demo: dict[str, Any]) -> None:
    keys = image_keys(demo)
    assert len(keys) == sum(len(p["images"]) for p in demo["products"])  # no image shared by two products
    assert all(k.startswith("imports/mystmereforge/") and k.endswith(".png") for k in keys)


def test_shows_every_storefront_case(products: list[ProductImport]) -> None:
    published = [p for p in products if p.status == "published"]
    assert len(published) >= 12
    assert any(p.status == "draft" for p in products)
    statuses = [stock_status(v.stock_on_hand, v.low_stock_threshold) for p in published for v in p.variants]
    assert StockStatus.OUT_OF_STOCK in statuses
    assert StockStatus.LOW_STOCK in statuses
    assert sum(len(p.variants) > 1 for p in published) >= 2
    assert any(v.price is not None for p in published for v in p.variants)  # a variant with its own price
    single = [p for p in published if len(p.variants) == 1]
    assert all(p.variants[0].id == "default" and p.variants[0].sku.startswith("MF-") for p in single)
    # whole products out of stock and low on stock, as the storefront lists them
    product_levels = {stock_status(p.variants[0].stock_on_hand, p.variants[0].low_stock_threshold) for p in single}
    assert {StockStatus.OUT_OF_STOCK, StockStatus.LOW_STOCK} <= product_levels


# ---- the seeder, against stub clients (no emulator, no state machine run)

RESOLVER = Resolver(
    {
        "Resources": {
            "StoresTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
            "CatalogTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
            "ImagesBucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
            "CatalogImportStateMachine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {}},
        }
    }
)


API = "http://127.0.0.1:1"  # never reached: the owner's sign-up is replaced below
OWNERS_MADE: list[str] = []


@pytest.fixture(autouse=True)
def _no_owner_signup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo owner signs up over HTTP (the e2e tests run it); here only whether it is asked for counts."""
    OWNERS_MADE.clear()
    monkeypatch.setattr("localcloud.seed.ensure_demo_owner", OWNERS_MADE.append)
    monkeypatch.setattr("localcloud.seed.ensure_demo_payouts", lambda api, store: f"acct_{store}")


class Stub:
    """One stub per service: records calls, answers from `answers` (a value or a list consumed in order)."""

    def __init__(self, calls: list[tuple[str, dict[str, Any]]], answers: dict[str, Any]) -> None:
        self.calls, self.answers = calls, answers

    def __getattr__(self, operation: str) -> Any:
        def call(**kwargs: Any) -> Any:
            self.calls.append((operation, kwargs))
            answer = self.answers.get(operation, {})
            if isinstance(answer, Exception):
                raise answer
            return answer.pop(0) if isinstance(answer, list) else answer

        return call


def stub_clients(answers: dict[str, Any]) -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    stubs: dict[str, Stub] = {}

    def client(service: str) -> Stub:
        return stubs.setdefault(service, Stub(calls, answers))

    return client, calls


def test_a_fully_seeded_store_is_left_alone(demo: dict[str, Any]) -> None:
    present = [{"sk": {"S": f"PRODUCT#{p['slug']}"}} for p in demo["products"]]
    client, calls = stub_clients({"batch_get_item": {"Responses": {"nozzly-CatalogTable": present}}})
    assert seed_demo(client, RESOLVER, API) == "already seeded"
    assert OWNERS_MADE == []
    assert [op for op, _ in calls] == ["batch_get_item"]
    keys = calls[0][1]["RequestItems"]["nozzly-CatalogTable"]["Keys"]
    assert {k["sk"]["S"] for k in keys} == {f"PRODUCT#{p['slug']}" for p in demo["products"]}


def test_a_half_seeded_store_is_imported_again(demo: dict[str, Any]) -> None:
    present = [{"sk": {"S": f"PRODUCT#{demo['products'][0]['slug']}"}}]
    client, calls = stub_clients(
        {
            "batch_get_item": {"Responses": {"nozzly-CatalogTable": present}},
            "start_execution": {"executionArn": "arn:exec"},
            "describe_execution": {"status": "SUCCEEDED", "output": "{}"},
        }
    )
    seed_demo(client, RESOLVER, API)
    assert "start_execution" in [op for op, _ in calls]


def test_seeding_stages_images_and_runs_the_import(demo: dict[str, Any]) -> None:
    output = json.dumps({"store_id": "mystmereforge", "products": [{"slug": p["slug"]} for p in demo["products"]]})
    client, calls = stub_clients(
        {
            "start_execution": {"executionArn": "arn:exec"},
            "describe_execution": [{"status": "RUNNING"}, {"status": "SUCCEEDED", "output": output}],
        }
    )
    seeded = f"seeded {len(demo['products'])} products; card payments paid out to acct_mystmereforge"
    assert seed_demo(client, RESOLVER, API) == seeded
    assert OWNERS_MADE == [API]  # the owner exists before the import names it
    uploads = [kwargs for op, kwargs in calls if op == "put_object"]
    assert [u["Key"] for u in uploads] == image_keys(demo)
    assert all(u["Bucket"] == RESOLVER.names["ImagesBucket"] and u["ContentType"] == "image/png" for u in uploads)
    assert all(u["Body"].startswith(b"\x89PNG") for u in uploads)
    (start,) = [kwargs for op, kwargs in calls if op == "start_execution"]
    assert start["stateMachineArn"].endswith(":stateMachine:nozzly-CatalogImportStateMachine")
    assert start["name"].startswith("seed-mystmereforge-") and start["name"] != "None"
    assert json.loads(start["input"]) == demo


def test_every_run_names_its_execution_uniquely() -> None:
    names = []
    for _ in range(2):
        client, calls = stub_clients(
            {
                "start_execution": {"executionArn": "arn:exec"},
                "describe_execution": {"status": "SUCCEEDED", "output": "{}"},
            }
        )
        seed_demo(client, RESOLVER, API)
        names += [kwargs["name"] for op, kwargs in calls if op == "start_execution"]
    assert len(set(names)) == 2


def test_a_failed_import_raises_with_its_cause() -> None:
    history = {
        "events": [
            {
                "type": "ExecutionFailed",
                "executionFailedEventDetails": {"error": "CatalogImportFailed", "cause": "step"},
            },
            {"type": "TaskFailed", "taskFailedEventDetails": {"error": "InvalidInput", "cause": "bad image type"}},
            {"type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "ImportProduct"}},
        ]
    }
    client, _ = stub_clients(
        {
            "start_execution": {"executionArn": "arn:exec"},
            "describe_execution": {"status": "FAILED", "error": "CatalogImportFailed", "cause": "A step failed"},
            "get_execution_history": history,
        }
    )
    with pytest.raises(RuntimeError, match="FAILED") as failure:
        seed_demo(client, RESOLVER, API)
    assert "CatalogImportFailed" in str(failure.value)
    assert "TaskFailed: InvalidInput: bad image type" in str(failure.value)
    assert "TaskStateEntered" not in str(failure.value)


def test_a_failed_import_without_history_still_raises() -> None:
    client, _ = stub_clients(
        {
            "start_execution": {"executionArn": "arn:exec"},
            "describe_execution": {"status": "TIMED_OUT"},
            "get_execution_history": RuntimeError("history not implemented"),
        }
    )
    with pytest.raises(RuntimeError, match="TIMED_OUT"):
        seed_demo(client, RESOLVER, API)


def test_a_stuck_execution_times_out() -> None:
    client, _ = stub_clients(
        {
            "start_execution": {"executionArn": "arn:exec"},
            "describe_execution": {"status": "RUNNING"},
        }
    )
    with pytest.raises(RuntimeError, match="still RUNNING"):
        seed_demo(client, RESOLVER, API, timeout=0.3)
