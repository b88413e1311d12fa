"""SQS event source mappings, run locally the way Lambda's SQS poller runs them.

Each `AWS::Lambda::EventSourceMapping` of the transformed template whose source is an SQS queue (SAM's
`Type: SQS` events) gets a poller in the emulator process. It receives up to BatchSize messages (the queue's
own DelaySeconds and visibility timeout hold, as moto implements them), invokes the function synchronously
through the functions process with Lambda's SQS event shape, then deletes what succeeded: every message when
the function returned, all but the `batchItemFailures` with ReportBatchItemFailures, none when it raised (they
come back after the visibility timeout, and the queue's redrive policy applies).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localcloud import deployment
from localcloud.clients import ClientFactory
from localcloud.intrinsics import Resolver
from localcloud.template import ACCOUNT_ID, REGION

log = logging.getLogger("localcloud.queues")
POLL_INTERVAL = 0.2  # seconds between looks at an idle queue

# (event) -> (result payload, function error or None): a synchronous invocation of the mapped function.
Invoke = Callable[[dict[str, Any]], tuple[Any, str | None]]


@dataclass(frozen=True, slots=True)
class QueueMapping:
    logical_id: str
    function_name: str
    queue_arn: str
    batch_size: int = 10
    report_item_failures: bool = False

    @property
    def queue_name(self) -> str:
        return self.queue_arn.rsplit(":", 1)[1]


def mappings(cfn: dict[str, Any], resolver: Resolver) -> list[QueueMapping]:
    found = []
    for logical_id, resource in cfn["Resources"].items():
        if resource["Type"] != "AWS::Lambda::EventSourceMapping":
            continue
        props = resolver.resolve(resource["Properties"])
        arn = str(props["EventSourceArn"])
        if ":sqs:" not in arn:
            continue
        found.append(
            QueueMapping(
                logical_id=logical_id,
                function_name=deployment.function_name(str(props["FunctionName"])),  # an alias invokes its function
                queue_arn=arn,
                batch_size=int(props.get("BatchSize", 10)),
                report_item_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
            )
        )
    return found


def lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """A ReceiveMessage message as Lambda delivers it."""
    body = str(message["Body"])
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": body,
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(body.encode()).hexdigest(),  # SQS's own
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def succeeded(result: Any, error: str | None, batch: list[dict[str, Any]], partial: bool) -> list[dict[str, Any]]:
    """The records of `batch` to delete after the invocation answered `result` (or failed with `error`)."""
    if error:
        return []
    failures = result.get("batchItemFailures") if partial and isinstance(result, dict) else None
    if not failures:
        return batch
    failed = {str(f.get("itemIdentifier")) for f in failures}
    if not failed <= {r["messageId"] for r in batch}:
        return []  # an identifier not in the batch: Lambda treats the whole batch as failed
    return [r for r in batch if r["messageId"] not in failed]


@dataclass
class Poller:
    mapping: QueueMapping
    client: ClientFactory
    peek: Callable[[], bool] | None = None  # anything on the queue, visible or not (no request); None: always ask
    url: str | None = None

    def poll_once(self, invoke: Invoke) -> int:
        """One receive and invocation; returns how many messages it handed to the function."""
        if self.peek is not None and not self.peek():
            return 0
        sqs = self.client("sqs")
        if self.url is None:
            self.url = sqs.get_queue_url(QueueName=self.mapping.queue_name)["QueueUrl"]
        messages = sqs.receive_message(
            QueueUrl=self.url,
            MaxNumberOfMessages=min(10, self.mapping.batch_size),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        batch = [lambda_record(m, self.mapping.queue_arn) for m in messages]
        result, error = invoke({"Records": batch})
        if error:
            log.warning(
                "%s: the function failed (%s); the batch returns after its visibility timeout",
                self.mapping.logical_id,
                error,
            )
        for record in succeeded(result, error, batch, self.mapping.report_item_failures):
            sqs.delete_message(QueueUrl=self.url, ReceiptHandle=record["receiptHandle"])
        return len(batch)


def _run(poller: Poller, invoke: Invoke) -> None:
    while True:
        try:
            if not poller.poll_once(invoke):
                time.sleep(POLL_INTERVAL)
        except Exception as exc:  # the queue is not provisioned yet, or the emulator is stopping
            log.debug("%s: %s", poller.mapping.logical_id, exc)
            time.sleep(1.0)


def _has_messages(queue_name: str) -> Callable[[], bool]:
    """Whether moto's queue holds any message (delayed and in flight included), read in this process: idle
    pollers then cost no HTTP request."""
    from moto.sqs.models import sqs_backends

    def any_message() -> bool:
        queue = sqs_backends[ACCOUNT_ID][REGION].queues.get(queue_name)
        return queue is None or bool(getattr(queue, "_messages", True))

    return any_message


def start(emulator_url: str, functions_url: str) -> None:
    """A poller per SQS mapping of the template, in daemon threads of the emulator process."""
    from localcloud.bridge import sync_invoker
    from localcloud.clients import aws_clients
    from localcloud.template import LOCAL_PARAMETERS, transformed

    cfn = transformed(parameters=LOCAL_PARAMETERS)
    client = aws_clients(emulator_url)
    for mapping in mappings(cfn, Resolver(cfn, dict(LOCAL_PARAMETERS))):
        invoke = sync_invoker(functions_url, mapping.function_name)
        poller = Poller(mapping, client, peek=_has_messages(mapping.queue_name))
        threading.Thread(target=_run, args=(poller, invoke), name=f"queue-{mapping.logical_id}", daemon=True).start()
