"""The local cloud names a Lambda task's failure as Step Functions does, so a state machine's Retry matches it."""

from __future__ import annotations

import json

import pytest

from localcloud.bridge import task_error_payload

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("runtime_failure", ["Sandbox.Timedout", "Runtime.ExitError"])
def test_an_instance_that_timed_out_or_died_is_lambda_unknown(runtime_failure: str) -> None:
    payload = json.dumps({"errorType": runtime_failure, "errorMessage": "Task timed out after 30.00 seconds"})

    named = json.loads(task_error_payload(payload))

    assert named == {"errorType": "Lambda.Unknown", "errorMessage": "Task timed out after 30.00 seconds"}


@pytest.mark.parametrize("payload", ['{"errorType": "TransientConflict", "errorMessage": "x"}', "not json", "[1]"])
def test_an_error_the_handler_raised_keeps_its_own_name(payload: str) -> None:
    assert task_error_payload(payload) == payload
