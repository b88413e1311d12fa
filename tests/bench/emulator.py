"""Section 7: the emulator's own cost for the DynamoDB calls the local cloud changes, against moto's own code.

A TransactWriteItems as its table grows (the journal of localcloud/dynamodb_transactions.py against moto's
whole-table backup), and a Query page of 24 product-like items (localcloud/dynamodb_responses.py against moto's
generic serialiser). In-process moto, no local cloud: the figures are the emulator's work alone, except the GetItem
over loopback HTTP (localcloud/keepalive_wsgi.py against werkzeug's server, which closes every connection): CPU per
call of the server and of the boto3 client apart (mean of 400 calls, median of 3 runs), as both pay for a connection."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from localcloud import dynamodb_responses, dynamodb_transactions, moto_dispatch
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


def _http_cost(kept: bool, calls: int = 400) -> tuple[float, float]:
    """CPU per GetItem over loopback HTTP, (server, client) in ms: the emulator's handler with connections kept,
    or werkzeug's, which closes each one. One process: the client is this thread, the server every other one."""
    import logging
    import threading

    import boto3
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    from localcloud.emulator import quiet_request_handler
    from localcloud.keepalive_wsgi import keep_alive

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # as in the emulator: no access line per call
    undo = moto_dispatch.install()  # as in the emulator: its backend lookup would be most of a GetItem's cost
    handler = quiet_request_handler()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=keep_alive(handler) if kept else handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        ddb: Any = boto3.client("dynamodb", endpoint_url=url, region_name="eu-west-1")
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
        process, client = time.process_time(), time.thread_time()
        for _ in range(calls):
            ddb.get_item(TableName=table, Key={"pk": {"S": "cart"}})
        client = time.thread_time() - client
        process = time.process_time() - process
        return (process - client) * 1000 / calls, client * 1000 / calls
    finally:
        server.shutdown()
        server.server_close()
        if undo:
            undo()


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
    kept = [_http_cost(True) for _ in range(3)]
    closed = [_http_cost(False) for _ in range(3)]
    for side, index in (("emulator", 0), ("client", 1)):
        row = [f"GetItem over HTTP: {side} CPU per call", ms(med([k[index] for k in kept]))]
        rows.append([*row, ms(med([c[index] for c in closed]))])
    section = [
        heading("7. Emulator DynamoDB calls (ms, median)"),
        *table(["call", "local cloud", "moto's own"], rows),
    ]
    summary = [f"emulator {r[0]}: {r[1]} ms (moto's own: {r[2]} ms)" for r in rows]
    return section, summary
