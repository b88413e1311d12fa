"""Section 7: what one TransactWriteItems costs in the emulator as its table grows, with the local cloud's
journal (localcloud/dynamodb_transactions.py) and with moto's own whole-table backup. In-process moto, no
local cloud: the figure is the emulator's work alone."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from localcloud import dynamodb_transactions
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


def measure(progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    progress("DynamoDB transaction cost by table size")
    for name, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}.items():
        os.environ.setdefault(name, value)
    rows = [[f"{size:,} items", ms(_cost(size, True)), ms(_cost(size, False))] for size in SIZES]
    section = [
        heading("7. Emulator TransactWriteItems, 3 updates (ms, median)"),
        *table(["table size", "local cloud", "moto's own"], rows),
    ]
    summary = [f"transaction of 3 updates at {r[0]}: {r[1]} ms (moto's own backup: {r[2]} ms)" for r in rows]
    return section, summary
