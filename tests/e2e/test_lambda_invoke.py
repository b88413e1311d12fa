"""The Lambda Invoke API of the emulator reaches the real handlers (boto3, as any AWS tool would call it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from localcloud.template import ROOT
from tests.e2e.conftest import http_request

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e

EVENTS = ROOT / "events"


def invoke(cloud: LocalCloud, logical_id: str, payload: Any, **kwargs: Any) -> tuple[dict[str, Any], Any]:
    response: dict[str, Any] = cloud.client("lambda").invoke(
        FunctionName=cloud.names[logical_id], Payload=json.dumps(payload).encode(), **kwargs
    )
    raw = response["Payload"].read()
    return response, json.loads(raw) if raw else None


def test_a_handler_exception_is_a_function_error(local_cloud: LocalCloud) -> None:
    response, payload = invoke(local_cloud, "CatalogImport", {"step": "nope"})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "ValueError"
    assert "nope" in payload["errorMessage"]
    assert isinstance(payload["stackTrace"], list)


def test_an_http_function_answers_an_http_api_event(local_cloud: LocalCloud) -> None:
    event = json.loads(Path(EVENTS / "health_live.json").read_text())
    response, payload = invoke(local_cloud, "Health", event)
    assert "FunctionError" not in response
    assert payload["statusCode"] == 200
    assert json.loads(payload["body"])["status"] == "ok"


def test_asynchronous_invocation_is_accepted(local_cloud: LocalCloud) -> None:
    event = json.loads(Path(EVENTS / "health_live.json").read_text())
    response, _ = invoke(local_cloud, "Health", event, InvocationType="Event")
    assert response["StatusCode"] == 202


def test_unknown_function_is_resource_not_found(local_cloud: LocalCloud) -> None:
    with pytest.raises(ClientError) as caught:
        local_cloud.client("lambda").invoke(FunctionName="nozzly-NoSuchFunction", Payload=b"{}")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_an_event_over_6_mb_is_request_entity_too_large(local_cloud: LocalCloud) -> None:
    """Lambda refuses a synchronous event over 6,291,556 bytes before any instance runs it."""
    event = json.loads(Path(EVENTS / "health_live.json").read_text())
    event["body"] = "x" * 6_291_556
    with pytest.raises(ClientError) as caught:
        invoke(local_cloud, "Health", event)
    assert caught.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "6291556 bytes" in caught.value.response["Error"]["Message"]


def test_the_functions_process_refuses_an_oversized_event_itself(local_cloud: LocalCloud) -> None:
    """Its own Invoke API (what the emulator and the pollers call) answers as Lambda does, without running anything."""
    event = json.loads(Path(EVENTS / "health_live.json").read_text())
    event["body"] = "x" * 6_291_556
    url = f"{local_cloud.api_url}/_local/lambda/2015-03-31/functions/{local_cloud.names['Health']}/invocations"
    response = http_request(url, "POST", {"Content-Type": "application/json"}, json.dumps(event).encode())
    assert response.status == 413
    assert response.headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
    assert "6291556 bytes" in response.json()["message"]
