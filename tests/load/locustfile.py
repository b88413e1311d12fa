"""The storefront journey under load (Locust): browse, search, fill a cart, check out, watch it be placed.

Run it through `make load` (tests/load/run.py), which starts a local cloud of its own on 127.0.0.1, opens a
store with plentiful stock and hands over guest sessions. Against a deployed stack, give the stack's URL and a
store of yours: `make load HOST=https://... STORE=... PRODUCT=...`. Settings come from the environment:
LOAD_PROFILE (journey, spike, soak, smoke: tests/load/shapes.py), LOAD_STORE, LOAD_PRODUCT, LOAD_SEARCH,
LOAD_SESSIONS (a file of guest session ids, one per line; without it each shopper asks POST /sessions, which
a stack throttles per IP). The run fails (exit code 1) when a threshold in tests/load/thresholds.py is missed.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, LoadTestShape, SequentialTaskSet, between, events, task
from locust.env import Environment

from tests.load.shapes import stage_at
from tests.load.thresholds import Figures, breaches

PROFILE = os.environ.get("LOAD_PROFILE", "journey")
STORE = os.environ.get("LOAD_STORE", "bench-carts")
PRODUCT = os.environ.get("LOAD_PRODUCT", "bench-lantern")
SEARCH = os.environ.get("LOAD_SEARCH", "lantern")
PLACED_WITHIN_S = 30.0  # a checkout not placed by then counts as a failure
ADDRESS = {"name": "Load Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}

_pool_lock = threading.Lock()
_pool: list[str] = Path(os.environ["LOAD_SESSIONS"]).read_text().split() if os.environ.get("LOAD_SESSIONS") else []


def _pooled_session() -> str | None:
    with _pool_lock:
        return _pool.pop() if _pool else None


class Journey(SequentialTaskSet):
    """One visit, in order: the product list, a product, a search, then the cart and the checkout."""

    def on_start(self) -> None:
        self.session = _pooled_session() or self._new_session()

    def _new_session(self) -> str:
        with self.client.post(f"/stores/{STORE}/sessions", name="session: start", catch_response=True) as answer:
            if answer.status_code != 201:
                answer.failure(f"no guest session: {answer.status_code}")
                return ""
            session: str = answer.json()["session_id"]
            return session

    @task
    def browse(self) -> None:
        self.client.get(f"/stores/{STORE}/products?limit=24", name="catalog: product list")

    @task
    def product(self) -> None:
        self.client.get(f"/stores/{STORE}/products/{PRODUCT}", name="catalog: product page")

    @task
    def search(self) -> None:
        self.client.get(f"/stores/{STORE}/search?q={SEARCH}", name="catalog: search")

    @task
    def buy(self) -> None:
        if not self.session:
            return
        cart = f"/stores/{STORE}/carts/{self.session}"
        steps: list[tuple[str, str, str, Any]] = [
            ("cart: add item", "POST", f"{cart}/items", {"product": PRODUCT, "quantity": 1}),
            ("cart: update quantity", "PATCH", f"{cart}/items/{PRODUCT}:default", {"quantity": 2}),
            ("cart: get", "GET", cart, None),
        ]
        for name, method, path, body in steps:
            if self.client.request(method, path, json=body, name=name).status_code != 200:
                return
        order = {
            "session_id": self.session,
            "email": "load@example.com",
            "shipping_address": ADDRESS,
            "shipping_method": "standard",
            "payment_method": "cash_on_delivery",
        }
        headers = {"idempotency-key": f"load-{uuid.uuid4().hex}"}
        started = self.client.post(f"/stores/{STORE}/checkout", json=order, headers=headers, name="checkout: start")
        if started.status_code != 202:
            return
        self._until_placed(started.json()["id"])

    def _until_placed(self, checkout: str) -> None:
        deadline = time.monotonic() + PLACED_WITHIN_S
        path = f"/stores/{STORE}/checkouts/{checkout}"
        while time.monotonic() < deadline:
            with self.client.get(path, name="checkout: poll", catch_response=True) as answer:
                state = answer.json().get("status") if answer.status_code == 200 else None
                if state == "failed":
                    answer.failure(f"checkout failed: {answer.json().get('reason')}")
                    return
                if state == "placed":
                    return
            time.sleep(0.5)
        events.request.fire(  # type: ignore[no-untyped-call]
            request_type="GET",
            name="checkout: poll",
            response_time=PLACED_WITHIN_S * 1000,
            response_length=0,
            exception=TimeoutError(f"not placed within {PLACED_WITHIN_S:.0f} s"),
            context={},
        )


class Shopper(HttpUser):
    wait_time = between(0.5, 2.0)  # a shopper's pause between pages
    tasks = [Journey]


class Profile(LoadTestShape):
    """The user count the profile asks for at each moment; None ends the run by itself."""

    def tick(self) -> tuple[int, float] | None:
        return stage_at(PROFILE, self.get_run_time())  # type: ignore[no-untyped-call]


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _judge(environment: Environment, **_: Any) -> None:
    stats = environment.stats
    total = stats.total
    figures = [
        Figures(
            e.name,
            e.num_requests,
            e.num_failures,
            e.get_response_time_percentile(0.95),
            e.get_response_time_percentile(0.99),
        )
        for e in stats.entries.values()
    ]
    missed = breaches(
        Figures(
            "all",
            total.num_requests,
            total.num_failures,
            total.get_response_time_percentile(0.95),
            total.get_response_time_percentile(0.99),
        ),
        figures,
    )
    for line in missed:
        print(f"THRESHOLD MISSED: {line}")
    print("THRESHOLDS: " + ("missed" if missed else "all met"))
    environment.process_exit_code = 1 if missed else 0
