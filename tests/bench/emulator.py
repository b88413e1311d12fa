"""Section 7: the emulator's own cost for the DynamoDB calls the local cloud changes, against moto's own code.

A TransactWriteItems as its table grows (the journal of localcloud/dynamodb_transactions.py against moto's
whole-table backup), and a Query page of 24 product-like items (localcloud/dynamodb_responses.py against moto's
generic serialiser). In-process moto, no local cloud: the figures are the emulator's work alone."""

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


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    progress("DynamoDB transaction cost by table size")
    for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}.items():
        os.environ.setdefault(name, value)
    rows = [
        [f"transaction, 3 updates, {size:,} items", ms(_cost(size, True)), ms(_cost(size, False))] for size in SIZES
    ]
    progress("DynamoDB query page cost")
    rows.append(["query page of 24 products", ms(_query_cost(True)), ms(_query_cost(False))])
    section = [
        heading("7. Emulator DynamoDB calls (ms, median)"),
        *table(["call", "local cloud", "moto's own"], rows),
    ]
    summary = [f"emulator {r[0]}: {r[1]} ms (moto's own: {r[2]} ms)" for r in rows]
    return section, summary
