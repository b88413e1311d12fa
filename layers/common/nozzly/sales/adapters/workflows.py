"""The checkout saga's execution (CheckoutStateMachine): started once per checkout, resumed by payments.

The execution is named after the checkout, so starting it twice starts it once (Step Functions answers a
second StartExecution with the same name and input with the first execution).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client

# What SendTask* answers when the workflow no longer waits on that token (timed out, already resumed).
STALE_TOKEN_ERRORS = frozenset({"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"})


class ExecutionState(StrEnum):
    NEVER_STARTED = "never_started"
    RUNNING = "running"
    ENDED = "ended"


class CheckoutWorkflow:
    def __init__(self, state_machine_arn: str, payment_timeout_seconds: int) -> None:
        self.state_machine_arn = state_machine_arn
        self.payment_timeout_seconds = payment_timeout_seconds

    def start(self, store_id: str, checkout_id: str) -> None:
        sfn = client("stepfunctions")
        try:
            sfn.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=checkout_id,
                input=json.dumps(
                    {
                        "store_id": store_id,
                        "checkout_id": checkout_id,
                        # The payment task's TimeoutSecondsPath: how long the stock is held for the payment.
                        "payment_timeout_seconds": self.payment_timeout_seconds,
                        correlation.KEY: correlation.current_or_new(),
                    }
                ),
            )
        except sfn.exceptions.ExecutionAlreadyExists:
            return  # started already: this request is a retry

    def state(self, checkout_id: str) -> ExecutionState:
        """Whether the checkout's execution never started, still runs, or has ended (however it ended)."""
        sfn = client("stepfunctions")
        try:
            status = sfn.describe_execution(executionArn=self._execution_arn(checkout_id))["status"]
        except sfn.exceptions.ExecutionDoesNotExist:
            return ExecutionState.NEVER_STARTED
        return ExecutionState.RUNNING if status in ("RUNNING", "PENDING_REDRIVE") else ExecutionState.ENDED

    def stop(self, checkout_id: str, cause: str) -> None:
        sfn = client("stepfunctions")
        try:
            sfn.stop_execution(executionArn=self._execution_arn(checkout_id), error="Stranded", cause=cause)
        except sfn.exceptions.ExecutionDoesNotExist:
            return

    def _execution_arn(self, checkout_id: str) -> str:
        return f"{self.state_machine_arn.replace(':stateMachine:', ':execution:', 1)}:{checkout_id}"


class TaskTokens:
    """Resuming a workflow that waits for a payment (a task with `.waitForTaskToken`)."""

    def succeed(self, token: str, output: dict[str, Any]) -> bool:
        """False when nothing waits on the token any more (it timed out or was resumed already)."""
        return self._send("send_task_success", taskToken=token, output=json.dumps(output))

    def fail(self, token: str, error: str, cause: str) -> bool:
        return self._send("send_task_failure", taskToken=token, error=error, cause=cause)

    @staticmethod
    def _send(operation: str, **kwargs: Any) -> bool:
        sfn = client("stepfunctions")
        try:
            getattr(sfn, operation)(**kwargs)
        except sfn.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in STALE_TOKEN_ERRORS:
                return False
            raise
        return True
