"""The Console function as CloudFormation drives it: Create, Update and Delete of Custom::ConsoleFiles."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from localcloud.template import ROOT
from tests.functional.harness import Cloud

pytestmark = pytest.mark.functional

SITE = ROOT / "functions" / "console" / "site"


class Answers:
    """CloudFormation's side of the presigned ResponseURL: collects each PUT answer."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        answers = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers["content-length"])
                answers.received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/response"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def answers() -> Iterator[Answers]:
    found = Answers()
    try:
        yield found
    finally:
        found.server.shutdown()


def request(answers: Answers, kind: str, bucket: str, physical_id: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "RequestType": kind,
        "ResponseURL": answers.url,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/nozzly/abc",
        "RequestId": f"req-{kind}",
        "ResourceType": "Custom::ConsoleFiles",
        "LogicalResourceId": "ConsoleFiles",
        "ResourceProperties": {
            "ServiceToken": "arn",
            "Bucket": bucket,
            "MediaSources": "https://img.example",
            "LiveUrl": "wss://live.example/live",
        },
    }
    if physical_id:
        event["PhysicalResourceId"] = physical_id
    return event


def console_keys(cloud: Cloud, bucket: str) -> set[str]:
    listed = cloud.client("s3").list_objects_v2(Bucket=bucket, Prefix="console")
    return {o["Key"] for o in listed.get("Contents", [])}


def site_files() -> set[str]:
    return {p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file()}


def test_a_deploy_publishes_the_site_and_a_stack_deletion_empties_it(cloud: Cloud, answers: Answers) -> None:
    bucket = cloud.names["ConsoleBucket"]
    s3 = cloud.client("s3")

    cloud.invoke("Console", request(answers, "Create", bucket))

    [created] = answers.received
    assert created["Status"] == "SUCCESS" and created["PhysicalResourceId"] == f"{bucket}/console"
    assert (created["RequestId"], created["LogicalResourceId"]) == ("req-Create", "ConsoleFiles")
    expected = {f"console/{name}" for name in site_files()} | {"console", "console/"}
    assert console_keys(cloud, bucket) == expected
    index = s3.get_object(Bucket=bucket, Key="console/")
    assert index["ContentType"] == "text/html; charset=utf-8"
    body = index["Body"].read()
    assert b"img-src 'self' data: blob: https://img.example" in body
    assert b'<meta name="nozzly-live" content="wss://live.example/live">' in body
    app = s3.get_object(Bucket=bucket, Key="console/app.js")
    assert app["ContentType"] == "text/javascript; charset=utf-8" and app["CacheControl"] == "no-cache"
    assert app["Body"].read() == (SITE / "app.js").read_bytes()

    # A release that dropped a module leaves no stale copy behind.
    s3.put_object(Bucket=bucket, Key="console/lib/gone.js", Body=b"old")
    cloud.invoke("Console", request(answers, "Update", bucket, f"{bucket}/console"))
    assert answers.received[-1]["Status"] == "SUCCESS"
    assert "console/lib/gone.js" not in console_keys(cloud, bucket)

    cloud.invoke("Console", request(answers, "Delete", bucket, f"{bucket}/console"))
    assert answers.received[-1]["Status"] == "SUCCESS"
    assert console_keys(cloud, bucket) == set()


def test_a_failure_is_answered_with_its_reason_so_the_stack_does_not_hang(cloud: Cloud, answers: Answers) -> None:
    cloud.invoke("Console", request(answers, "Create", "no-such-bucket-here"))

    [failed] = answers.received
    assert failed["Status"] == "FAILED"
    assert "NoSuchBucket" in failed["Reason"]
