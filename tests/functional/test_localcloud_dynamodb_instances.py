"""DynamoDB items no table stores any more are freed in the local cloud (localcloud/dynamodb_instances.py): moto
kept every item it ever made, so each UpdateItem left a copy of the whole item behind. The same writes answer the
same with the patch, and leave no copies."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import Item

from localcloud import dynamodb_instances
from tests.functional.dynamodb_values import TABLE, create_table

pytestmark = pytest.mark.functional

UPDATES = 30
ENTRIES = 20  # attributes each update sets: a posting list's batch


def live_items() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if type(thing) is Item)


def run_updates() -> tuple[list[Any], int]:
    """What UPDATES UpdateItems on three items (with a stream) answer, and how many items are alive after them."""
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
        create_table(ddb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        answers: list[Any] = []
        for n in range(UPDATES):
            names = {f"#e{i}": f"entry-{n}-{i}" for i in range(ENTRIES)}
            values = {f":e{i}": {"M": {"w": {"N": str(i)}, "t": {"S": "Ember Longsword"}}} for i in range(ENTRIES)}
            answer = ddb.update_item(
                TableName=TABLE,
                Key={"pk": {"S": f"list-{n % 3}"}, "sk": {"N": "0"}},
                UpdateExpression="SET " + ", ".join(f"#e{i} = :e{i}" for i in range(ENTRIES)),
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="UPDATED_NEW",
            )
            answers.append(answer["Attributes"])
        answers.append(ddb.scan(TableName=TABLE)["Items"])
        return answers, live_items()


@pytest.fixture
def patched() -> Iterator[Callable[[], None]]:
    undo = dynamodb_instances.install()
    assert undo is not None, "moto is not the version the patch was written for"
    yield undo
    undo()


def test_updates_leave_no_copy_of_the_item_behind(patched: Callable[[], None]) -> None:
    before = live_items()
    answers, alive = run_updates()
    assert alive - before <= 3 + 2, f"{alive - before} items alive after {UPDATES} updates of 3"
    assert len(answers[-1]) == 3 and all(len(item) == 2 + ENTRIES * UPDATES // 3 for item in answers[-1])


def test_moto_alone_keeps_a_copy_per_update_so_the_check_above_can_fail() -> None:
    before = live_items()
    _, alive = run_updates()
    Item.instances_tracked.clear()
    assert alive - before >= UPDATES


def test_the_answers_are_moto_own() -> None:
    undo = dynamodb_instances.install()
    assert undo is not None
    try:
        with_patch, _ = run_updates()
    finally:
        undo()
    without, _ = run_updates()
    Item.instances_tracked.clear()
    assert with_patch == without
