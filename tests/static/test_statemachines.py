"""Every state machine's ASL file: present, valid JSON, substitutions in sync, transitions closed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from localcloud.template import ROOT, load_sam

pytestmark = pytest.mark.static

MACHINES = {lid: r for lid, r in load_sam()["Resources"].items() if r["Type"] == "AWS::Serverless::StateMachine"}
PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
TERMINAL_TYPES = {"Succeed", "Fail", "Choice"}


def asl_text(logical_id: str) -> str:
    uri = MACHINES[logical_id]["Properties"].get("DefinitionUri")
    assert isinstance(uri, str), f"{logical_id}: DefinitionUri must name a local ASL file, got {uri!r}"
    path = ROOT / uri
    assert path.is_file(), f"{logical_id}: {uri} does not exist"
    return path.read_text()


def asl_problems(block: dict[str, Any], where: str = "$") -> list[str]:
    """Broken transitions in one States scope and, recursively, in every nested Map/Parallel scope."""
    states = block.get("States")
    if not isinstance(states, dict) or not states:
        return [f"{where}: no States"]
    problems = []
    if block.get("StartAt") not in states:
        problems.append(f"{where}: StartAt {block.get('StartAt')!r} is not a state")
    for name, state in states.items():
        here = f"{where}.{name}"
        kind = state.get("Type")
        targets = [("Next", state.get("Next")), ("Default", state.get("Default"))]
        targets += [("Catch Next", catch.get("Next")) for catch in state.get("Catch", [])]
        targets += [("Choice Next", choice.get("Next")) for choice in state.get("Choices", [])]
        problems += [
            f"{here}: {label} {target!r} is not a state in this scope"
            for label, target in targets
            if target is not None and target not in states
        ]
        if kind not in TERMINAL_TYPES and state.get("End") is not True and "Next" not in state:
            problems.append(f"{here}: {kind} state has neither Next nor End")
        if state.get("End") is True and "Next" in state:
            problems.append(f"{here}: has both End and Next")
        if kind == "Map":
            processor = state.get("ItemProcessor") or state.get("Iterator") or {}
            problems += asl_problems(processor, f"{here}.ItemProcessor")
        if kind == "Parallel":
            branches = state.get("Branches") or [{}]
            for i, branch in enumerate(branches):
                problems += asl_problems(branch, f"{here}.Branches[{i}]")
    return problems


def test_the_template_has_state_machines() -> None:
    assert MACHINES


@pytest.mark.parametrize("logical_id", sorted(MACHINES))
def test_definition_is_a_json_object(logical_id: str) -> None:
    definition = json.loads(asl_text(logical_id))
    assert isinstance(definition, dict)
    assert "StartAt" in definition and "States" in definition


@pytest.mark.parametrize("logical_id", sorted(MACHINES))
def test_placeholders_match_definition_substitutions(logical_id: str) -> None:
    placeholders = set(PLACEHOLDER.findall(asl_text(logical_id)))
    keys = set(MACHINES[logical_id]["Properties"].get("DefinitionSubstitutions", {}))
    assert not placeholders - keys, f"placeholders with no DefinitionSubstitutions entry: {placeholders - keys}"
    assert not keys - placeholders, f"DefinitionSubstitutions never used by the ASL: {keys - placeholders}"


@pytest.mark.parametrize("logical_id", sorted(MACHINES))
def test_transitions_name_existing_states(logical_id: str) -> None:
    problems = asl_problems(json.loads(asl_text(logical_id)))
    assert not problems, "\n".join(problems)


def test_the_checker_finds_broken_transitions() -> None:
    broken = {
        "StartAt": "Missing",
        "States": {
            "A": {"Type": "Task", "Next": "Nowhere", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]},
            "B": {"Type": "Pass"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "Void"}], "Default": "Nil"},
            "D": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": {
                    "StartAt": "I",
                    "States": {
                        "I": {"Type": "Task", "Next": "A"},  # A lives in the outer scope, not the Map's
                    },
                },
            },
            "E": {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Wait"}}}]},
            "F": {"Type": "Map", "Next": "B", "Iterator": {"StartAt": "X", "States": {}}},
            "G": {"Type": "Pass", "End": True, "Next": "B"},
            "H": {"Type": "Succeed"},
            "J": {"Type": "Fail"},
        },
    }
    problems = "\n".join(asl_problems(broken))
    for expected in (
        "$: StartAt 'Missing'",
        "$.A: Next 'Nowhere'",
        "$.A: Catch Next 'Gone'",
        "$.B: Pass state has neither Next nor End",
        "$.C: Choice Next 'Void'",
        "$.C: Default 'Nil'",
        "$.D.ItemProcessor.I: Next 'A'",
        "$.E.Branches[0].P: Wait state has neither Next nor End",
        "$.F.ItemProcessor: no States",
        "$.G: has both End and Next",
    ):
        assert expected in problems, f"{expected!r} not reported in:\n{problems}"
    assert "$.H" not in problems and "$.J" not in problems
    assert "$.C: Choice state has neither" not in problems


# Lambda's own failures, which a retry can cure (Lambda.Unknown: the instance timed out or died).
LAMBDA_FAILURES = {"Lambda.ServiceException", "Lambda.Unknown", "Lambda.TooManyRequestsException"}


def task_problems(block: dict[str, Any], timeouts: dict[str, int], where: str = "$") -> list[str]:
    """Tasks that could wait forever or give up on a failure a retry cures, in every scope."""
    problems = []
    for name, state in block.get("States", {}).items():
        here = f"{where}.{name}"
        for nested in [state.get("ItemProcessor") or state.get("Iterator"), *state.get("Branches", [])]:
            problems += task_problems(nested, timeouts, here) if nested else []
        if state.get("Type") != "Task":
            continue
        resource = str(state.get("Resource", ""))
        waits_for_token = resource.endswith(".waitForTaskToken")
        if "TimeoutSeconds" not in state and "TimeoutSecondsPath" not in state:
            problems.append(f"{here}: no TimeoutSeconds: a task that never answers would hold the execution forever")
        retried = {error for retrier in state.get("Retry", []) for error in retrier.get("ErrorEquals", [])}
        if "States.ALL" in retried:
            continue
        if ":lambda:" in resource and not retried >= LAMBDA_FAILURES:
            problems.append(f"{here}: Retry misses {sorted(LAMBDA_FAILURES - retried)}")
        # A payment's own timeout ends the wait for good; any other step timed out is worth another try.
        if not waits_for_token and "States.Timeout" not in retried:
            problems.append(f"{here}: Retry misses States.Timeout")
        function = PLACEHOLDER.search(json.dumps(state.get("Parameters", {}).get("FunctionName", "")))
        limit = timeouts.get(function.group(1)) if function else None
        if limit is not None and not waits_for_token and state.get("TimeoutSeconds", 0) <= limit:
            problems.append(f"{here}: TimeoutSeconds must exceed the function's Timeout ({limit} s)")
    return problems


def function_timeouts(logical_id: str) -> dict[str, int]:
    """Each `${...FunctionArn}` placeholder of the machine -> that function's Timeout in the template."""
    resources = load_sam()["Resources"]
    default = int(load_sam().get("Globals", {}).get("Function", {}).get("Timeout", 3))
    found = {}
    for key, value in MACHINES[logical_id]["Properties"].get("DefinitionSubstitutions", {}).items():
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            function = target[0] if isinstance(target, list) else str(target).split(".")[0]
            found[key] = int(resources[function]["Properties"].get("Timeout", default))
        elif isinstance(value, dict) and str(value.get("Ref", "")).endswith(".Alias"):  # a gradually deployed one
            function = str(value["Ref"]).removesuffix(".Alias")
            found[key] = int(resources[function]["Properties"].get("Timeout", default))
    return found


@pytest.mark.parametrize("logical_id", sorted(MACHINES))
def test_every_task_has_a_timeout_and_retries_lambdas_own_failures(logical_id: str) -> None:
    problems = task_problems(json.loads(asl_text(logical_id)), function_timeouts(logical_id))
    assert not problems, "\n".join(problems)


def test_the_task_checker_finds_tasks_that_could_hang_or_give_up() -> None:
    lambda_task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    machine = {
        "States": {
            "NoTimeout": lambda_task | {"Retry": [{"ErrorEquals": ["States.ALL"]}]},
            "NoRetry": lambda_task | {"TimeoutSeconds": 60},
            "Short": lambda_task
            | {
                "TimeoutSeconds": 5,
                "Parameters": {"FunctionName": "${StepsArn}"},
                "Retry": [{"ErrorEquals": [*LAMBDA_FAILURES, "States.Timeout"]}],
            },
            "Waits": lambda_task
            | {"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "TimeoutSecondsPath": "$.t"},
        }
    }
    problems = "\n".join(task_problems(machine, {"StepsArn": 30}))
    assert "$.NoTimeout: no TimeoutSeconds" in problems
    assert "$.NoRetry: Retry misses ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'" in problems
    assert "$.NoRetry: Retry misses States.Timeout" in problems
    assert "$.Short: TimeoutSeconds must exceed the function's Timeout (30 s)" in problems
    assert "$.Waits: Retry misses ['Lambda" in problems
    assert "$.Waits: Retry misses States.Timeout" not in problems
