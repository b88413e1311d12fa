"""The emulator's meter (localcloud/metering.py) counts DynamoDB request units as DynamoDB bills them: a write
once for the table and once per index holding the item, a transaction's writes twice, reads by what they return."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from localcloud.metering import dynamodb_units
from localcloud.template import REGION

pytestmark = pytest.mark.functional


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="orders",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "email", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by-email",
                    "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


def test_a_put_counts_for_the_table_and_each_index_holding_the_item(ddb: Any) -> None:
    with_email = {"TableName": "orders", "Item": {"pk": {"S": "o1"}, "email": {"S": "a@b.c"}}}
    without = {"TableName": "orders", "Item": {"pk": {"S": "o2"}}}
    ddb.put_item(**with_email)
    ddb.put_item(**without)

    assert dynamodb_units("PutItem", with_email, {}) == (0.0, 2.0)
    assert dynamodb_units("PutItem", without, {}) == (0.0, 1.0)


def test_a_transaction_counts_each_write_twice(ddb: Any) -> None:
    request = {
        "TransactItems": [
            {"Put": {"TableName": "orders", "Item": {"pk": {"S": "o3"}}}},
            {"Put": {"TableName": "orders", "Item": {"pk": {"S": "o4"}}}},
        ]
    }
    ddb.transact_write_items(**request)

    assert dynamodb_units("TransactWriteItems", request, {}) == (0.0, 4.0)
    assert dynamodb_units("TransactWriteItems", request, {"__type": "TransactionCanceledException"}) == (0.0, 0.0)


def test_reads_count_what_they_return(ddb: Any) -> None:
    big = {"pk": {"S": "o5"}, "blob": {"S": "x" * 9000}}
    assert dynamodb_units("GetItem", {"ConsistentRead": True}, {"Item": big}) == (3.0, 0.0)
    assert dynamodb_units("Query", {}, {"Items": [big, big]}) == (2.5, 0.0)  # 18 KB eventually consistent
    assert dynamodb_units("GetItem", {}, {}) == (0.5, 0.0)  # a miss still costs
