"""The local cloud's SQS poller: which messages it deletes after an invocation, and the mappings it runs."""

from __future__ import annotations

from typing import Any

from localcloud import queues
from localcloud.intrinsics import Resolver
from localcloud.template import LOCAL_PARAMETERS, transformed


def batch(*ids: str) -> list[dict[str, Any]]:
    return [{"messageId": i, "receiptHandle": f"rh-{i}", "body": "{}"} for i in ids]


def test_a_returning_function_consumes_the_whole_batch() -> None:
    assert queues.succeeded({"batchItemFailures": []}, None, batch("a", "b"), partial=True) == batch("a", "b")
    assert queues.succeeded(None, None, batch("a"), partial=False) == batch("a")


def test_reported_failures_stay_on_the_queue() -> None:
    result = {"batchItemFailures": [{"itemIdentifier": "b"}]}
    assert queues.succeeded(result, None, batch("a", "b", "c"), partial=True) == batch("a", "c")


def test_failures_are_ignored_without_report_batch_item_failures() -> None:
    result = {"batchItemFailures": [{"itemIdentifier": "b"}]}
    assert queues.succeeded(result, None, batch("a", "b"), partial=False) == batch("a", "b")


def test_a_raising_function_or_an_unknown_identifier_keeps_everything() -> None:
    assert queues.succeeded(None, "Unhandled", batch("a", "b"), partial=True) == []
    unknown = {"batchItemFailures": [{"itemIdentifier": "zzz"}]}
    assert queues.succeeded(unknown, None, batch("a"), partial=True) == []


def test_the_records_have_lambdas_sqs_shape() -> None:
    message = {
        "MessageId": "m1",
        "ReceiptHandle": "rh",
        "Body": "hello",
        "Attributes": {"ApproximateReceiveCount": "1"},
    }
    record = queues.lambda_record(message, "arn:aws:sqs:us-east-1:123456789012:q")
    assert record["eventSource"] == "aws:sqs"
    assert (record["messageId"], record["body"], record["receiptHandle"]) == ("m1", "hello", "rh")
    assert record["md5OfBody"] == "5d41402abc4b2a76b9719d911017c592"


def test_the_template_maps_the_webhook_queue_to_the_sender() -> None:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    found = queues.mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS)))
    sender = [m for m in found if "WebhookSender" in m.function_name]
    assert len(sender) == 1
    assert sender[0].report_item_failures
    assert sender[0].batch_size == 5
