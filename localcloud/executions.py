"""Step Functions executions that were running when the emulator stopped, resumed when it starts again.

moto runs each execution in a thread of the emulator (its ASL interpreter). A snapshot (persistence.py) keeps
the execution and its history but no thread: restored as it was, an execution would say RUNNING for ever, a
payment's SendTaskSuccess would answer 200 and move nothing, and only the checkout sweep's timeout would end
the checkout, compensated, long after.

Where the interpreter was inside a state (a Lambda call in flight, a retry's back-off, a callback's wait) is in
the thread's stack and cannot be saved. Which state it was in, and with what input, is in the history. So a
restored execution resumes by entering that state again with that input, under the same execution ARN, its
history continued: to the state this is a retry, as Step Functions makes after a failed attempt, and every state
of the template's workflows is built to be retried (a checkout step finds its own work done; the payment step
gets the same payment under its idempotency key and parks a new task token where the webhook looks for it).
States before it are not run again. Running the whole execution again from its input instead would repeat them,
and would fail a checkout whose order was placed just before the stop (its reserve step finds nothing held).

While the emulator stops, executions are frozen (`freeze`): no state is entered and no execution ends, so the
functions process going away first cannot push a workflow into its compensation before the snapshot is taken.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

# moto's interpreter: this module is loaded by the emulator only (and by a snapshot holding a ResumedWorker).
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext, EventManager
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

from localcloud.persistence import RESUME_PATH

log = logging.getLogger("localcloud.executions")
_NESTING = {"MapStateEntered": "MapStateExited", "ParallelStateEntered": "ParallelStateExited"}
_frozen = threading.Event()
_restored: list[Any] = []  # executions restored RUNNING, not resumed yet (this process started none of them)


def resume_point(history: Iterable[dict[str, Any]]) -> tuple[str, Any] | None:
    """The last state the execution entered at its top level, and that state's input; None before any state.

    States inside a Map or Parallel state are part of it: the point is the Map or Parallel state itself."""
    point: tuple[str, Any] | None = None
    inside: tuple[str, str] | None = None  # (the event that closes it, the state's name)
    for event in history:
        kind = str(event.get("type", ""))
        if inside is not None:
            details = event.get("stateExitedEventDetails") or {}
            if kind == inside[0] and details.get("name") == inside[1]:
                inside = None
            continue
        if kind.endswith("StateEntered"):
            details = event["stateEnteredEventDetails"]
            point = (details["name"], json.loads(details.get("input") or "{}"))
            if kind in _NESTING:
                inside = (_NESTING[kind], details["name"])
    return point


def freeze() -> None:
    """From now on no execution enters a state or ends: the emulator is stopping and saves what it has."""
    _frozen.set()


def thaw() -> None:
    """Let frozen executions go on (a test's; the emulator exits frozen)."""
    _frozen.clear()


def _hold_while_frozen() -> None:
    while _frozen.is_set():
        time.sleep(0.1)


def install() -> None:
    """Patch moto's interpreter so `freeze` holds every execution where it is (idempotent)."""
    from moto.stepfunctions.parser.asl.component.state.state import CommonStateField
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication

    if getattr(CommonStateField._eval_body, "holds_when_frozen", False):
        return
    enter = CommonStateField._eval_body
    end = BaseExecutionWorkerCommunication.terminated

    def entering(self: Any, env: Any) -> None:
        _hold_while_frozen()
        enter(self, env)

    def ending(self: Any) -> None:
        _hold_while_frozen()
        end(self)

    entering.holds_when_frozen = True  # type: ignore[attr-defined]
    CommonStateField._eval_body = entering
    BaseExecutionWorkerCommunication.terminated = ending


def _executions() -> list[Any]:
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    found = []
    for _, _, backend in stepfunctions_parser_backends.iter_backends():
        for machine in backend.state_machines:
            found.extend(machine.executions)
    return found


def note_restored() -> int:
    """Remember the executions a restored snapshot holds as running (call right after persistence.restore)."""
    _restored[:] = [e for e in _executions() if e.exec_status is not None and e.status == "RUNNING"]
    return len(_restored)


def resume_restored() -> list[str]:
    """Resume every execution noted by `note_restored`, once; their ARNs."""
    resumed = []
    while _restored:
        execution = _restored.pop(0)
        try:
            resume(execution)
        except Exception:  # one execution that cannot resume must not keep the others stopped
            log.exception("could not resume %s", execution.exec_arn)
            continue
        resumed.append(execution.exec_arn)
    return resumed


def resume(execution: Any) -> None:
    """Run a restored execution on from the state it was in (see the module's docstring)."""
    previous = execution.exec_worker
    env = getattr(previous, "env", None)
    history: EventManager = env.event_manager if env is not None else EventManager(cloud_watch_logging_session=None)
    point = resume_point(history.get_event_history())
    definition = json.loads(execution.state_machine.definition)
    start_at, state_input = point if point else (definition["StartAt"], execution.input_data)
    variables = getattr(env, "variable_store", None)
    fresh = execution._get_start_execution_worker()
    execution.exec_worker = ResumedWorker(fresh, start_at, state_input, history, variables)
    execution.exec_worker.start()
    log.warning("resumed %s at state %s", execution.exec_arn, start_at)


class ResumedWorker(ExecutionWorker):  # type: ignore[misc]  # moto is untyped
    """An execution's worker that starts at `start_at` with `state_input`, appending to `history`.

    A class of this module (not of a function) so the next snapshot pickles it."""

    def __init__(self, fresh: ExecutionWorker, start_at: str, state_input: Any, history: Any, variables: Any) -> None:
        super().__init__(
            evaluation_details=fresh._evaluation_details,
            exec_comm=fresh._execution_communication,
            cloud_watch_logging_session=fresh._cloud_watch_logging_session,
            activity_store=fresh._activity_store,
            mock_test_case=fresh._mock_test_case,
        )
        self.start_at = start_at
        self.state_input = state_input
        self.history = history
        self.variables = variables

    def start(self) -> None:
        # The environment exists before the thread does: SendTask* looks into every running execution's.
        definition = json.loads(self._evaluation_details.state_machine_details.definition)
        definition["StartAt"] = self.start_at
        program = AmazonStateLanguageParser.parse(json.dumps(definition))[0]
        env = self._get_evaluation_environment()
        env.event_manager = self.history
        events = self.history.get_event_history()
        env.event_history_context = EventHistoryContext(previous_event_id=events[-1]["id"] if events else 0)
        env.states.reset(self.state_input)
        if self.variables is not None:
            env.variable_store = self.variables
        self.env = env

        def run() -> None:
            program.eval(env)
            self._execution_communication.terminated()

        _thread(run)


def _thread(target: Callable[[], Any]) -> None:
    from moto.stepfunctions.parser.utils import TMP_THREADS

    thread = threading.Thread(target=target, daemon=True)
    TMP_THREADS.append(thread)
    thread.start()


def with_resume_route(app: Any) -> Any:
    """`POST <emulator>/_localcloud/executions/resume`: `make run` asks once its functions answer."""

    def resume_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") != RESUME_PATH or environ.get("REQUEST_METHOD") != "POST":
            return app(environ, start_response)
        body = json.dumps({"resumed": resume_restored()}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return resume_app
