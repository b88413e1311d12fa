"""What the functional tests drive the handlers with: the events/ files, a Lambda context, the seed catalog.

Imported as `tests.functional.harness` (the repository root is on pytest's pythonpath and mypy's path).
"""

from __future__ import annotations

import asyncio
import base64
import copy
import importlib
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from localcloud.template import ACCOUNT_ID, REGION, FunctionSpec

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
STORE = "mystmereforge"
# A 1x1 transparent PNG: the bytes the import staging area holds for every seeded image.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP438DwHwAGgAJ/EEwb4QAAAABJRU5ErkJggg=="
)


def load_event(name: str) -> dict[str, Any]:
    """A fresh copy of an events/ file, as `sam local invoke -e events/<name>` would send it."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def http_event(
    name: str,
    *,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An HTTP API v2 event from events/, with other path parameters and/or another query string.

    The raw path is rebuilt from the route key, as API Gateway does when it matches a route.
    """
    event = load_event(name)
    if path_parameters is not None:
        params = event.get("pathParameters", {}) | path_parameters
        event["pathParameters"] = params
        path = event["routeKey"].split(" ", 1)[1].format(**params)
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
    if query is not None:
        event["rawQueryString"] = urlencode(query)
        event.pop("queryStringParameters", None)
        if query:
            event["queryStringParameters"] = dict(query)
    return event


@dataclass(frozen=True, slots=True)
class LambdaContext:
    """The attributes of the Lambda context object that Powertools reads."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "2026/11/22/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Cloud:
    """The template's resources in moto, and each function run the way Lambda would run it."""

    names: dict[str, str]  # logical id -> physical name
    specs: dict[str, FunctionSpec]
    environments: dict[str, dict[str, str]]  # logical id -> resolved Environment.Variables
    apply_environment: Callable[[dict[str, str]], None]
    client: Callable[[str], Any]

    def handler(self, function: str) -> Callable[[dict[str, Any], Any], Any]:
        spec = self.specs[function]
        module_name, attribute = spec.handler.rsplit(".", 1)
        module = importlib.import_module(".".join([*spec.code_dir.relative_to(ROOT).parts, module_name]))
        entry: Callable[[dict[str, Any], Any], Any] = getattr(module, attribute)
        return entry

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        """Run the function's handler with its template environment and a Lambda context."""
        self.apply_environment(self.environments[function])
        spec = self.specs[function]
        name = self.names[function]
        context = LambdaContext(
            function_name=name,
            memory_limit_in_mb=spec.memory,
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}",
            log_group_name=f"/aws/lambda/{name}",
        )
        # A round trip through JSON, as the Lambda service serialises payload and result.
        result = self.handler(function)(json.loads(json.dumps(event)), context)
        return json.loads(json.dumps(result))

    def http(self, function: str, event: dict[str, Any]) -> HttpResponse:
        response = self.invoke(function, event)
        body = response.get("body")
        parsed = json.loads(body) if body else None
        return HttpResponse(response["statusCode"], dict(response.get("headers", {})), parsed)

    @property
    def catalog_table(self) -> str:
        return self.names["CatalogTable"]

    @property
    def stores_table(self) -> str:
        return self.names["StoresTable"]

    @property
    def bucket(self) -> str:
        return self.names["ImagesBucket"]

    def item(self, table: str, pk: str, sk: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = (
            self.client("dynamodb")
            .get_item(TableName=self.names[table], Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True)
            .get("Item")
        )
        return found

    def all_items(self, table: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.client("dynamodb").scan(TableName=self.names[table])["Items"]
        return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))

    def object_keys(self, prefix: str = "") -> list[str]:
        listed = self.client("s3").list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(o["Key"] for o in listed.get("Contents", []))

    def stage_image(self, key: str) -> None:
        self.client("s3").put_object(Bucket=self.bucket, Key=key, Body=TINY_PNG, ContentType="image/png")


def product_payload(
    slug: str,
    category: str,
    stock: int,
    *,
    amount: int = 4900,
    status: str = "published",
    images: int = 1,
    store: str = STORE,
) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "description": f"The {slug.replace('-', ' ')}.",
        "category": category,
        "price": {"amount": amount, "currency": "EUR"},
        "status": status,
        "tags": [category],
        "images": [{"source_key": f"imports/{store}/{slug}-{n}.png", "alt": slug} for n in range(images)],
        "variants": [{"id": "default", "sku": f"MF-{slug.upper()}", "stock_on_hand": stock}],
    }


# The seeded catalog besides ember-longsword (events/catalog_import_product_step.json): blades has
# three published products, shields one published and one draft, daggers one, accessories none.
MORE_PRODUCTS = [
    product_payload("frost-sabre", "blades", 2, amount=8900),
    product_payload("moonlit-rapier", "blades", 0, amount=9900, images=0),
    product_payload("oaken-buckler", "shields", 30, amount=5900),
    product_payload("tower-shield", "shields", 5, amount=19900, status="draft"),
    product_payload("rusted-cutlass", "blades", 4, amount=1900, status="archived"),
    product_payload("shadow-dagger", "daggers", 7, amount=3900),
]
PUBLISHED = ["ember-longsword", "frost-sabre", "moonlit-rapier", "oaken-buckler", "shadow-dagger"]
UNPUBLISHED = ["rusted-cutlass", "tower-shield"]
PUBLISHED_BY_CATEGORY = {
    "blades": ["ember-longsword", "frost-sabre", "moonlit-rapier"],
    "shields": ["oaken-buckler"],
    "daggers": ["shadow-dagger"],
    "accessories": [],
}


def store_step(store: str = STORE) -> dict[str, Any]:
    event = load_event("catalog_import_store_step.json")
    event["store"]["id"] = store
    return event


def product_step(product: dict[str, Any], store: str = STORE) -> dict[str, Any]:
    """As the workflow sends it: with the currency and categories the store step returned."""
    categories = [c["slug"] for c in load_event("catalog_import_store_step.json")["categories"]]
    return {"step": "product", "store_id": store, "currency": "EUR", "categories": categories, "product": product}


def seed_store(cloud: Cloud, store: str = STORE) -> list[str]:
    """Import the seed catalog through the CatalogImport handler, as the import workflow does."""
    ember = load_event("catalog_import_product_step.json")["product"]
    products = [ember, *copy.deepcopy(MORE_PRODUCTS)]
    for product in products:
        for image in product["images"]:
            image["source_key"] = image["source_key"].replace(f"/{STORE}/", f"/{store}/")
            cloud.stage_image(image["source_key"])
    cloud.invoke("CatalogImport", store_step(store))
    ready_payouts(cloud, store)  # card checkouts need a ready connected account (cash on delivery does not)
    return [cloud.invoke("CatalogImport", product_step(p, store))["slug"] for p in products]


READY_ACCOUNT = "acct_ready_functional"


def ready_payouts(cloud: Cloud, store: str = STORE, account_id: str = READY_ACCOUNT) -> None:
    """The store's Stripe connected account as onboarding leaves it once Stripe enabled charges and payouts.
    The functional harness reaches no Stripe, so it is stored as the payouts service stores what Stripe says."""
    from nozzly.payments.adapters.payout_accounts import PayoutAccountsRepository
    from nozzly.payments.domain.payments import Provider
    from nozzly.payments.domain.payouts import ConnectedAccount

    ready = ConnectedAccount(Provider.STRIPE, account_id, True, True, True, updated_at=1)
    PayoutAccountsRepository(cloud.names["StoresTable"], cloud.client("dynamodb")).create(store, ready)


def concurrently(calls: list[Callable[[], HttpResponse]]) -> list[HttpResponse]:
    """Each call on its own thread, all released at once; their responses in order."""
    results: list[HttpResponse | None] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i: int) -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # Mangum runs the app on the thread's loop
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]
