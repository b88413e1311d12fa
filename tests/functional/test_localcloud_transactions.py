"""The local cloud's TransactWriteItems (localcloud/dynamodb_transactions.py) answers exactly as moto's own:
the same items, the same stream records and the same errors, for transactions that succeed, that a condition
cancels half-way and that moto refuses after a first write; only the cost differs (one item copied, not the
table)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localcloud import dynamodb_transactions

pytestmark = pytest.mark.functional

REGION = "eu-west-1"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


def s(value: str) -> dict[str, str]:
    return {"S": value}


def make_tables(ddb: Any) -> None:
    stream = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    ddb.create_table(
        TableName="stock",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification=stream,
    )
    ddb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification=stream,
    )
    for sku, count in (("blade", "5"), ("shield", "2"), ("ring", "9")):
        ddb.put_item(TableName="stock", Item={"pk": s(sku), "count": {"N": count}})
    ddb.put_item(TableName="orders", Item={"pk": s("store#a"), "sk": s("order#1"), "status": s("placed")})


def reserve(sku: str, amount: str) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": "stock",
            "Key": {"pk": s(sku)},
            "UpdateExpression": "SET #c = #c - :n",
            "ConditionExpression": "#c >= :n",
            "ExpressionAttributeNames": {"#c": "count"},
            "ExpressionAttributeValues": {":n": {"N": amount}},
        }
    }


def place(order: str) -> dict[str, Any]:
    item = {"pk": s("store#a"), "sk": s(f"order#{order}"), "status": s("placed")}
    return {"Put": {"TableName": "orders", "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}


TRANSACTIONS: list[list[dict[str, Any]]] = [
    # Succeeds: a new order in a new range item, two reservations, a delete and a new stock item by update.
    [
        place("2"),
        reserve("blade", "2"),
        reserve("ring", "1"),
        {"Delete": {"TableName": "orders", "Key": {"pk": s("store#a"), "sk": s("order#1")}}},
        {"Update": {"TableName": "stock", "Key": {"pk": s("cloak")}, "UpdateExpression": "SET #c = :n",
                    "ExpressionAttributeNames": {"#c": "count"}, "ExpressionAttributeValues": {":n": {"N": "4"}}}},
    ],
    # Cancelled by its last condition (only 2 shields) after four writes, one of them to a new hash.
    [
        place("3"),
        {"Put": {"TableName": "orders", "Item": {"pk": s("store#b"), "sk": s("order#1"), "status": s("placed")}}},
        reserve("blade", "1"),
        {"Delete": {"TableName": "stock", "Key": {"pk": s("ring")}}},
        reserve("shield", "3"),
    ],
    # Refused by moto after its first write: the same item twice.
    [reserve("ring", "1"), reserve("ring", "1")],
    # A condition check alone fails: nothing was written anyway.
    [{"ConditionCheck": {"TableName": "stock", "Key": {"pk": s("shield")}, "ConditionExpression": "#c > :n",
                         "ExpressionAttributeNames": {"#c": "count"},
                         "ExpressionAttributeValues": {":n": {"N": "5"}}}}],
]  # fmt: skip


def stream_records(ddb: Any, streams: Any, table: str) -> list[tuple[str, Any, Any]]:
    arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return [(r["eventName"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage")) for r in records]


def state(ddb: Any, streams: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for table in ("stock", "orders"):
        items = ddb.scan(TableName=table)["Items"]
        found[table] = sorted(items, key=lambda i: (i["pk"]["S"], i.get("sk", {}).get("S", "")))
        found[f"{table} stream"] = stream_records(ddb, streams, table)
        found[f"{table} count"] = ddb.describe_table(TableName=table)["Table"]["ItemCount"]
    return found


def run_all(region: str) -> list[dict[str, Any]]:
    ddb = boto3.client("dynamodb", region_name=region)
    streams = boto3.client("dynamodbstreams", region_name=region)
    make_tables(ddb)
    seen = [state(ddb, streams)]
    for transaction in TRANSACTIONS:
        try:
            ddb.transact_write_items(TransactItems=transaction)  # type: ignore[arg-type]
            outcome: Any = "written"
        except ClientError as error:
            reasons = error.response.get("CancellationReasons")
            outcome = (error.response["Error"]["Code"], [r.get("Code") for r in reasons or []])
        seen.append({"outcome": outcome, **state(ddb, streams)})
    return seen


def test_transactions_answer_and_leave_everything_as_motos_own(aws: None) -> None:
    expected = run_all(REGION)
    undo = dynamodb_transactions.install()
    assert undo is not None, "moto is not the version the local cloud's transactions are pinned to"
    try:
        found = run_all("us-west-2")  # a region of its own: a fresh backend, the same account
    finally:
        undo()

    assert found == expected
    start, written, cancelled, refused, unchecked = found
    assert written["outcome"] == "written" and written["stock count"] == 4
    # A cancelled or refused transaction leaves items, counts and streams exactly as the last one did.
    for failed in (cancelled, refused, unchecked):
        assert {k: v for k, v in failed.items() if k != "outcome"} == {
            k: v for k, v in written.items() if k != "outcome"
        }
    assert cancelled["outcome"] == (
        "TransactionCanceledException",
        ["None", "None", "None", "None", "ConditionalCheckFailed"],
    )
    assert refused["outcome"][0] == "ValidationException"
    new_records = written["stock stream"][len(start["stock stream"]) :]
    assert [r[0] for r in new_records[:3]] == ["MODIFY", "MODIFY", "INSERT"]
