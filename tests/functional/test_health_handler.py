"""GET /health/live and /health/ready through the Health function, against the provisioned template."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.template import load_sam
from tests.functional.harness import Cloud, load_event

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

# Readiness must cover every table and bucket the template declares, including ones added later.
STORAGE_TYPES = ("AWS::DynamoDB::Table", "AWS::S3::Bucket")
# The console's bucket is read by CloudFront alone: no function depends on it, so readiness does not probe it.
RESOURCES = {lid for lid, r in load_sam()["Resources"].items() if r["Type"] in STORAGE_TYPES and lid != "ConsoleBucket"}
TABLES = sorted(r for r in RESOURCES if r.endswith("Table"))


def _empty_versioned_bucket(cloud: Cloud) -> None:
    s3 = cloud.client("s3")
    listed = s3.list_object_versions(Bucket=cloud.bucket)
    doomed = [
        {"Key": v["Key"], "VersionId": v["VersionId"]}
        for v in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
    ]
    if doomed:
        s3.delete_objects(Bucket=cloud.bucket, Delete={"Objects": doomed})


def _health_event(path: str) -> dict[str, Any]:
    event = load_event("health_live.json")
    event["routeKey"] = event["requestContext"]["routeKey"] = f"GET {path}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    return event


@pytest.mark.parametrize("path", ["/health/live", "/health"])
def test_live_answers_ok_without_checking_anything(cloud: Cloud, path: str) -> None:
    response = cloud.http("Health", _health_event(path))

    assert response.status == 200
    assert response.body["status"] == "ok"
    assert response.body["failed"] == []
    assert response.headers["content-type"] == "application/json"


def test_live_event_file_is_the_live_route(cloud: Cloud) -> None:
    response = cloud.http("Health", load_event("health_live.json"))

    assert (response.status, response.body["status"]) == (200, "ok")


def test_ready_checks_every_table_and_the_images_bucket(cloud: Cloud) -> None:
    response = cloud.http("Health", load_event("health_ready.json"))

    assert response.status == 200
    assert response.body["status"] == "ok"
    assert set(response.body["checks"]) == RESOURCES
    assert all(check["status"] == "ok" for check in response.body["checks"].values())
    assert response.body["failed"] == []


def test_ready_fails_with_503_naming_a_missing_images_bucket(cloud: Cloud) -> None:
    # The bucket is versioned: every version (and delete marker) must go before the bucket can.
    cloud.stage_image("imports/mystmereforge/ember-longsword.png")
    cloud.stage_image("imports/mystmereforge/ember-longsword.png")
    _empty_versioned_bucket(cloud)
    cloud.client("s3").delete_bucket(Bucket=cloud.bucket)

    response = cloud.http("Health", load_event("health_ready.json"))

    assert response.status == 503
    assert response.body["status"] == "fail"
    assert response.body["failed"] == ["ImagesBucket"]
    assert response.body["checks"]["ImagesBucket"]["status"] == "fail"
    assert {n for n, c in response.body["checks"].items() if c["status"] == "ok"} == RESOURCES - {"ImagesBucket"}


@pytest.mark.parametrize("table", TABLES)
def test_ready_fails_with_503_naming_a_missing_table(cloud: Cloud, table: str) -> None:
    cloud.client("dynamodb").delete_table(TableName=cloud.names[table])

    response = cloud.http("Health", load_event("health_ready.json"))

    assert response.status == 503
    assert response.body["failed"] == [table]
    assert response.body["checks"][table]["status"] == "fail"
    assert "ResourceNotFoundException" in response.body["checks"][table]["detail"]


def test_ready_names_every_failed_check(cloud: Cloud) -> None:
    for table in ("CartsTable", "OrdersTable"):
        cloud.client("dynamodb").delete_table(TableName=cloud.names[table])

    response = cloud.http("Health", load_event("health_ready.json"))

    assert response.status == 503
    assert sorted(response.body["failed"]) == ["CartsTable", "OrdersTable"]
