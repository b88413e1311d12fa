"""The local cloud parses each UpdateExpression text once and copies its trees itself
(localcloud/dynamodb_update_expressions.py): updates that share a text still write their own values, a sequence
of mixed updates ends exactly as under moto's own code, and a text that does not parse is refused every time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localcloud import dynamodb_update_expressions

pytestmark = [
    pytest.mark.functional,
    pytest.mark.usefixtures("aws_env"),  # fake credentials (conftest)
    pytest.mark.skipif(moto.__version__ != dynamodb_update_expressions.PINNED_MOTO, reason="pinned to moto's"),
]
COUNTER = "ADD #count :one SET expires_at = :end"


@contextmanager
def table(patched: bool) -> Iterator[Any]:
    undo = dynamodb_update_expressions.install() if patched else None
    assert undo is not None or not patched
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
        if undo is not None:
            undo()


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    with table(patched=True) as client:
        yield client


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


MIXED = [  # (expression, names, values): nested paths, functions, arithmetic, lists, sets, removal
    ("SET #o = :o, #n = if_not_exists(#n, :zero) + :one", {"#o": "owner", "#n": "n"},
     {":o": {"M": {"name": {"S": "Ada"}, "tags": {"L": [{"S": "a"}]}}}, ":zero": {"N": "0"}, ":one": {"N": "1"}}),
    ("SET #o.#name = :name, #o.#tags = list_append(#o.#tags, :more) ADD #s :s",
     {"#o": "owner", "#name": "name", "#tags": "tags", "#s": "seen"},
     {":name": {"S": "Grace"}, ":more": {"L": [{"S": "b"}]}, ":s": {"SS": ["x", "y"]}}),
    ("SET #n = #n - :one, #o.#tags[0] = :first DELETE #s :gone", {"#n": "n", "#o": "owner", "#tags": "tags",
     "#s": "seen"}, {":one": {"N": "1"}, ":first": {"S": "z"}, ":gone": {"SS": ["x"]}}),
    ("REMOVE #o.#tags[1] SET #t = :t", {"#o": "owner", "#tags": "tags", "#t": "total"}, {":t": {"N": "2500"}}),
    ("SET #n = if_not_exists(#n, :zero) + :one, #o = :o", {"#n": "n", "#o": "owner"},
     {":zero": {"N": "0"}, ":one": {"N": "1"}, ":o": {"M": {"name": {"S": "Lin"}, "tags": {"L": []}}}}),
]  # fmt: skip


def run_mixed(patched: bool) -> list[Any]:
    answers: list[Any] = []
    with table(patched) as client:
        for key in ("a", "b"):
            for expression, names, values in MIXED:
                answer = client.update_item(
                    TableName="limits",
                    Key={"pk": {"S": key}},
                    UpdateExpression=expression,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                    ReturnValues="ALL_NEW",
                )
                answers.append(answer["Attributes"])
        answers.append(sorted(client.scan(TableName="limits")["Items"], key=lambda i: i["pk"]["S"]))
    return answers


def test_mixed_updates_end_exactly_as_under_motos_own_code() -> None:
    assert run_mixed(patched=True) == run_mixed(patched=False)


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
