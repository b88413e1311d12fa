"""One Lambda task of a state machine: the payload it accepts, the service call it makes, the result it answers.

Each step handler keeps one table of these (step name -> WorkflowStep), so the ASL file, the handler and the service
agree on payloads through models rather than by spelling; tests/static/test_workflow_contracts.py holds every ASL
file to its handler's table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

In = TypeVar("In", bound=BaseModel)


@dataclass(frozen=True)
class WorkflowStep(Generic[In]):
    input: type[In]
    call: Callable[[In], Mapping[str, Any]]
    output: type[BaseModel]

    def run(self, event: Mapping[str, Any]) -> dict[str, Any]:
        payload = self.input.model_validate(event)
        # Validated on the way out too: a key the service misspells fails this step, not a later state's JSONPath.
        return self.output.model_validate(self.call(payload)).model_dump(mode="json")


def run_step(steps: Mapping[str, WorkflowStep[Any]], event: Mapping[str, Any], workflow: str) -> dict[str, Any]:
    """The step the event names, run; an unknown step is a ValueError (Step Functions invocations, not HTTP)."""
    step = steps.get(str(event.get("step")))
    if step is None:
        raise ValueError(f"unknown {workflow} step {event.get('step')!r}")
    return step.run(event)
