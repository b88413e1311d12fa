"""S3 event notifications to Lambda, from the template's bucket NotificationConfiguration, as on AWS.

moto keeps a bucket's notification configuration and, on every object created, calls its own Lambda
backend, which without Docker cannot run anything, and builds a record that lacks fields S3 sends. Here
the configuration comes from the transformed template (SAM's `Type: S3` events become the bucket's
LambdaConfigurations), and each matching event goes to the functions process as an asynchronous invocation
(Lambda's retries included), with the record S3 would send.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from localcloud.bridge import post_invoke


def notification_configuration(props: dict[str, Any]) -> dict[str, Any] | None:
    """A CloudFormation bucket's NotificationConfiguration in the S3 API's shape; None if it has none."""
    config = props.get("NotificationConfiguration")
    if not config:
        return None
    unsupported = set(config) - {"LambdaConfigurations"}
    if unsupported:  # never silently absent locally
        raise NotImplementedError(f"the local cloud cannot deliver bucket notifications {sorted(unsupported)} yet")
    lambdas = []
    for entry in config.get("LambdaConfigurations", []):
        converted: dict[str, Any] = {"LambdaFunctionArn": entry["Function"], "Events": [entry["Event"]]}
        rules = entry.get("Filter", {}).get("S3Key", {}).get("Rules", [])
        if rules:
            converted["Filter"] = {"Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}}
        lambdas.append(converted)
    return {"LambdaFunctionConfigurations": lambdas}


def configure(s3: Any, bucket: str, props: dict[str, Any]) -> None:
    config = notification_configuration(props)
    if config is not None:
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)


def s3_record(moto_record: dict[str, Any], bucket: Any, key: Any) -> dict[str, Any]:
    """The record S3 sends (notification-content-structure, version 2.1), from moto's partial one."""
    record = dict(moto_record)
    record |= {
        "userIdentity": {"principalId": "AWS:LOCAL"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": secrets.token_hex(8).upper(), "x-amz-id-2": secrets.token_hex(32)},
    }
    s3 = dict(record["s3"])
    s3["bucket"] = dict(s3["bucket"]) | {"ownerIdentity": {"principalId": "LOCAL"}}
    s3["object"] = dict(s3["object"]) | {"sequencer": secrets.token_hex(9).upper()}
    if getattr(bucket, "is_versioned", False) and getattr(key, "version_id", None):
        s3["object"]["versionId"] = key.version_id
    record["s3"] = s3
    return record


def install(functions_url: str) -> None:
    from moto.s3 import notifications

    build_moto_event = notifications._get_s3_event

    def get_s3_event(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
        event = build_moto_event(event_name, bucket, key, notification_id)
        return {"Records": [s3_record(r, bucket, key) for r in event["Records"]]}

    def invoke_awslambda(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
        # S3 invokes Lambda asynchronously: the upload's answer never waits for the function.
        function_name = fn_arn.split(":")[6]
        post_invoke(functions_url, function_name, json.dumps(event_body).encode(), "Event")

    notifications._get_s3_event = get_s3_event
    notifications._invoke_awslambda = invoke_awslambda
