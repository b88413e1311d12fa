"""Optional Sentry: off without a DSN; with one, read from SSM by name, reporting through the AWS Lambda integration
and sending nothing personal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import sentry_sdk
from moto import mock_aws
from sentry_sdk.transport import Transport

from nozzly import observability
from nozzly.kernel.adapters import aws, secrets

pytestmark = pytest.mark.unit

PARAMETER = "/nozzly/observability/sentry-dsn"
DSN = "https://0123456789abcdef@o1.ingest.sentry.io/42"


@pytest.fixture
def ssm(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        for forget in (
            aws.client.cache_clear,
            secrets._provider.cache_clear,
            observability.error_reporting.cache_clear,
        ):
            forget()
        yield boto3.client("ssm", region_name="us-east-1")
    for forget in (aws.client.cache_clear, secrets._provider.cache_clear, observability.error_reporting.cache_clear):
        forget()
    sentry_sdk.get_global_scope().set_client(None)  # no client again for whatever runs next in this process


class Recorded(Transport):
    """A transport that keeps what the SDK would send (no network)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.events += [item.payload.json for item in envelope.items if item.type == "event"]


def test_without_a_dsn_parameter_nothing_reports(ssm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(observability.SENTRY_DSN_PARAMETER, "")
    assert observability.error_reporting() is False
    assert not sentry_sdk.get_client().is_active()


def test_a_named_parameter_that_does_not_exist_leaves_it_off(ssm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(observability.SENTRY_DSN_PARAMETER, PARAMETER)
    assert observability.error_reporting() is False
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_errors_go_to_sentry_through_the_lambda_integration(
    ssm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ssm.put_parameter(Name=PARAMETER, Value=DSN, Type="String")
    monkeypatch.setenv(observability.SENTRY_DSN_PARAMETER, PARAMETER)
    monkeypatch.setenv("SENTRY_ENVIRONMENT", "nozzly-staging")

    @observability.lambda_entry
    def handler(event: dict[str, Any], context: Any) -> Any:
        return event

    client = sentry_sdk.get_client()
    assert client.is_active()
    options = client.options
    assert (options["dsn"], options["environment"]) == (DSN, "nozzly-staging")
    assert "aws_lambda" in client.integrations  # installed (outside Lambda it finds no runtime to wrap)
    collected = options["data_collection"]
    assert collected["user_info"] is False and collected["http_bodies"] == []
    assert collected["stack_frame_variables"] is False and collected["cookies"]["mode"] == "off"


def test_a_reported_error_carries_no_local_variables(ssm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ssm.put_parameter(Name=PARAMETER, Value=DSN, Type="String")
    monkeypatch.setenv(observability.SENTRY_DSN_PARAMETER, PARAMETER)
    recorded = Recorded()
    init = sentry_sdk.init
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: init(**options, transport=recorded))
    assert observability.error_reporting() is True

    def place_order(email: str) -> None:
        shopper_email = email
        raise RuntimeError(f"cannot place the order ({len(shopper_email)})")

    try:
        place_order("@".join(("ada", "example.com")))  # a value at run time, not a literal of the source
    except RuntimeError:
        sentry_sdk.capture_exception()
    (event,) = recorded.events
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
    assert "ada@example.com" not in str(event)


def test_an_http_functions_unexpected_500_is_reported_without_its_query(
    ssm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An HTTP function answers an unexpected error with a 500 instead of failing the invocation: sentry-sdk's
    FastAPI integration (enabled with it) reports it."""
    from fastapi import APIRouter
    from fastapi.testclient import TestClient

    from nozzly.api import build_app

    ssm.put_parameter(Name=PARAMETER, Value=DSN, Type="String")
    monkeypatch.setenv(observability.SENTRY_DSN_PARAMETER, PARAMETER)
    recorded = Recorded()
    init = sentry_sdk.init
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: init(**options, transport=recorded))
    assert observability.error_reporting() is True
    router = APIRouter()

    @router.get("/orders/{order}")
    def broken(order: str) -> None:
        raise RuntimeError("the order could not be read")

    token = "-".join(("recovery", "token"))  # a value at run time, not a literal of the source
    response = TestClient(build_app("test", [router]), raise_server_exceptions=False).get(f"/orders/o-1?token={token}")
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal_error"
    (event,) = recorded.events
    assert "the order could not be read" in str(event["exception"])
    assert token not in str(event)
