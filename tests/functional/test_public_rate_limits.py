"""Per-IP limits of the public routes (nozzly.traffic through nozzly.api): the template's PublicRateLimits,
100 a minute per route group by default, counted in the identity table; 429 with Retry-After above it."""

from __future__ import annotations

import json

import pytest

from localcloud.template import LOCAL_PARAMETERS
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]

LIMIT = json.loads(dict(LOCAL_PARAMETERS)["PublicRateLimits"])["default"]
ALICE_IP, BOB_IP = "203.0.113.7", "198.51.100.23"


def _live(cloud: Cloud, ip: str, claims: dict[str, str] | None = None) -> tuple[int, dict[str, str], object]:
    response = cloud.http("Health", api_event("GET /health/live", source_ip=ip, claims=claims))
    return response.status, response.headers, response.body


def test_an_address_over_the_limit_gets_429_with_retry_after_and_others_do_not(cloud: Cloud) -> None:
    assert LIMIT == 100  # the local stack runs the template's default

    answers = [_live(cloud, ALICE_IP)[0] for _ in range(LIMIT)]
    status, headers, body = _live(cloud, ALICE_IP)

    assert answers == [200] * LIMIT
    assert status == 429
    assert 1 <= int(headers["retry-after"]) <= 60
    assert isinstance(body, dict) and body["error"]["code"] == "too_many_requests"
    assert "100 requests a minute" in body["error"]["message"]
    assert _live(cloud, BOB_IP)[0] == 200  # per address
    counter = cloud.client("dynamodb").query(
        TableName=cloud.names["IdentityTable"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"RATE#health#{ALICE_IP}"}},
    )["Items"]
    assert [c["count"]["N"] for c in counter] == [str(LIMIT)]  # the refused request was not counted


def test_a_signed_in_caller_is_not_counted_per_address(cloud: Cloud) -> None:
    claims = {"sub": "alice", "token_use": "access"}
    statuses = {_live(cloud, ALICE_IP, claims)[0] for _ in range(LIMIT + 5)}

    assert statuses == {200}
