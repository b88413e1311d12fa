"""Starting BulkImportStateMachine: one execution per set of import attempts, named by the service after them.

A second StartExecution of the same name answers ExecutionAlreadyExists, which means the same bulk import runs
already: a repeated request starts nothing twice.
"""

from __future__ import annotations

import json
from typing import Any

from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client


class BulkImportWorkflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, name: str, store_id: str, items: list[dict[str, Any]]) -> None:
        sfn = client("stepfunctions")
        try:
            sfn.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=name,
                input=json.dumps({"store_id": store_id, "items": items, correlation.KEY: correlation.current_or_new()}),
            )
        except sfn.exceptions.ExecutionAlreadyExists:
            return
