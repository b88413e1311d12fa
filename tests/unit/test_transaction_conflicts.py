"""How a cancelled TransactWriteItems reaches the caller: a failed condition names its parts; a transaction
cancelled by a concurrent one (real DynamoDB's `TransactionConflict`) is a retryable 409, never a 500."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from fastapi import APIRouter
from mangum import Mangum

from localcloud.apigw import build_event
from localcloud.routes import Match
from localcloud.template import Route
from nozzly.api import build_app
from nozzly.kernel.adapters.unit_of_work import ConcurrentTransaction, Transaction, WriteConflict

pytestmark = pytest.mark.unit

PUT = {"Put": {"TableName": "t", "Item": {"pk": {"S": "a"}, "sk": {"S": "b"}}}}
UPDATE = {
    "Update": {
        "TableName": "t",
        "Key": {"pk": {"S": "s"}, "sk": {"S": "SEQUENCE#order"}},
        "UpdateExpression": "ADD n :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}},
    }
}


def cancelled_commit(*codes: str) -> None:
    client = boto3.client("dynamodb", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_client_error(
            "transact_write_items",
            service_error_code="TransactionCanceledException",
            http_status_code=400,
            response_meta={},
            modeled_fields={"CancellationReasons": [{"Code": c} for c in codes]},
        )
        Transaction(client).add("order", PUT).add("counter", UPDATE).commit()


def test_a_failed_condition_names_its_part() -> None:
    with pytest.raises(WriteConflict) as raised:
        cancelled_commit("None", "ConditionalCheckFailed")
    assert raised.value.failed == frozenset({"counter"})


def test_a_concurrent_transaction_on_one_counter_is_a_retryable_conflict() -> None:
    with pytest.raises(ConcurrentTransaction) as raised:
        cancelled_commit("None", "TransactionConflict")
    assert raised.value.code == "conflict"
    assert raised.value.retry_after == 1
    assert not isinstance(raised.value, WriteConflict)  # no part failed: callers must not judge a condition


def test_a_failed_condition_wins_over_a_concurrent_transaction() -> None:
    with pytest.raises(WriteConflict) as raised:
        cancelled_commit("ConditionalCheckFailed", "TransactionConflict")
    assert raised.value.failed == frozenset({"order"})


def test_throttling_stays_the_sdk_error() -> None:
    with pytest.raises(ClientError):
        cancelled_commit("None", "ThrottlingError")


router = APIRouter()


@router.post("/orders")
def create_order() -> dict[str, str]:
    raise ConcurrentTransaction()


def test_the_api_answers_409_conflict_with_retry_after() -> None:
    event = build_event(
        Match(Route("POST", "/orders", "Orders"), {}),
        method="POST",
        raw_path="/orders",
        raw_query="",
        headers=[("content-type", "application/json")],
        body=b"{}",
        source_ip="127.0.0.1",
        host="127.0.0.1:3000",
        request_id="REQ1",
    )
    result: dict[str, Any] = Mangum(build_app("orders", [router]), lifespan="off")(event, None)  # type: ignore[arg-type]
    assert result["statusCode"] == 409
    assert result["headers"]["retry-after"] == "1"
    error = json.loads(result["body"])["error"]
    assert error["code"] == "conflict"
    assert "retry" in error["message"]
