"""Every Lambda task of every state machine against its function's dispatcher table (`steps()`).

The ASL file, the handler and the service agree on payloads only by spelling unless something holds them together:
here each Task's `Payload` keys must be the fields its step's input model accepts, its `step` must be in the table,
and every JSONPath the machine reads from a task's result (its ResultSelector, later Parameters, Choice variables,
putEvents details) must name a field of the step's output model.
"""

from __future__ import annotations

import copy
import json
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, RootModel

from localcloud.openapi_export import load_app_module
from localcloud.template import ROOT, load_sam

pytestmark = pytest.mark.static

SAM = load_sam()
MACHINES = {lid: r for lid, r in SAM["Resources"].items() if r["Type"] == "AWS::Serverless::StateMachine"}
PLACEHOLDER = re.compile(r"^\$\{([^}]*)\}$")
# Fields of a state that read the state's input by JSONPath (ResultPath writes; ResultSelector reads the result).
READING_PATHS = ("InputPath", "OutputPath", "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath")


@dataclass(frozen=True)
class LambdaTask:
    where: str  # $.State, or $.Map.ItemProcessor.State
    state: dict[str, Any]
    function: str  # the template's logical id

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = self.state.get("Parameters", {}).get("Payload", {})
        return payload

    @property
    def waits_for_token(self) -> bool:
        return str(self.state.get("Resource", "")).endswith(".waitForTaskToken")


def definition(machine: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / MACHINES[machine]["Properties"]["DefinitionUri"]).read_text())
    return loaded


def substituted_functions(machine: str) -> dict[str, str]:
    """`${Placeholder}` -> the logical id of the function it is the ARN (or the alias, `!Ref Fn.Alias`) of."""
    found = {}
    for key, value in MACHINES[machine]["Properties"].get("DefinitionSubstitutions", {}).items():
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found[key] = target[0] if isinstance(target, list) else str(target).split(".")[0]
        elif isinstance(value, dict) and str(value.get("Ref", "")).endswith(".Alias"):
            found[key] = str(value["Ref"]).removesuffix(".Alias")
    return found


def scopes(block: Mapping[str, Any], where: str = "$") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each States scope: the machine's, and every Map's and Parallel branch's (their data is their own)."""
    yield where, block.get("States", {})
    for name, state in block.get("States", {}).items():
        nested = state.get("ItemProcessor") or state.get("Iterator")
        if nested:
            yield from scopes(nested, f"{where}.{name}.ItemProcessor")
        for i, branch in enumerate(state.get("Branches", [])):
            yield from scopes(branch, f"{where}.{name}.Branches[{i}]")


def lambda_task(where: str, state: Mapping[str, Any], functions: Mapping[str, str]) -> LambdaTask | None:
    if state.get("Type") != "Task" or ":lambda:invoke" not in str(state.get("Resource", "")):
        return None
    placeholder = PLACEHOLDER.match(str(state.get("Parameters", {}).get("FunctionName", "")))
    function = functions.get(placeholder.group(1)) if placeholder else None
    return None if function is None else LambdaTask(where, dict(state), function)


def dispatcher(function: str) -> Mapping[str, Any]:
    """The function's dispatcher table: step name -> WorkflowStep (input model, service call, output model)."""
    module = load_app_module(ROOT / str(SAM["Resources"][function]["Properties"]["CodeUri"]))
    steps = getattr(module, "steps", None)
    assert callable(steps), f"{function}: its app.py has no dispatcher table steps()"
    table: Mapping[str, Any] = steps()
    return table


# ---- models
def field_names(model: type[BaseModel]) -> dict[str, bool]:
    """What the model accepts by name (its aliases where it has them) -> whether it is required."""
    return {info.alias or name: info.is_required() for name, info in model.model_fields.items()}


def _unwrapped(annotation: Any) -> Any:
    """`X | None`, `Optional[X]` and `Annotated[X, ...]` -> X; anything else as it is."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def missing_field(model: type[BaseModel], path: list[str]) -> str | None:
    """The first name of `path` the model (and the models of its fields) has no field for; None if all exist.
    Below a field that is no model (a dict, a list, Any) the path cannot be checked, and is taken as is."""
    current: Any = model
    for depth, name in enumerate(path):
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or issubclass(current, RootModel):
            return None
        fields = {info.alias or key: info for key, info in current.model_fields.items()}
        if name not in fields:
            return ".".join(path[: depth + 1])
        current = _unwrapped(fields[name].annotation)
    return None


# ---- JSONPath reads
def json_path(value: Any) -> list[str] | None:
    """`$.a.b` -> ["a", "b"]; `$` -> []; a context path (`$$.`), an intrinsic or anything else -> None."""
    if not isinstance(value, str) or not (value == "$" or value.startswith("$.")):
        return None
    return [part for part in value[2:].split(".") if part]


def template_reads(template: Any) -> Iterator[str]:
    """The JSONPaths a Parameters / ItemSelector / ResultSelector template reads (its `key.$` values)."""
    if isinstance(template, dict):
        for key, value in template.items():
            if key.endswith(".$") and isinstance(value, str):
                yield value
            else:
                yield from template_reads(value)
    elif isinstance(template, list):
        for item in template:
            yield from template_reads(item)


def choice_reads(rule: Mapping[str, Any]) -> Iterator[str]:
    if isinstance(rule.get("Variable"), str):
        yield rule["Variable"]
    for key, value in rule.items():
        if key.endswith("Path") and isinstance(value, str):  # StringEqualsPath and the like compare two paths
            yield value
    for nested in [*rule.get("And", []), *rule.get("Or", []), *([rule["Not"]] if "Not" in rule else [])]:
        yield from choice_reads(nested)


def state_reads(state: Mapping[str, Any]) -> Iterator[str]:
    """Every JSONPath the state reads from its input (not from its own result: ResultSelector is not here)."""
    yield from template_reads(state.get("Parameters", {}))
    yield from template_reads(state.get("ItemSelector", {}))
    yield from (str(state[key]) for key in READING_PATHS if isinstance(state.get(key), str))
    for rule in state.get("Choices", []):
        yield from choice_reads(rule)


def writers(states: Mapping[str, Any]) -> dict[tuple[str, ...], list[str]]:
    """Each ResultPath of the scope (a Catch's too) -> the states writing there."""
    found: dict[tuple[str, ...], list[str]] = {}
    for name, state in states.items():
        paths = [state.get("ResultPath", "$")] + [c.get("ResultPath", "$") for c in state.get("Catch", [])]
        for index, path in enumerate(paths):
            parts = json_path(path)
            if parts:  # `$` replaces the whole input and null discards the result: nothing reads those by name
                found.setdefault(tuple(parts), []).append(name if index == 0 else f"{name} Catch")
    return found


# ---- the checks
def result_problem(selector: Mapping[str, Any] | None, output: type[BaseModel], rest: list[str]) -> str | None:
    """`rest`: a path into what the task's state wrote at its ResultPath. None if the output model has it."""
    if selector is not None:
        if not rest:
            return None
        key = f"{rest[0]}.$"
        if key not in selector:
            return None if rest[0] in selector else f"its ResultSelector has no field {rest[0]!r}"
        inner = json_path(selector[key]) or []
        rest = inner + rest[1:]
    if not rest:
        return None
    if rest[0] != "Payload":
        return None if rest[0] in ("StatusCode", "ExecutedVersion") else f"a Lambda result has no {rest[0]!r}"
    missing = missing_field(output, rest[1:])
    return None if missing is None else f"{output.__name__} has no field {missing!r}"


Results = dict[str, tuple[Mapping[str, Any] | None, type[BaseModel]]]  # task -> (its ResultSelector, output model)


def task_problems(task: LambdaTask, name: str, results: Results) -> list[str]:
    """The task's Payload against its step's input model, its ResultSelector against the output model."""
    table = dispatcher(task.function)
    step = str(task.payload.get("step"))
    if step not in table:
        return [f"{task.where}: step {step!r} is not in {task.function}'s dispatcher table"]
    model: type[BaseModel] = table[step].input
    accepted = field_names(model)
    # The Lambda entry takes the correlation id out before the step's model sees the payload.
    sent = {key.removesuffix(".$") for key in task.payload} - {"correlation_id"}
    problems = [
        f"{task.where}: Payload field {k!r} is not a field of {model.__name__}" for k in sorted(sent - set(accepted))
    ]
    problems += [
        f"{task.where}: Payload misses {key!r}, required by {model.__name__}"
        for key in sorted(k for k, required in accepted.items() if required and k not in sent)
    ]
    if task.waits_for_token:
        return problems  # its result is what the token is resumed with, not what the step returns
    selector, output = task.state.get("ResultSelector"), table[step].output
    for read in template_reads(selector or {}):
        problem = result_problem(None, output, json_path(read) or [])
        problems += [f"{task.where}: ResultSelector reads {read}: {problem}"] if problem else []
    results[name] = (selector, output)
    return problems


def input_problem(execution_input: type[BaseModel] | None, path: list[str]) -> str | None:
    missing = missing_field(execution_input, path) if execution_input else None
    return (
        None if execution_input is None or missing is None else f"{execution_input.__name__} has no field {missing!r}"
    )


def read_problems(
    scope: str, states: Mapping[str, Any], results: Results, execution_input: type[BaseModel] | None = None
) -> list[str]:
    """Every JSONPath of the scope that reads a task's result, against that task's output model; every other one,
    against the model of the execution's input (when the scope's input is the execution's)."""
    problems = []
    written = writers(states)
    for reader, state in states.items():
        for read in state_reads(state):
            parts = json_path(read)
            if not parts:
                continue
            # The longest ResultPath the read is under is the one whose value it reads; none: the execution's input.
            under = max((p for p in written if tuple(parts[: len(p)]) == p), key=len, default=None)
            if under is None:
                problem = input_problem(execution_input, parts)
                problems += [f"{scope}.{reader}: reads {read}: {problem}"] if problem else []
                continue
            for writer in written[under]:
                if writer in results:
                    problem = result_problem(*results[writer], parts[len(under) :])
                    problems += [f"{scope}.{reader}: reads {read} from {writer}'s result: {problem}"] if problem else []
    return problems


def machine_problems(
    document: Mapping[str, Any], functions: Mapping[str, str], execution_input: type[BaseModel] | None = None
) -> list[str]:
    problems = []
    for scope, states in scopes(document):
        results: Results = {}
        for name, state in states.items():
            task = lambda_task(f"{scope}.{name}", state, functions)
            problems += task_problems(task, name, results) if task else []
        # A Map's or Parallel's states read what its ItemSelector or Parameters made, not the execution's input.
        problems += read_problems(scope, states, results, execution_input if scope == "$" else None)
    return problems


def execution_inputs() -> dict[str, type[BaseModel]]:
    """The model of what each state machine is started with, where the starter has one."""
    from nozzly.imports.contracts.import_steps import ImportExecutionInput
    from nozzly.orders.contracts.fulfilment_workflow import FulfilmentExecutionInput
    from nozzly.sales.contracts.checkout_workflow import CheckoutExecutionInput
    from nozzly.stores.contracts.stores import WorkflowInput

    return {
        "CheckoutStateMachine": CheckoutExecutionInput,
        "FulfilmentStateMachine": FulfilmentExecutionInput,
        "StoreProvisioningStateMachine": WorkflowInput,
        "ProductImportStateMachine": ImportExecutionInput,
    }


LAMBDA_MACHINES = sorted(
    m
    for m in MACHINES
    if any(
        lambda_task(w, s, substituted_functions(m)) for _, states in scopes(definition(m)) for w, s in states.items()
    )
)


def test_every_state_machine_invokes_a_step_function() -> None:
    assert sorted(MACHINES) == LAMBDA_MACHINES


@pytest.mark.parametrize("machine", LAMBDA_MACHINES)
def test_tasks_payloads_and_result_reads_match_the_step_contracts(machine: str) -> None:
    problems = machine_problems(definition(machine), substituted_functions(machine), execution_inputs().get(machine))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("machine", LAMBDA_MACHINES)
def test_every_step_of_a_dispatcher_table_has_models(machine: str) -> None:
    for function in set(substituted_functions(machine).values()) & set(SAM["Resources"]):
        if SAM["Resources"][function]["Type"] != "AWS::Serverless::Function":
            continue
        for name, step in dispatcher(function).items():
            assert issubclass(step.input, BaseModel) and issubclass(step.output, BaseModel), f"{function}: {name}"


# ---- the checker, on broken copies of the checkout machine
CHECKOUT = "CheckoutStateMachine"


def _set(document: dict[str, Any], path: list[str], value: Any, drop: str | None = None) -> None:
    target = document["States"]
    for key in path[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if drop is not None:
        del target[drop]
    target[path[-1]] = value


BREAKAGES = {
    "a renamed payload field": (
        ["Reserve", "Parameters", "Payload", "checkout.$"],
        "$.checkout_id",
        "checkout_id.$",
        [
            "$.Reserve: Payload field 'checkout' is not a field of ReserveIn",
            "$.Reserve: Payload misses 'checkout_id', required by ReserveIn",
        ],
    ),
    "a step the handler does not know": (
        ["PlaceOrder", "Parameters", "Payload", "step"],
        "place",
        None,
        ["$.PlaceOrder: step 'place' is not in CheckoutSteps's dispatcher table"],
    ),
    "a Choice on a field the step never answers": (
        ["Reserved?", "Choices", "0", "Variable"],
        "$.reserve.result.hold",
        None,
        ["$.Reserved?: reads $.reserve.result.hold from Reserve's result: CheckoutOutcome has no field 'hold'"],
    ),
    "an event detail read from a misspelt result": (
        ["AnnounceOrder", "Parameters", "Entries", "0", "Detail", "order_number.$"],
        "$.order.result.number",
        None,
        ["$.AnnounceOrder: reads $.order.result.number from PlaceOrder's result: PlaceOrderOut has no field 'number'"],
    ),
    "a nested field of a result": (
        ["ClearCart", "Parameters", "Payload", "cart.$"],
        "$.reserve.result.cart.owner_name",
        None,
        ["$.ClearCart: reads $.reserve.result.cart.owner_name from Reserve's result: CheckoutOutcome has no field"],
    ),
    "a ResultSelector reading past the Lambda result": (
        ["PlaceOrder", "ResultSelector", "result.$"],
        "$.Payload.order",
        None,
        ["$.PlaceOrder: ResultSelector reads $.Payload.order: PlaceOrderOut has no field 'order'"],
    ),
    "a misspelt field of the execution's input": (
        ["AwaitPayment", "TimeoutSecondsPath"],
        "$.payment_timeout",
        None,
        ["$.AwaitPayment: reads $.payment_timeout: CheckoutExecutionInput has no field 'payment_timeout'"],
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_the_checker_names_the_state_and_the_field_of_a_broken_machine(breakage: str) -> None:
    path, value, drop, expected = BREAKAGES[breakage]
    broken = copy.deepcopy(definition(CHECKOUT))
    _set(broken, path, value, drop)
    problems = "\n".join(machine_problems(broken, substituted_functions(CHECKOUT), execution_inputs()[CHECKOUT]))
    for message in expected:
        assert message in problems, f"{message!r} not reported in:\n{problems}"


def test_the_checker_leaves_paths_it_cannot_judge_alone() -> None:
    # The execution's input, a Catch's error and the whole result are not read from a step's answer.
    assert not machine_problems(definition(CHECKOUT), substituted_functions(CHECKOUT))
    assert missing_field(BaseModel, ["anything"]) is not None
    assert missing_field(RootModel[dict[str, int]], ["started"]) is None


def sample_step_events() -> list[tuple[str, str]]:
    """events/<function folder>_*.json files that are step payloads -> (file, the function's logical id)."""
    folders = {
        str(r["Properties"]["CodeUri"]).strip("/").split("/")[-1]: lid
        for lid, r in SAM["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function" and isinstance(r["Properties"].get("CodeUri"), str)
    }
    found = []
    for path in sorted((ROOT / "events").glob("*.json")):
        event = json.loads(path.read_text())
        owner = next((lid for folder, lid in folders.items() if path.stem.startswith(f"{folder}_")), None)
        if owner is not None and isinstance(event, dict) and "step" in event:
            found.append((path.name, owner))
    return found


@pytest.mark.parametrize(("sample", "function"), sample_step_events())
def test_sample_step_events_are_valid_payloads(sample: str, function: str) -> None:
    event = json.loads((ROOT / "events" / sample).read_text())
    table = dispatcher(function)
    assert event["step"] in table, f"{sample}: step {event['step']!r} is not in {function}'s dispatcher table"
    table[event["step"]].input.model_validate(event)


CORRELATION = "$$.Execution.Input.correlation_id"
STARTED_BY_PEOPLE = {"CatalogImportStateMachine"}  # README "To import a catalog on AWS": any JSON document


@pytest.mark.parametrize("machine", MACHINES)
def test_every_task_and_event_carries_the_executions_correlation_id(machine: str) -> None:
    """One id finds a checkout's whole story: every Lambda task and every event the workflow puts on the bus is
    handed the id its starter put in the execution's input (each starter's input model requires it). A machine a
    schedule or a person starts (the README's catalog import) has no starter of ours to add one: each execution's
    own name is its id, since a path the input lacks would fail the execution."""
    scheduled = bool(MACHINES[machine].get("Properties", {}).get("Events"))
    expected = "$$.Execution.Name" if scheduled or machine in STARTED_BY_PEOPLE else CORRELATION
    missing = []
    for scope, states in scopes(definition(machine)):
        for name, state in states.items():
            resource, parameters = str(state.get("Resource", "")), state.get("Parameters") or {}
            carriers = (
                [parameters.get("Payload") or {}]
                if resource.startswith("arn:aws:states:::lambda:invoke")
                else [e.get("Detail") or {} for e in parameters.get("Entries", [])]
                if resource == "arn:aws:states:::events:putEvents"
                else []
            )
            missing += [f"{scope}.{name}" for c in carriers if c.get("correlation_id.$") != expected]
    assert missing == []
    model = execution_inputs().get(machine)
    assert model is None or "correlation_id" in model.model_fields
