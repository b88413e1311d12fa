"""Starting ProductImportStateMachine: one execution per run attempt, named after it.

Step Functions treats a second StartExecution with the same name and the same input as the first (it answers
the running execution), so a repeated request cannot start a second import of one attempt.
"""

from __future__ import annotations

import json

from nozzly.imports.domain.import_runs import ImportRun, execution_name
from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client


def execution_input(run: ImportRun, category: str, language: str) -> dict[str, str]:
    """contracts.import_steps: what the workflow's first states read."""
    return {
        "store_id": run.store_id,
        "import_id": run.import_id,
        "source_url": run.source_url,
        "category": category,
        "language": language,
        correlation.KEY: correlation.current_or_new(),
    }


class ImportWorkflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, run: ImportRun, category: str, language: str) -> None:
        payload = execution_input(run, category, language)
        sfn = client("stepfunctions")
        try:
            sfn.start_execution(
                stateMachineArn=self.state_machine_arn, name=execution_name(run), input=json.dumps(payload)
            )
        except sfn.exceptions.ExecutionAlreadyExists:
            return  # this attempt's execution runs already (a repeated request)
