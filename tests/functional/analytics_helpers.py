"""Analytics fixtures shared by the dashboard tests and `make bench`: many orders seeded fast, straight through
the adapters, and the dashboard read with its DynamoDB calls counted.

Imported as `tests.functional.analytics_helpers`.
"""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import UTC, datetime
from typing import Any

from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud
from tests.functional.store_helpers import claims


def seed_orders(cloud: Cloud, count: int, first_number: int = 2000) -> None:
    """`count` orders straight into the orders table (waiting, most of them overdue) and 60 days of counters."""
    from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
    from nozzly.orders.adapters.orders import OrdersRepository
    from tests.unit.test_sales_aggregates import placed

    dynamodb = cloud.client("dynamodb")
    orders = OrdersRepository(cloud.names["OrdersTable"])
    aggregates = SalesAggregates(cloud.names["AnalyticsTable"], dynamodb)
    now = int(time.time())
    puts = []
    for n in range(count):
        order = placed(
            first_number + n,
            now - (n % 60) * 86400 - 7200,
            f"s{n}@example.com",
            [("ember-longsword", "standard", 1, 12900)],
            n % 2 == 0,
        )
        order = dataclasses.replace(order, store_id=STORE)
        puts.append({"PutRequest": {"Item": orders.put_op(order)["Put"]["Item"]}})
    for start in range(0, len(puts), 25):
        dynamodb.batch_write_item(RequestItems={cloud.names["OrdersTable"]: puts[start : start + 25]})
    for day in range(60):
        date = datetime.fromtimestamp(now - day * 86400, UTC).date().isoformat()
        per_day = -(-count // 60)  # ceiling: every day sold something
        cells = {
            (date, "orders"): per_day,
            (date, "gross"): 12900 * per_day,
            (date, "u.ember-longsword/standard"): per_day,
        }
        aggregates.apply(
            STORE,
            f"seed-{first_number}-{day}",
            version=0,
            cells=cells,
            delta=cells,
            previous=None,
            new_customer=False,
            claim_email=None,
        )


def dashboard_calls(cloud: Cloud, owner: str) -> tuple[int, dict[str, Any], float]:
    """(DynamoDB calls, the body, seconds) of one dashboard read by the store's `owner`."""
    from nozzly.kernel.adapters import aws

    calls: list[str] = []
    cloud.apply_environment(cloud.environments["Dashboard"])
    hook = aws.client("dynamodb").meta.events

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    event = api_event("GET /admin/stores/{store}/dashboard", path_parameters={"store": STORE}, claims=claims(owner))
    hook.register("before-call.dynamodb", count)
    began = time.perf_counter()
    try:
        found = cloud.invoke("Dashboard", event)
    finally:
        elapsed = time.perf_counter() - began
        hook.unregister("before-call.dynamodb", count)
    assert found["statusCode"] == 200, found
    return len(calls), json.loads(found["body"]), elapsed
