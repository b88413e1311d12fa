"""Starting the store provisioning workflow (StoreProvisioningStateMachine)."""

from __future__ import annotations

import json
from uuid import uuid4

from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client

MAX_EXECUTION_NAME = 80  # Step Functions' limit


class ProvisioningWorkflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, store_id: str, owner: str) -> str:
        """Start an execution; its name is unique (execution names are never reused) and tells the store."""
        suffix = f"-{uuid4().hex[:12]}"
        name = store_id[: MAX_EXECUTION_NAME - len(suffix)] + suffix
        payload = json.dumps(  # contracts.stores.WorkflowInput
            {"store_id": store_id, "owner": owner, correlation.KEY: correlation.current_or_new()}
        )
        response = client("stepfunctions").start_execution(
            stateMachineArn=self.state_machine_arn, name=name, input=payload
        )
        arn: str = response["executionArn"]
        return arn
