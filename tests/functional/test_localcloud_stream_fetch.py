"""The emulator's stream pollers read records from moto in their own process (localcloud/streams.py,
`_records_in_process`): a function receives the same events as through the DynamoDB Streams API, batch by batch,
and a poller that resumes from a checkpoint starts after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from localcloud.streams import Poller, StreamMapping, _records_in_process
from localcloud.template import ACCOUNT_ID, REGION

pytestmark = pytest.mark.functional
TABLE = "orders"


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        dynamodb.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        yield dynamodb


def clients(service: str) -> Any:
    return boto3.session.Session(region_name=REGION).client(service)  # type: ignore[call-overload]


def mapping() -> StreamMapping:
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{TABLE}/stream/x"
    return StreamMapping("Changes", "fn", arn, batch_size=3, filters=({"eventName": ["INSERT", "MODIFY"]},))


def delivered(poller: Poller) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        events.append(event)
        return None, None

    poller.drain(invoke)
    return events


def write(dynamodb: Any) -> None:
    for n in range(4):
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": f"o{n}"}, "total": {"N": str(100 * n)}})
    dynamodb.update_item(
        TableName=TABLE,
        Key={"pk": {"S": "o1"}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "shipped"}},
    )
    dynamodb.delete_item(TableName=TABLE, Key={"pk": {"S": "o2"}})  # filtered out: REMOVE is not asked for


def test_a_function_gets_the_same_batches_as_through_the_streams_api(table: Any) -> None:
    write(table)

    through_api = delivered(Poller(mapping(), clients))
    in_process = delivered(Poller(mapping(), clients, fetch=_records_in_process(TABLE)))

    assert [len(e["Records"]) for e in in_process] == [3, 2]
    for api_event, local_event in zip(through_api, in_process, strict=True):
        for api_record, local_record in zip(api_event["Records"], local_event["Records"], strict=True):
            # The API carries the creation time in whole seconds; the rest is the same, key for key.
            api_time = api_record["dynamodb"].pop("ApproximateCreationDateTime")
            local_time = local_record["dynamodb"].pop("ApproximateCreationDateTime")
            assert abs(api_time - local_time) < 1
            assert local_record == api_record
    assert in_process[1]["Records"][1]["dynamodb"]["NewImage"]["status"] == {"S": "shipped"}


def test_a_poller_resumed_from_a_checkpoint_reads_only_what_came_after_it(table: Any) -> None:
    write(table)
    first = delivered(Poller(mapping(), clients, fetch=_records_in_process(TABLE)))
    checkpoint = first[0]["Records"][-1]["dynamodb"]["SequenceNumber"]

    resumed = delivered(Poller(mapping(), clients, checkpoint=checkpoint, fetch=_records_in_process(TABLE)))

    assert resumed == first[1:]
    table.put_item(TableName=TABLE, Item={"pk": {"S": "o9"}})
    later = Poller(mapping(), clients, checkpoint=resumed[-1]["Records"][-1]["dynamodb"]["SequenceNumber"])
    later.fetch = _records_in_process(TABLE)
    assert [r["dynamodb"]["Keys"] for e in delivered(later) for r in e["Records"]] == [{"pk": {"S": "o9"}}]
