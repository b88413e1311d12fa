"""A stream mapping's OnFailure destination, as Lambda's poller honours it: once a batch has used up its
retries, a notice naming the shard and the sequence numbers of the records given up goes to the SQS queue
(the records themselves stay in the stream, for a person to replay)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from localcloud.template import ACCOUNT_ID, REGION


def _when(record: dict[str, Any]) -> str:
    created = record["dynamodb"].get("ApproximateCreationDateTime") or datetime.now(UTC).timestamp()
    return datetime.fromtimestamp(float(created), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def notice(
    function_name: str,
    shard_id: str,
    stream_arn: str,
    records: list[dict[str, Any]],
    *,
    attempts: int,
    error: str | None,
) -> dict[str, Any]:
    """Lambda's invocation record for a DynamoDB stream batch that was given up."""
    return {
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function_name}",
            "condition": "RetryAttemptsExhausted",
            "approximateInvokeCount": attempts,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": error or "Unhandled"},
        "version": "1.0",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
            "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"],
            "approximateArrivalOfFirstRecord": _when(records[0]),
            "approximateArrivalOfLastRecord": _when(records[-1]),
            "batchSize": len(records),
            "streamArn": stream_arn,
        },
    }


def send(sqs: Any, queue_arn: str, body: dict[str, Any]) -> None:
    url = sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
