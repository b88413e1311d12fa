"""The local cloud's S3 additions: POST policies checked as S3 checks them, notifications from the template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from localcloud.s3_notifications import notification_configuration, s3_record
from localcloud.s3_post_policy import PolicyRefusal, check
from localcloud.template import LOCAL_PARAMETERS, transformed

pytestmark = pytest.mark.unit
BUCKET = "nozzly-images-123456789012-us-east-1"
KEY = "uploads/store/product/abc"


def _presigned(expires_in: int = 900) -> dict[str, str]:
    s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    post = s3.generate_presigned_post(
        Bucket=BUCKET,
        Key=KEY,
        Fields={"Content-Type": "image/png"},
        Conditions=[{"Content-Type": "image/png"}, ["content-length-range", 1, 100]],
        ExpiresIn=expires_in,
    )
    fields: dict[str, str] = post["fields"]
    return fields


def _refusal(form: dict[str, str], size: int = 50, now: datetime | None = None) -> PolicyRefusal:
    with pytest.raises(PolicyRefusal) as refused:
        check(form, BUCKET, size, now)
    return refused.value


def test_a_form_as_presigned_passes() -> None:
    check(_presigned(), BUCKET, 50)
    check(_presigned(), BUCKET, 100)


def test_a_file_outside_the_length_range_is_refused_as_s3_does() -> None:
    too_large = _refusal(_presigned(), size=101)
    assert (too_large.status, too_large.code) == (400, "EntityTooLarge")
    assert "<MaxSizeAllowed>100</MaxSizeAllowed>" in too_large.xml()
    assert _refusal(_presigned(), size=0).code == "EntityTooSmall"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Content-Type": "text/html"}, 'Policy Condition failed: ["eq", "$content-type", "image/png"]'),
        ({"key": "uploads/store/product/other"}, "Policy Condition failed"),
        ({"acl": "public-read"}, "Extra input fields: acl"),
    ],
)
def test_a_form_breaking_the_policy_is_denied(changes: dict[str, str], message: str) -> None:
    refused = _refusal(_presigned() | changes)
    assert (refused.status, refused.code) == (403, "AccessDenied")
    assert message in refused.message


def test_an_expired_policy_is_denied() -> None:
    later = datetime.now(UTC) + timedelta(seconds=901)
    assert _refusal(_presigned(900), now=later).message == "Invalid according to Policy: Policy expired."


def test_a_form_without_policy_is_left_to_the_emulator() -> None:
    check({"key": KEY}, BUCKET, 10**9)


def test_the_bucket_notifies_the_image_processor_of_uploads_only() -> None:
    bucket: dict[str, Any] = transformed(parameters=LOCAL_PARAMETERS)["Resources"]["ImagesBucket"]
    config = notification_configuration(bucket["Properties"])
    assert config == {
        "LambdaFunctionConfigurations": [
            {
                "LambdaFunctionArn": {"Fn::GetAtt": ["ImageProcessor", "Arn"]},
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
            }
        ]
    }
    with pytest.raises(NotImplementedError):
        notification_configuration({"NotificationConfiguration": {"QueueConfigurations": []}})


def test_a_record_gets_the_fields_s3_sends_and_moto_leaves_out() -> None:
    class Bucket:
        is_versioned = True

    class Key:
        version_id = "v1"

    moto_record: dict[str, Any] = {
        "eventName": "ObjectCreated:Post",
        "s3": {"bucket": {"name": BUCKET, "arn": f"arn:aws:s3:::{BUCKET}"}, "object": {"key": KEY, "size": 5}},
    }
    record = s3_record(moto_record, Bucket(), Key())
    assert set(record) >= {"userIdentity", "requestParameters", "responseElements", "eventName", "s3"}
    assert record["s3"]["object"]["versionId"] == "v1"
    assert record["s3"]["object"]["sequencer"]
    assert record["s3"]["bucket"]["ownerIdentity"]["principalId"]
    assert moto_record["s3"]["object"] == {"key": KEY, "size": 5}  # moto's own record is left as it was
