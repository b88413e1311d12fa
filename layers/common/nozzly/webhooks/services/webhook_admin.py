"""Operators manage a store's webhook endpoints (integrations.manage: admins and the owner).

Every call checks the caller first (services.tenancy), so a non-member learns nothing, not even whether an
endpoint exists. The secret is returned only by create and rotate; reads never show it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from nozzly.billing.domain.plans import Limit
from nozzly.billing.services.plan_guard import PLAN_PART, PlanGuard
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.url_safety import Resolver, check_url
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require
from nozzly.webhooks.adapters.deliveries import DeliveriesRepository
from nozzly.webhooks.adapters.endpoints import EndpointsRepository
from nozzly.webhooks.adapters.queue import DeliveryQueue
from nozzly.webhooks.domain import endpoints as ep
from nozzly.webhooks.domain.catalogue import TEST_EVENT
from nozzly.webhooks.domain.deliveries import Delivery, delivery_id, redelivery
from nozzly.webhooks.domain.payloads import body_bytes, payload

PLAN_RACES = 4


@dataclass(frozen=True)
class WebhookAdmin:
    members: MembersRepository
    endpoints: EndpointsRepository
    deliveries: DeliveriesRepository
    queue: DeliveryQueue
    resolve: Resolver
    allow_loopback_http: bool
    stores: StoresRepository  # the store's owner, whose plan limits its endpoints
    plan: PlanGuard
    clock: Callable[[], float] = field(default=time.time)

    def list_endpoints(self, store_id: str, caller: str) -> list[ep.Endpoint]:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        return self.endpoints.of_store(store_id)

    def get(self, store_id: str, caller: str, endpoint_id: str) -> ep.Endpoint:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        return self._existing(store_id, endpoint_id)

    def create(
        self, store_id: str, caller: str, url: str, event_types: list[str], description: str = ""
    ) -> ep.Endpoint:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        types = ep.check_event_types(event_types)
        check_url(url, self.resolve, allow_loopback_http=self.allow_loopback_http)
        if len(self.endpoints.of_store(store_id)) >= ep.MAX_ENDPOINTS_PER_STORE:
            raise Conflict(f"a store has at most {ep.MAX_ENDPOINTS_PER_STORE} endpoints")
        created = ep.Endpoint(
            store_id=store_id,
            endpoint_id=ep.new_endpoint_id(),
            url=url,
            event_types=types,
            secret=ep.new_secret(),
            created_at=_iso(self.clock()),
            description=description,
        )
        owner = self._owner(store_id)
        for _ in range(PLAN_RACES):
            # The endpoint and its slot on the plan in one transaction: two creates at the limit cannot both pass.
            slot = self.plan.taking(
                store_id, owner, Limit.WEBHOOK_ENDPOINTS, lambda: len(self.endpoints.of_store(store_id))
            )
            try:
                Transaction().add("endpoint", self.endpoints.created_op(created)).add(PLAN_PART, *slot).commit()
            except WriteConflict as raced:
                if PLAN_PART not in raced.failed:
                    raise
                continue  # another create or delete moved the count: judge again
            return created
        raise Conflict("the store's endpoints changed meanwhile; please try again", field="endpoint")

    def update(self, store_id: str, caller: str, endpoint_id: str, changes: Mapping[str, object]) -> ep.Endpoint:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        after = before = self._existing(store_id, endpoint_id)
        if "url" in changes:
            url = str(changes["url"])
            check_url(url, self.resolve, allow_loopback_http=self.allow_loopback_http)
            after = replace(after, url=url)
        if "event_types" in changes:
            raw = changes["event_types"]
            after = replace(after, event_types=ep.check_event_types(list(raw) if isinstance(raw, list) else []))
        if "description" in changes:
            after = replace(after, description=str(changes["description"] or ""))
        if "enabled" in changes:
            after = ep.enabled(after) if changes["enabled"] else ep.disabled(after, "disabled by an operator")
        if after != before:
            self.endpoints.put(after)
        return after

    def rotate(self, store_id: str, caller: str, endpoint_id: str) -> ep.Endpoint:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        rotated = replace(self._existing(store_id, endpoint_id), secret=ep.new_secret())
        self.endpoints.put(rotated)
        return rotated

    def delete(self, store_id: str, caller: str, endpoint_id: str) -> None:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        freed = self.plan.giving_back(store_id, Limit.WEBHOOK_ENDPOINTS)  # the deleted endpoint's slot
        try:
            Transaction().add("endpoint", self.endpoints.deleted_op(store_id, endpoint_id)).add(
                PLAN_PART, *freed
            ).commit()
        except WriteConflict as failed:
            if "endpoint" in failed.failed:
                raise NotFound("no such endpoint", field="endpoint") from None
            raise

    def _owner(self, store_id: str) -> str | None:
        store = self.stores.find(store_id)
        if store is None:
            raise NotFound(f"store {store_id!r} not found", field="store")
        return store.owner

    def deliveries_of(self, store_id: str, caller: str, endpoint_id: str) -> list[Delivery]:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        self._existing(store_id, endpoint_id)
        return self.deliveries.newest(store_id, endpoint_id)

    def redeliver(self, store_id: str, caller: str, endpoint_id: str, message_id: str) -> Delivery:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        endpoint = self._existing(store_id, endpoint_id)
        if not endpoint.enabled:
            raise InvalidInput("enable the endpoint before redelivering to it", field="endpoint")
        found = self.deliveries.get(store_id, endpoint_id, message_id)
        if found is None:
            raise NotFound("no such delivery", field="delivery")
        again = redelivery(found, self.clock())
        self.deliveries.put(again)
        self.queue.enqueue(store_id, endpoint_id, again.delivery_id)
        return again

    def send_test(self, store_id: str, caller: str, endpoint_id: str) -> Delivery:
        require(self.members, store_id, caller, Action.INTEGRATIONS_MANAGE)
        endpoint = self._existing(store_id, endpoint_id)
        now = self.clock()
        event_id = f"test_{int(now * 1000)}"
        document = payload(TEST_EVENT, event_id, _iso(now), {"store_id": store_id, "test": True})
        test = Delivery(
            store_id=store_id,
            endpoint_id=endpoint.endpoint_id,
            delivery_id=delivery_id(event_id, endpoint.endpoint_id),
            event_type=TEST_EVENT,
            body=body_bytes(document).decode(),
            created_at=now,
            next_attempt_at=now,
        )
        self.deliveries.create(test)
        self.queue.enqueue(store_id, endpoint.endpoint_id, test.delivery_id)
        return test

    def _existing(self, store_id: str, endpoint_id: str) -> ep.Endpoint:
        found = self.endpoints.get(store_id, endpoint_id)
        if found is None:
            raise NotFound("no such endpoint", field="endpoint")
        return found


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
