"""Section 7: the emulator's own cost for the DynamoDB calls the local cloud changes, against moto's own code.

A TransactWriteItems as its table grows (the journal of localcloud/dynamodb_transactions.py against moto's
whole-table backup), and a Query page of 24 product-like items (localcloud/dynamodb_responses.py against moto's
generic serialiser). In-process moto, no local cloud: the figures are the emulator's work alone, except the GetItem
over loopback HTTP (localcloud/keepalive_wsgi.py against werkzeug's closing server), whose CPU is the boto3 client's
and the server's together, as both sides pay for a new connection."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from localcloud import dynamodb_responses, dynamodb_transactions
from tests.bench.report import heading, med, ms, table

SIZES = (100, 4000)


def _cost(items: int, journaled: bool, repeat: int = 15) -> float:
    import boto3
    from moto import mock_aws

    undo = dynamodb_transactions.install() if journaled else None
    try:
        with mock_aws():
            ddb: Any = boto3.client("dynamodb", region_name="eu-west-1")
            ddb.create_table(
                TableName="t",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
            for n in range(items):
                ddb.put_item(TableName="t", Item={"pk": {"S": f"item-{n}"}, "stock": {"N": "1000000"}})
            timings = []
            for _ in range(repeat):
                began = time.perf_counter()
                ddb.transact_write_items(
                    TransactItems=[
                        {
                            "Update": {
                                "TableName": "t",
                                "Key": {"pk": {"S": f"item-{n}"}},
                                "UpdateExpression": "SET stock = stock - :one",
                                "ConditionExpression": "stock >= :one",
                                "ExpressionAttributeValues": {":one": {"N": "1"}},
                            }
                        }
                        for n in range(3)
                    ]
                )
                timings.append((time.perf_counter() - began) * 1000)
            return med(timings)
    finally:
        if undo:
            undo()


def _product(n: int) -> dict[str, Any]:
    variants = [{"M": {"sku": {"S": f"S{n}-{j}"}, "stock": {"N": "5"}, "size": {"S": "M"}}} for j in range(3)]
    return {
        "pk": {"S": "store"},
        "sk": {"S": f"product#{n:04}"},
        "title": {"S": "Ember Longsword of the Northern Forge"},
        "price": {"N": "24900"},
        "variants": {"L": variants},
        "images": {"L": [{"M": {"key": {"S": f"images/{n}.jpg"}, "alt": {"S": "A sword"}}}]},
    }


def _query_cost(shortcut: bool, repeat: int = 15) -> float:
    import boto3
    from moto import mock_aws

    undo = dynamodb_responses.install() if shortcut else None
    try:
        with mock_aws():
            ddb: Any = boto3.client("dynamodb", region_name="eu-west-1")
            ddb.create_table(
                TableName="q",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                AttributeDefinitions=[
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "S"},
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            for n in range(60):
                ddb.put_item(TableName="q", Item=_product(n))
            timings = []
            for _ in range(repeat):
                began = time.perf_counter()
                ddb.query(
                    TableName="q",
                    KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "store"}},
                    Limit=24,
                )
                timings.append((time.perf_counter() - began) * 1000)
            return med(timings)
    finally:
        if undo:
            undo()


def _http_cost(kept: bool, calls: int = 300) -> float:
    """CPU per GetItem over loopback HTTP, client and emulator together (one process): the emulator's handler with
    connections kept, against werkzeug's, which closes each one."""
    import threading

    import boto3
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    from localcloud.emulator import quiet_request_handler
    from localcloud.keepalive_wsgi import keep_alive

    handler = quiet_request_handler()
    server = make_server(
        "127.0.0.1",
        0,
        DomainDispatcherApplication(create_backend_app),
        threaded=True,
        request_handler=keep_alive(handler) if kept else handler,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ddb: Any = boto3.client(
            "dynamodb", endpoint_url=f"http://127.0.0.1:{server.server_port}", region_name="eu-west-1"
        )
        table = f"h{int(kept)}{time.monotonic_ns()}"
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.put_item(TableName=table, Item=_product(1) | {"pk": {"S": "cart"}})
        for _ in range(30):
            ddb.get_item(TableName=table, Key={"pk": {"S": "cart"}})
        began = time.process_time()
        for _ in range(calls):
            ddb.get_item(TableName=table, Key={"pk": {"S": "cart"}})
        return (time.process_time() - began) * 1000 / calls
    finally:
        server.shutdown()
        server.server_close()


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    progress("DynamoDB transaction cost by table size")
    for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}.items():
        os.environ.setdefault(name, value)
    rows = [
        [f"transaction, 3 updates, {size:,} items", ms(_cost(size, True)), ms(_cost(size, False))] for size in SIZES
    ]
    progress("DynamoDB query page cost")
    rows.append(["query page of 24 products", ms(_query_cost(True)), ms(_query_cost(False))])
    progress("AWS calls over HTTP: connections kept or closed")
    rows.append(["GetItem over HTTP, CPU per call (mean of 300)", ms(_http_cost(True)), ms(_http_cost(False))])
    section = [
        heading("7. Emulator DynamoDB calls (ms, median)"),
        *table(["call", "local cloud", "moto's own"], rows),
    ]
    summary = [f"emulator {r[0]}: {r[1]} ms (moto's own: {r[2]} ms)" for r in rows]
    return section, summary
