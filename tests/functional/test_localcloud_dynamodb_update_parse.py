"""The local cloud parses each UpdateExpression text once (localcloud/dynamodb_update_parse.py): updates that
share a text still write their own values, and a text that does not parse is refused every time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localcloud import dynamodb_update_parse

pytestmark = [
    pytest.mark.functional,
    pytest.mark.skipif(moto.__version__ != dynamodb_update_parse.PINNED_MOTO, reason="the patch is pinned to moto's"),
]
COUNTER = "ADD #count :one SET expires_at = :end"


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    undo = dynamodb_update_parse.install()
    assert undo is not None
    try:
        with mock_aws():
            client = boto3.session.Session(region_name="us-east-1").client("dynamodb")
            client.create_table(
                TableName="limits",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
            yield client
    finally:
        undo()


@pytest.fixture
def tokenised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from moto.dynamodb.parsing.tokens import ExpressionTokenizer

    seen: list[str] = []
    original = ExpressionTokenizer.__dict__["make_list"].__func__

    def make_list(cls: type, input_expression_str: str) -> Any:
        seen.append(input_expression_str)
        return original(cls, input_expression_str)

    monkeypatch.setattr(ExpressionTokenizer, "make_list", classmethod(make_list))
    return seen


def bump(dynamodb: Any, key: str, end: int, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = dynamodb.update_item(
        TableName="limits",
        Key={"pk": {"S": key}},
        UpdateExpression=COUNTER,
        ExpressionAttributeNames={"#count": "count"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":end": {"N": str(end)}},
        ReturnValues="ALL_NEW",
        **extra,
    )
    attributes: dict[str, Any] = answer["Attributes"]
    return attributes


def test_updates_sharing_an_expression_write_their_own_values_from_one_parse(
    dynamodb: Any, tokenised: list[str]
) -> None:
    answers = [bump(dynamodb, key, end) for key, end in (("ip-a", 100), ("ip-a", 160), ("ip-b", 220))]

    assert [(a["pk"]["S"], a["count"]["N"], a["expires_at"]["N"]) for a in answers] == [
        ("ip-a", "1", "100"),
        ("ip-a", "2", "160"),
        ("ip-b", "1", "220"),
    ]
    assert tokenised.count(COUNTER) == 1  # three requests, each parsed by the handler and the backend before


def test_an_expression_that_does_not_parse_is_refused_every_time(dynamodb: Any) -> None:
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            dynamodb.update_item(
                TableName="limits",
                Key={"pk": {"S": "ip-a"}},
                UpdateExpression="SET = :v",
                ExpressionAttributeValues={":v": {"N": "1"}},
            )
        assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert "Item" not in dynamodb.get_item(TableName="limits", Key={"pk": {"S": "ip-a"}})
