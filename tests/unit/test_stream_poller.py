"""The local stream poller: filter criteria, batches, partial batch failures and retry limits, as Lambda runs them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from localcloud.streams import READ_LIMIT, Poller, StreamMapping

pytestmark = pytest.mark.unit
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/label"


def _record(seq: int, kind: str) -> dict[str, Any]:
    image = {"type": {"S": kind}}
    return {"eventID": str(seq), "eventName": "INSERT", "dynamodb": {"SequenceNumber": str(seq), "NewImage": image}}


class FakeStreams:
    """The DynamoDB and DynamoDB Streams calls the poller makes, over a list of records."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.reads = 0

    def __call__(self, service: str) -> FakeStreams:
        return self

    def describe_table(self, TableName: str) -> dict[str, Any]:
        return {"Table": {"LatestStreamArn": ARN}}

    def describe_stream(self, StreamArn: str) -> dict[str, Any]:
        return {"StreamDescription": {"Shards": [{"ShardId": "shard"}]}}

    def get_shard_iterator(self, **kwargs: Any) -> dict[str, Any]:
        after = int(kwargs.get("SequenceNumber", 0))
        return {"ShardIterator": str(after)}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        self.reads += 1
        after = int(ShardIterator)
        return {"Records": [r for r in self.records if int(r["dynamodb"]["SequenceNumber"]) > after][:Limit]}


def _mapping(**overrides: Any) -> StreamMapping:
    fields: dict[str, Any] = {
        "logical_id": "Indexer",
        "function_name": "indexer",
        "event_source_arn": ARN,
        "batch_size": 2,
        "filters": ({"dynamodb": {"NewImage": {"type": {"S": ["product"]}}}},),
        "report_item_failures": True,
        "max_retries": 1,
    }
    return StreamMapping(**(fields | overrides))


def test_filtered_records_are_consumed_and_batches_hold_at_most_batch_size() -> None:
    records = [_record(1, "product"), _record(2, "category"), _record(3, "product"), _record(4, "product")]
    batches: list[list[str]] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        batches.append([r["dynamodb"]["SequenceNumber"] for r in event["Records"]])
        return {"batchItemFailures": []}, None

    delivered = Poller(_mapping(), FakeStreams(records)).drain(invoke)

    assert delivered == 3
    assert batches == [["1", "3"], ["4"]]


def test_a_partial_failure_redelivers_from_the_first_failed_record() -> None:
    records = [_record(n, "product") for n in (1, 2, 3)]
    batches: list[list[str]] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        seqs = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        batches.append(seqs)
        assert event["Records"][0]["eventSourceARN"] == ARN
        failed = [{"itemIdentifier": "2"}] if len(batches) == 1 else []
        return {"batchItemFailures": failed}, None

    Poller(_mapping(), FakeStreams(records)).drain(invoke)

    assert batches == [["1", "2"], ["2", "3"]]


def test_a_batch_failing_past_its_retries_is_dropped() -> None:
    calls: list[list[str]] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        calls.append([r["dynamodb"]["SequenceNumber"] for r in event["Records"]])
        return {"errorType": "Boom"}, "Unhandled"

    Poller(_mapping(batch_size=10), FakeStreams([_record(1, "product")])).drain(invoke)

    assert calls == [["1"], ["1"]]  # the first attempt and one retry (MaximumRetryAttempts: 1)


def test_an_idle_stream_is_not_asked_again_until_it_holds_more_records() -> None:
    stream = FakeStreams([_record(1, "product")])
    delivered: list[str] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        delivered.extend(r["dynamodb"]["SequenceNumber"] for r in event["Records"])
        return {"batchItemFailures": []}, None

    poller = Poller(_mapping(batching_window=0), stream, peek=lambda: len(stream.records))
    assert poller.poll_once(invoke) == 1
    for _ in range(5):
        assert poller.poll_once(invoke) == 0
    assert stream.reads == 1

    stream.records.append(_record(2, "product"))
    assert poller.poll_once(invoke) == 1
    assert (delivered, stream.reads) == (["1", "2"], 2)


def test_a_burst_longer_than_one_read_is_delivered_to_its_last_record_with_no_write_after_it() -> None:
    """A read takes at most READ_LIMIT records; the stream's length alone must not tell the poller it has seen
    the rest (5,000 products imported at once left the last few hundred unindexed until the next write)."""
    burst = READ_LIMIT * 2 + 7
    stream = FakeStreams([_record(n, "product") for n in range(1, burst + 1)])
    delivered: list[str] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        delivered.extend(r["dynamodb"]["SequenceNumber"] for r in event["Records"])
        return {"batchItemFailures": []}, None

    poller = Poller(_mapping(batching_window=0, batch_size=500), stream, peek=lambda: len(stream.records))
    waiting = []
    for _ in range(20):
        poller.poll_once(invoke)
        waiting.append(len(poller.pending))

    assert len(delivered) == burst
    assert delivered[-1] == str(burst)
    assert stream.reads == 3  # and then no more reads of a stream that did not grow
    assert max(waiting) <= READ_LIMIT  # read as delivered, not the whole burst into memory at once


def _delivered(pattern: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    seen: list[str] = []

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        seen.extend(r["dynamodb"]["SequenceNumber"] for r in event["Records"])
        return {"batchItemFailures": []}, None

    Poller(_mapping(filters=(pattern,), batch_size=10), FakeStreams(records)).drain(invoke)
    return seen


def _typed(seq: int, kind: str, size: int, **more: dict[str, str]) -> dict[str, Any]:
    record = _record(seq, kind)
    record["dynamodb"]["NewImage"].update(more)
    record["dynamodb"]["SizeBytes"] = size  # a JSON number (DynamoDB's N values are strings)
    return record


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"dynamodb": {"NewImage": {"type": {"S": [{"prefix": "order"}]}}}}, ["1", "2"]),
        ({"dynamodb": {"NewImage": {"type": {"S": [{"anything-but": ["order"]}]}}}}, ["2", "3"]),
        ({"dynamodb": {"SizeBytes": [{"numeric": [">", 100]}]}}, ["2"]),
        ({"dynamodb": {"NewImage": {"total": {"N": [{"exists": False}]}}}}, ["3"]),  # leaf nodes only, as on AWS
        (
            {"eventName": [{"equals-ignore-case": "insert"}], "dynamodb": {"NewImage": {"type": {"S": ["product"]}}}},
            ["3"],
        ),
    ],
)
def test_filter_patterns_match_as_lambda_matches_them(pattern: dict[str, Any], expected: list[str]) -> None:
    records = [
        _typed(1, "order", 50, total={"N": "50"}),
        _typed(2, "order-line", 150, total={"N": "150"}),
        _typed(3, "product", 20),
    ]
    assert _delivered(pattern, records) == expected


class FakeQueue(FakeStreams):
    """The streams, plus the SQS calls an OnFailure destination takes."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__(records)
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def get_queue_url(self, QueueName: str) -> dict[str, Any]:
        return {"QueueUrl": f"https://sqs/{QueueName}"}

    def send_message(self, QueueUrl: str, MessageBody: str) -> None:
        self.sent.append((QueueUrl, json.loads(MessageBody)))


def test_a_batch_given_up_is_named_on_its_failure_queue() -> None:
    records = [_record(1, "product"), _record(2, "product"), _record(3, "product")]
    cloud = FakeQueue(records)
    queue = "arn:aws:sqs:us-east-1:123456789012:indexer-failures"

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        return {"errorType": "KeyError", "errorMessage": "boom"}, "Unhandled"

    Poller(_mapping(on_failure=queue), cloud).drain(invoke)

    assert [url for url, _ in cloud.sent] == ["https://sqs/indexer-failures", "https://sqs/indexer-failures"]
    first = cloud.sent[0][1]
    assert first["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert first["requestContext"]["functionArn"].endswith(":function:indexer")
    arrivals = {"approximateArrivalOfFirstRecord": 0, "approximateArrivalOfLastRecord": 0}
    assert first["DDBStreamBatchInfo"] | arrivals == {
        "shardId": "shard",
        "startSequenceNumber": "1",
        "endSequenceNumber": "2",
        "approximateArrivalOfFirstRecord": 0,
        "approximateArrivalOfLastRecord": 0,
        "batchSize": 2,
        "streamArn": ARN,
    }
    assert cloud.sent[1][1]["DDBStreamBatchInfo"]["startSequenceNumber"] == "3"


def test_without_a_destination_a_batch_given_up_is_only_dropped() -> None:
    cloud = FakeQueue([_record(1, "product")])
    Poller(_mapping(), cloud).drain(lambda event: ({"errorType": "KeyError"}, "Unhandled"))
    assert cloud.sent == []
