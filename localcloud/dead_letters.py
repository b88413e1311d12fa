"""A function's dead-letter queue, as Lambda uses it for an asynchronous invocation that failed every attempt:
the event itself goes to the queue, with RequestID, ErrorCode and ErrorMessage as message attributes."""

from __future__ import annotations

import json
import uuid
from typing import Any


def dead_letter_queues(cfn: dict[str, Any], resolve: Any) -> dict[str, str]:
    """The DeadLetterConfig target (a queue ARN) of each function that has one, by logical id."""
    return {
        logical_id: str(resolve(resource["Properties"]["DeadLetterConfig"]["TargetArn"]))
        for logical_id, resource in cfn["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Function" and "DeadLetterConfig" in resource.get("Properties", {})
    }


def send(sqs: Any, queue_arn: str, event: Any, error_message: str) -> None:
    url = sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
    sqs.send_message(
        QueueUrl=url,
        MessageBody=json.dumps(event),
        MessageAttributes={
            "RequestID": {"DataType": "String", "StringValue": str(uuid.uuid4())},
            "ErrorCode": {"DataType": "Number", "StringValue": "200"},
            "ErrorMessage": {"DataType": "String", "StringValue": (error_message or "Unhandled")[:1024]},
        },
    )
