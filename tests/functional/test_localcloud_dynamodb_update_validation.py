"""The local cloud's UpdateItem validation (localcloud/dynamodb_update_validation.py) answers as moto's own: the
same items after a sequence of updates, and the same refusals, including for a text that passed before with
other attribute names (a key attribute named through a placeholder) or that fails its checks every time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localcloud import dynamodb_update_expressions, dynamodb_update_validation

pytestmark = [
    pytest.mark.functional,
    pytest.mark.usefixtures("aws_env"),  # fake credentials (conftest)
    pytest.mark.skipif(moto.__version__ != dynamodb_update_validation.PINNED_MOTO, reason="pinned to moto's"),
]


@contextmanager
def counters(patched: bool) -> Iterator[Any]:
    """A table keyed by pk and sk, with the parse cache installed as in the emulator and the validation patched
    or not."""
    undos = [dynamodb_update_expressions.install(), dynamodb_update_validation.install() if patched else None]
    try:
        with mock_aws():
            client = boto3.session.Session(region_name="us-east-1").client("dynamodb")
            client.create_table(
                TableName="counters",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                AttributeDefinitions=[
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "S"},
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            yield client
    finally:
        for undo in reversed(undos):
            if undo is not None:
                undo()


def metrics_add(names: list[str], amount: int) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The sales counters' shape: one ADD clause per metric, names and values as placeholders."""
    expression = "ADD " + ", ".join(f"#m{i} :v{i}" for i in range(len(names)))
    return (
        expression,
        {f"#m{i}": name for i, name in enumerate(names)},
        {f":v{i}": {"N": str(amount + i)} for i in range(len(names))},
    )


# (key, expression, names, values): each refused one is refused by a different check, some after the same text
# passed with other names
UPDATES = [
    ("day#1", *metrics_add(["orders", "revenue", "items"], 1)),
    ("day#1", *metrics_add(["orders", "revenue", "items"], 5)),
    ("day#2", *metrics_add(["orders", "refunds", "items"], 2)),
    ("day#1", *metrics_add(["orders", "sk", "items"], 1)),  # the same text, now changing the sort key
    ("day#1", *metrics_add(["orders", "orders", "items"], 1)),  # the same text, one path twice
    ("day#1", "SET #a = :a SET #b = :b", {"#a": "x", "#b": "y"}, {":a": {"N": "1"}, ":b": {"N": "2"}}),
    ("day#1", "SET #a = :a, #a.#b = :b", {"#a": "x", "#b": "y"}, {":a": {"N": "1"}, ":b": {"N": "2"}}),
    ("day#1", "SET #n = if_not_exists(#n, :z) + :one", {"#n": "n"}, {":z": {"N": "0"}, ":one": {"N": "1"}}),
    ("day#1", "SET #n = #n + :one", {"#n": "missing"}, {":one": {"N": "1"}}),  # a path the item lacks
    ("day#1", "SET #n = :s + :one", {"#n": "n"}, {":s": {"S": "a"}, ":one": {"N": "1"}}),  # a type mismatch
    ("day#1", "SET #n = if_not_exists(#n, :z) + :one", {"#n": "n"}, {":z": {"N": "0"}, ":one": {"N": "1"}}),
    ("day#3", *metrics_add(["orders", "revenue", "items"], 1)),
]


def outcomes(patched: bool, repeat: int = 2) -> list[Any]:
    answers: list[Any] = []
    with counters(patched) as client:
        for _ in range(repeat):
            for sort_key, expression, names, values in UPDATES:
                try:
                    answer = client.update_item(
                        TableName="counters",
                        Key={"pk": {"S": "store"}, "sk": {"S": sort_key}},
                        UpdateExpression=expression,
                        ExpressionAttributeNames=names,
                        ExpressionAttributeValues=values,
                        ReturnValues="ALL_NEW",
                    )
                    answers.append(answer["Attributes"])
                except ClientError as refused:
                    answers.append(refused.response["Error"])
        answers.append(sorted(client.scan(TableName="counters")["Items"], key=lambda i: i["sk"]["S"]))
    return answers


def test_updates_and_refusals_are_exactly_motos_own_when_texts_repeat() -> None:
    mine, motos = outcomes(patched=True), outcomes(patched=False)
    assert mine == motos
    refused = [a for a in mine[: len(UPDATES)] if "Code" in a]
    assert len(refused) == 6, refused  # key, path twice, two SETs, overlap, missing path, type mismatch
    assert any("sk" in a["Message"] for a in refused)  # after the same text passed with other names
    assert mine[len(UPDATES) : 2 * len(UPDATES)] != mine[: len(UPDATES)]  # counters grew the second time round


def test_a_refused_text_is_refused_again_by_the_same_check() -> None:
    expression, names, values = metrics_add(["orders", "orders"], 1)
    with counters(patched=True) as client:
        for _ in range(3):
            with pytest.raises(ClientError) as refused:
                client.update_item(
                    TableName="counters",
                    Key={"pk": {"S": "store"}, "sk": {"S": "day#1"}},
                    UpdateExpression=expression,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
            assert "Two document paths overlap" in refused.value.response["Error"]["Message"]
        assert "Item" not in client.get_item(TableName="counters", Key={"pk": {"S": "store"}, "sk": {"S": "day#1"}})
