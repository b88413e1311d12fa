"""The local cloud's shortcut for DynamoDB attribute values (localcloud/dynamodb_responses.py) answers every
read exactly as moto's own serialiser does: the same raw bytes of every response, for generated items with
every attribute type, nested maps and lists, binary values and sets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from localcloud import dynamodb_responses
from tests.functional.dynamodb_values import create_table, items

pytestmark = pytest.mark.functional

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def table() -> Iterator[Any]:
    with mock_aws():
        ddb = boto3.client(
            "dynamodb", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
        )  # fmt: skip
        create_table(ddb)
        yield ddb


def raw_answers(ddb: Any, key: dict[str, Any]) -> list[bytes]:
    """Each read's response body as it came over the wire (before botocore parses it)."""
    bodies: list[bytes] = []

    def keep(http_response: Any, **_: Any) -> None:
        bodies.append(http_response.content)

    ddb.meta.events.register("after-call.dynamodb", keep)
    try:
        ddb.get_item(TableName="t", Key=key)
        ddb.query(TableName="t", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": key["pk"]})
        ddb.scan(TableName="t")
        ddb.batch_get_item(RequestItems={"t": {"Keys": [key]}})
        ddb.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": key}}])
        ddb.update_item(TableName="t", Key=key, UpdateExpression="SET touched = :t",
                        ExpressionAttributeValues={":t": {"BOOL": True}}, ReturnValues="ALL_OLD")  # fmt: skip
    finally:
        ddb.meta.events.unregister("after-call.dynamodb", keep)
    return bodies


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=items, sk=st.integers(0, 10**6))
def test_every_read_answers_the_same_bytes_as_motos_serialiser(table: Any, item: dict[str, Any], sk: int) -> None:
    key = {"pk": {"S": "store"}, "sk": {"N": str(sk)}}
    table.put_item(TableName="t", Item={**key, **item})
    expected = raw_answers(table, key)
    table.put_item(TableName="t", Item={**key, **item})  # the same item again: update_item changed it
    undo = dynamodb_responses.install()
    assert undo is not None, "moto is not the version the local cloud's shortcut is pinned to"
    try:
        found = raw_answers(table, key)
    finally:
        undo()
    assert found == expected
    table.delete_item(TableName="t", Key=key)
