"""Shared by the tests of the local cloud's Step Functions patches: moto's interpreter with one patch
installed, and waiting for an execution to end."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from moto import mock_aws


@contextmanager
def interpreter(monkeypatch: pytest.MonkeyPatch, install: Callable[[], Callable[[], None] | None]) -> Iterator[Any]:
    """A Step Functions client of moto running ASL for real, with `install`'s patch in place (undone after)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    undo = install()
    assert undo is not None
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield boto3.client("stepfunctions")
    finally:
        undo()


def finished(sfn: Any, execution: str, within: float = 30) -> dict[str, Any]:
    """The execution's description once it is no longer RUNNING (or after `within` seconds)."""
    deadline = time.monotonic() + within
    described: dict[str, Any] = sfn.describe_execution(executionArn=execution)
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        described = sfn.describe_execution(executionArn=execution)
    return described
