"""Import runs in the stores table: pk `{store}`, sk `IMPORT#{import id}`; attributes source_url, status,
steps (a map step -> state), attempt, product_slug, needs_copy, ai_tokens, error, created_by, created_at.

Created with `attribute_not_exists(pk)` (one run per store and source), restarted only from `failed`, and
every step's mark conditioned on the run still running, so a late retry cannot revive a failed run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.imports.domain.import_runs import STEPS, ImportRun, RunStatus, StepState
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.unit_of_work import Write

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _key(store_id: str, import_id: str) -> dict[str, Any]:
    return {"pk": {"S": store_id}, "sk": {"S": f"IMPORT#{import_id}"}}


def _item(run: ImportRun) -> dict[str, Any]:
    return _key(run.store_id, run.import_id) | {
        "type": {"S": "import"},
        "source_url": {"S": run.source_url},
        "status": {"S": run.status.value},
        "attempt": {"N": str(run.attempt)},
        "steps": {"M": {step: {"S": state.value} for step, state in run.steps.items()}},
        "product_slug": {"S": run.product_slug},
        "needs_copy": {"BOOL": run.needs_copy},
        "ai_tokens": {"N": str(run.ai_tokens)},
        "error": {"S": run.error},
        "created_by": {"S": run.created_by},
        "created_at": {"N": str(run.created_at)},
    }


def _run(item: dict[str, Any]) -> ImportRun:
    steps = {name: StepState(value["S"]) for name, value in item["steps"]["M"].items()}
    return ImportRun(
        store_id=item["pk"]["S"],
        import_id=item["sk"]["S"].removeprefix("IMPORT#"),
        source_url=item["source_url"]["S"],
        status=RunStatus(item["status"]["S"]),
        created_by=item["created_by"]["S"],
        created_at=int(item["created_at"]["N"]),
        attempt=int(item["attempt"]["N"]),
        steps={s: steps.get(s, StepState.PENDING) for s in STEPS},
        product_slug=item["product_slug"]["S"],
        needs_copy=item["needs_copy"]["BOOL"],
        ai_tokens=int(item["ai_tokens"]["N"]),
        error=item["error"]["S"],
    )


class ImportRunsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._dynamodb = dynamodb

    def get(self, store_id: str, import_id: str) -> ImportRun | None:
        item = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, import_id), ConsistentRead=True
        )
        return _run(item["Item"]) if "Item" in item else None

    def create_op(self, run: ImportRun) -> Write:
        """A new run, for a transaction that also takes its plan slot: fails when the source has a run."""
        return {"Put": {"TableName": self.table, "Item": _item(run), "ConditionExpression": "attribute_not_exists(pk)"}}

    def restart(self, failed: ImportRun, again: ImportRun) -> bool:
        """Replace a failed run by its next attempt; False when it is no longer that failed attempt."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=_item(again),
                ConditionExpression="#s = :failed AND attempt = :attempt",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":failed": {"S": RunStatus.FAILED.value},
                    ":attempt": {"N": str(failed.attempt)},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def mark_step(self, store_id: str, import_id: str, step: str, **fields: str | int | bool) -> None:
        """A step done (and what it learnt, e.g. product_slug), while the run is still running; else no-op."""
        sets = ["steps.#step = :done"]
        values: dict[str, Any] = {":done": {"S": StepState.DONE.value}, ":running": {"S": RunStatus.RUNNING.value}}
        names = {"#step": step, "#s": "status"}
        for n, (name, value) in enumerate(fields.items()):
            names[f"#f{n}"] = name
            sets.append(f"#f{n} = :f{n}")
            values[f":f{n}"] = (
                {"BOOL": value}
                if isinstance(value, bool)
                else {"N": str(value)}
                if isinstance(value, int)
                else {"S": value}
            )
        if step == STEPS[-1]:
            sets.append("#s = :succeeded")
            values[":succeeded"] = {"S": RunStatus.SUCCEEDED.value}
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(store_id, import_id),
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="#s = :running",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return

    def fail(self, store_id: str, import_id: str, step: str, error: str) -> None:
        """The run failed at `step` with `error` (for the owner), unless it already ended."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(store_id, import_id),
                UpdateExpression="SET #s = :failed, #e = :error, steps.#step = :failed_step, product_slug = :none",
                ConditionExpression="#s = :running",
                ExpressionAttributeNames={"#s": "status", "#step": step, "#e": "error"},
                ExpressionAttributeValues={
                    ":failed": {"S": RunStatus.FAILED.value},
                    ":failed_step": {"S": StepState.FAILED.value},
                    ":error": {"S": error[:500]},
                    ":running": {"S": RunStatus.RUNNING.value},
                    ":none": {"S": ""},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return
