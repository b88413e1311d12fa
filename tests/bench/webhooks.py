"""Bench section 6: 100 webhook deliveries to a receiver on loopback (throughput).

In process, against moto with every template resource (as the functional tests run): the dispatcher and the
sender handlers, their DynamoDB writes, the SQS messages and the signed POSTs are the real ones; the sender is
fed batches of 5 (the template's BatchSize) one after the other, as one Lambda poller would. The figures are
moto's and this machine's, not Lambda's (which runs up to several batches concurrently).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from tests.bench.report import heading, ms, table

EVENTS = 100
BATCH = 5
OWNER = "bench-owner-0000-4000-8000-000000000001"


def _queued(cloud: Any, url: str) -> list[dict[str, Any]]:
    batch = cloud.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=BATCH).get("Messages", [])
    for m in batch:
        cloud.client("sqs").delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return [{"messageId": m["MessageId"], "body": m["Body"], "eventSource": "aws:sqs"} for m in batch]


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    from tests.bench.dashboard import _cloud
    from tests.functional.auth_helpers import api_event
    from tests.functional.harness import STORE, seed_store
    from tests.functional.store_helpers import claims
    from tests.webhook_receiver import receiver

    with _cloud() as cloud, receiver() as rx:
        seed_store(cloud)
        member = {"pk": STORE, "sk": f"MEMBER#{OWNER}", "type": "member", "sub": OWNER, "role": "owner"}
        cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in member.items()})
        body = {"url": rx.url, "event_types": ["order.placed"]}
        event = api_event(
            "POST /admin/stores/{store}/webhooks", path_parameters={"store": STORE}, body=body, claims=claims(OWNER)
        )
        created = cloud.http("WebhooksAdmin", event)
        assert created.status == 201, created.body
        url = cloud.environments["WebhookSender"]["WEBHOOK_QUEUE_URL"]
        progress(f"webhooks: dispatching {EVENTS} events")
        began = time.perf_counter()
        for n in range(EVENTS):
            detail = {"store_id": STORE, "order_id": f"bench-{n}", "total": 1000 + n, "currency": "EUR"}
            cloud.invoke(
                "WebhookDispatcher",
                {
                    "id": f"bench-evt-{n}",
                    "detail-type": "OrderPlaced",
                    "source": "nozzly.checkout",
                    "time": "2026-12-04T10:00:00Z",
                    "detail": detail,
                },
            )
        dispatched = time.perf_counter() - began
        progress("webhooks: sending")
        sent_from = time.perf_counter()
        deadline = sent_from + 120
        while len(rx.succeeded()) < EVENTS and time.perf_counter() < deadline:
            records = _queued(cloud, url)
            if records:
                cloud.invoke("WebhookSender", {"Records": records})
        sending = time.perf_counter() - sent_from
        delivered = len({json.loads(r.body)["id"] for r in rx.succeeded()})
    total = dispatched + sending
    rate = delivered / sending if sending else 0.0
    rows = [
        [
            f"{delivered}/{EVENTS}",
            f"{dispatched:.2f} s",
            f"{sending:.2f} s",
            f"{rate:.0f}/s",
            ms(dispatched / EVENTS * 1000),
            ms(sending / max(delivered, 1) * 1000),
        ]
    ]
    header = ["delivered", "dispatch", "send", "send throughput", "dispatch ms/event", "send ms/delivery"]
    section = [heading("6. Webhooks (in process, moto, loopback receiver)"), *table(header, rows)]
    summary = [
        f"webhooks: {delivered}/{EVENTS} delivered once each, dispatch {dispatched:.2f} s, send {sending:.2f} s "
        f"({rate:.0f} deliveries/s, batches of {BATCH}), {total:.2f} s end to end"
    ]
    return section, summary
