"""Executions running when the local cloud stops resume when it starts again (localcloud/executions.py), under
moto in-process with its ASL interpreter: a snapshot taken mid-execution, everything forgotten, restored.
Without resuming, the restored execution says RUNNING for ever; resumed, it enters the state it was in again
with that state's input and ends SUCCEEDED, its history continued, earlier states not run again."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.base_backend import BackendDict

from localcloud import executions, moto_pickle

pytestmark = pytest.mark.functional
REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/sfn"
# First adds to the input, Pause waits (the execution is in it when the snapshot is taken), Last adds again.
DEFINITION = {
    "StartAt": "First",
    "States": {
        "First": {"Type": "Pass", "Result": "first", "ResultPath": "$.first", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Last"},
        "Last": {"Type": "Pass", "Result": "last", "ResultPath": "$.last", "End": True},
    },
}


@pytest.fixture
def sfn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        executions.install()
        yield boto3.client("stepfunctions", region_name=REGION)
    executions.thaw()


def _forget_everything() -> None:
    for backend_dict in BackendDict._instances:
        dict.clear(backend_dict)


def _status(sfn: Any, arn: str) -> str:
    return str(sfn.describe_execution(executionArn=arn)["status"])


def _until_ended(sfn: Any, arn: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while _status(sfn, arn) == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.1)
    return _status(sfn, arn)


def _entered(sfn: Any, arn: str) -> list[str]:
    events = sfn.get_execution_history(executionArn=arn)["events"]
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]


def _paused_then_restored(sfn: Any) -> str:
    machine = sfn.create_state_machine(name="waits", definition=json.dumps(DEFINITION), roleArn=ROLE)
    arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="one", input='{"n": 1}')["executionArn"]
    deadline = time.monotonic() + 10
    while "Pause" not in _entered(sfn, arn) and time.monotonic() < deadline:
        time.sleep(0.05)
    executions.freeze()  # as the emulator stopping: Pause's thread is held where it is
    snapshot = moto_pickle.snapshot_backends()
    _forget_everything()
    executions.thaw()  # the old thread may go on in this process; it no longer belongs to any backend
    moto_pickle.restore_backends(snapshot)
    assert executions.note_restored() == 1
    return str(arn)


def test_a_restored_execution_without_resuming_stays_running(sfn: Any) -> None:
    arn = _paused_then_restored(sfn)

    time.sleep(3)  # well past Pause's 2 s

    assert _status(sfn, arn) == "RUNNING"
    assert _entered(sfn, arn) == ["First", "Pause"]
    executions._restored.clear()


def test_a_resumed_execution_enters_its_state_again_and_succeeds_with_the_whole_output(sfn: Any) -> None:
    arn = _paused_then_restored(sfn)

    assert executions.resume_restored() == [arn]

    assert _until_ended(sfn, arn) == "SUCCEEDED"
    output = json.loads(sfn.describe_execution(executionArn=arn)["output"])
    assert output == {"n": 1, "first": "first", "last": "last"}  # First's result kept, First not run again
    assert _entered(sfn, arn) == ["First", "Pause", "Pause", "Last"]
    ids = [e["id"] for e in sfn.get_execution_history(executionArn=arn)["events"]]
    assert ids == sorted(set(ids))  # one history, numbered on
    assert executions.resume_restored() == []  # once


def test_a_frozen_execution_enters_no_state_and_does_not_end(sfn: Any) -> None:
    machine = sfn.create_state_machine(name="frozen", definition=json.dumps(DEFINITION), roleArn=ROLE)
    arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], name="held")["executionArn"]
    deadline = time.monotonic() + 10
    while "Pause" not in _entered(sfn, arn) and time.monotonic() < deadline:
        time.sleep(0.05)

    executions.freeze()
    time.sleep(2.5)

    assert _status(sfn, arn) == "RUNNING" and _entered(sfn, arn) == ["First", "Pause"]
    executions.thaw()
    assert _until_ended(sfn, arn) == "SUCCEEDED"


def _event(kind: str, name: str, payload: Any = None) -> dict[str, Any]:
    if kind.endswith("Entered"):
        return {"type": kind, "stateEnteredEventDetails": {"name": name, "input": json.dumps(payload)}}
    return {"type": kind, "stateExitedEventDetails": {"name": name, "output": json.dumps(payload)}}


def test_the_resume_point_is_the_last_top_level_state_entered_with_its_input() -> None:
    assert executions.resume_point([{"type": "ExecutionStarted"}]) is None
    history = [
        _event("TaskStateEntered", "Reserve", {"a": 1}),
        _event("TaskStateExited", "Reserve", {"a": 2}),
        _event("TaskStateEntered", "AwaitPayment", {"a": 2}),
    ]
    assert executions.resume_point(history) == ("AwaitPayment", {"a": 2})
    # A Map's own states belong to it: a stop inside an iteration resumes the Map state with the Map's input.
    mapped = [
        _event("MapStateEntered", "EachStore", {"stores": [1, 2]}),
        _event("TaskStateEntered", "Research", {"store": 1}),
        _event("TaskStateExited", "Research", {}),
        _event("TaskStateEntered", "Research", {"store": 2}),
    ]
    assert executions.resume_point(mapped) == ("EachStore", {"stores": [1, 2]})
    after = [*mapped, _event("MapStateExited", "EachStore", {}), _event("PassStateEntered", "Tally", {"n": 2})]
    assert executions.resume_point(after) == ("Tally", {"n": 2})
