"""What template.yaml asks to be watched: its functions, failure queues, state machines, tables and HTTP API.

The monitoring stack (monitoring.yaml) holds one alarm set per resource named here, and the static tests check
both files against this reading, so a resource added to template.yaml without its alarms fails a test by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Watched:
    functions: tuple[str, ...]
    failure_queues: tuple[str, ...]  # dead-letter queues and failure destinations
    state_machines: tuple[str, ...]
    tables: tuple[str, ...]
    http_api: str


def _of_type(sam: dict[str, Any], *kinds: str) -> tuple[str, ...]:
    return tuple(lid for lid, r in sam["Resources"].items() if r["Type"] in kinds)


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _target(value: Any) -> str | None:
    """The logical id a failure setting points at (`!GetAtt Queue.Arn`), None for anything else."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        ref = value["Fn::GetAtt"]
        parts = ref.split(".") if isinstance(ref, str) else list(ref)
        return str(parts[0])
    return None


# Where a failed event or message goes: a queue's redrive target, a rule target's DLQ, a stream's or async
# invocation's OnFailure destination, a function's DeadLetterQueue.
_FAILURE_KEYS = {"deadLetterTargetArn", "DeadLetterConfig", "OnFailure", "DeadLetterQueue"}


def failure_queues(sam: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key, value in _walk(sam["Resources"]):
        if key not in _FAILURE_KEYS:
            continue
        setting = value if key == "deadLetterTargetArn" else value.get("Arn") or value.get("Destination")
        if key == "DeadLetterQueue":
            setting = value.get("TargetArn")
        target = _target(setting)
        if target and target not in found:
            found.append(target)
    queues = set(_of_type(sam, "AWS::SQS::Queue"))
    return tuple(sorted(q for q in found if q in queues))


def watched(sam: dict[str, Any]) -> Watched:
    apis = _of_type(sam, "AWS::Serverless::HttpApi")
    return Watched(
        functions=_of_type(sam, "AWS::Serverless::Function"),
        failure_queues=failure_queues(sam),
        state_machines=_of_type(sam, "AWS::Serverless::StateMachine"),
        tables=_of_type(sam, "AWS::DynamoDB::Table"),
        http_api=apis[0],
    )
