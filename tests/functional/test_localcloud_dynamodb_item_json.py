"""An item's JSON made member by member and its size counted without copies (localcloud/dynamodb_item_json.py)
are moto's own: every read, every UpdateItem's returned values and every stream record carry the same bytes,
every size is the same number, for generated items of every attribute type; the JSON shares nothing mutable
with the stored item; and an update over the 400 KB limit is still refused."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from localcloud import dynamodb_item_json
from tests.functional.dynamodb_values import create_table, items

pytestmark = pytest.mark.functional

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[Any, Any]]:
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
        streams = boto3.client("dynamodbstreams", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
        create_table(ddb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        yield ddb, streams


def answers(ddb: Any, streams: Any, key: dict[str, Any], item: dict[str, Any]) -> list[bytes]:
    """The raw bodies of a put, reads, updates returning old and new values, and the stream records they made."""
    bodies: list[bytes] = []

    def keep(http_response: Any, **_: Any) -> None:
        bodies.append(http_response.content)

    arn = ddb.describe_table(TableName="t")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    start = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    ddb.meta.events.register("after-call.dynamodb", keep)
    try:
        ddb.put_item(TableName="t", Item={**key, **item}, ReturnValues="ALL_OLD")
        ddb.get_item(TableName="t", Key=key)
        ddb.query(TableName="t", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": key["pk"]})
        for returned in ("ALL_OLD", "UPDATED_OLD", "UPDATED_NEW", "ALL_NEW"):
            ddb.update_item(
                TableName="t",
                Key=key,
                UpdateExpression="SET seen = list_append(if_not_exists(seen, :none), :one)",
                ExpressionAttributeValues={":none": {"L": []}, ":one": {"L": [{"M": {"by": {"S": returned}}}]}},
                ReturnValues=returned,
            )
        ddb.delete_item(TableName="t", Key=key, ReturnValues="ALL_OLD")
    finally:
        ddb.meta.events.unregister("after-call.dynamodb", keep)
    records = streams.get_records(ShardIterator=start)["Records"]
    return [
        *bodies,
        repr(
            [(r["eventName"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage")) for r in records]
        ).encode(),
    ]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=items, sk=st.integers(0, 10**6))
def test_every_answer_and_stream_record_is_motos_own(clients: tuple[Any, Any], item: dict[str, Any], sk: int) -> None:
    ddb, streams = clients
    key = {"pk": {"S": "store"}, "sk": {"N": str(sk)}}
    expected = answers(ddb, streams, key, item)
    undo = dynamodb_item_json.install()
    assert undo is not None, "moto is not the version the local cloud's change is pinned to"
    try:
        found = answers(ddb, streams, key, item)
    finally:
        undo()
    assert found == expected


def test_an_items_json_shares_nothing_mutable_with_the_stored_item() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    undo = dynamodb_item_json.install()
    assert undo is not None
    try:
        nested = {"M": {"tags": {"SS": ["a", "b"]}, "rows": {"L": [{"M": {"n": {"N": "1"}}}, {"BS": [b"x"]}]}}}
        stored = Item(DynamoType({"S": "k"}), None, {"pk": {"S": "k"}, "doc": nested, "list": {"L": [nested]}})
        before = copy.deepcopy(stored.to_json())  # a snapshot that shares nothing either
        written = stored.to_json()
        written["Attributes"]["doc"]["M"]["tags"]["SS"].append("c")
        written["Attributes"]["doc"]["M"]["rows"]["L"][0]["M"]["n"]["N"] = "2"
        written["Attributes"]["list"]["L"][0]["M"]["rows"]["L"].clear()
        assert stored.to_json() == before
    finally:
        undo()


@settings(max_examples=80, deadline=None)
@given(item=items)
def test_every_size_is_motos_own(item: dict[str, Any]) -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    def sizes() -> list[int]:
        stored = Item(DynamoType({"S": "k"}), None, {"pk": {"S": "k"}, **item})
        return [stored.size(), *(value.size() for value in stored.attrs.values())]

    expected = sizes()
    undo = dynamodb_item_json.install()
    assert undo is not None
    try:
        found = sizes()
    finally:
        undo()
    assert found == expected


def test_an_update_past_the_item_size_limit_is_still_refused(clients: tuple[Any, Any]) -> None:
    ddb, _ = clients
    key = {"pk": {"S": "big"}, "sk": {"N": "1"}}
    ddb.put_item(TableName="t", Item={**key, "a": {"S": "x" * 200_000}})
    undo = dynamodb_item_json.install()
    assert undo is not None
    try:
        with pytest.raises(ddb.exceptions.ClientError, match="Item size to update has exceeded the maximum"):
            ddb.update_item(
                TableName="t",
                Key=key,
                UpdateExpression="SET b = :b, c = :c",
                ExpressionAttributeValues={
                    ":b": {"M": {"x": {"S": "y" * 150_000}}},
                    ":c": {"L": [{"S": "z" * 60_000}]},
                },
            )
        ddb.update_item(
            TableName="t", Key=key, UpdateExpression="SET b = :b", ExpressionAttributeValues={":b": {"S": "small"}}
        )
    finally:
        undo()
    assert ddb.get_item(TableName="t", Key=key)["Item"]["b"] == {"S": "small"}
