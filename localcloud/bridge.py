"""Patches that connect the emulator to the functions process, where the real handlers run.

moto's Lambda (without Docker) only echoes, and its EventBridge has no Lambda targets. Here both
forward to the functions process over loopback, speaking the Lambda Invoke API, so Step Functions
tasks, EventBridge rules and direct `lambda invoke` calls reach the handler the template names.
A handler's exception comes back as a Lambda function error, so ASL Retry/Catch behave as on AWS.
"""

from __future__ import annotations

import copy
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from localcloud.workers import REQUEST_LIMIT, request_too_large_message

FUNCTION_ERROR_HEADER = "x-amz-function-error"
# What Lambda itself reports when an instance timed out or died (not an exception the handler raised). Step
# Functions names every such failure `Lambda.Unknown`, which is what a state machine's Retry matches.
RUNTIME_FAILURES = frozenset({"Sandbox.Timedout", "Runtime.ExitError"})
UNREACHABLE_WAIT = 60.0  # seconds an invocation waits for a functions process that refuses connections


def invoke_url(functions_url: str, function_name: str) -> str:
    return f"{functions_url}/2015-03-31/functions/{function_name}/invocations"


def post_invoke(
    functions_url: str, function_name: str, payload: bytes, invocation_type: str
) -> tuple[bytes, str | None]:
    """POST an invocation to the functions process; returns (payload, function error or None)."""
    request = urllib.request.Request(
        invoke_url(functions_url, function_name),
        data=payload,
        method="POST",
        headers={"X-Amz-Invocation-Type": invocation_type, "Content-Type": "application/json"},
    )
    deadline = time.monotonic() + UNREACHABLE_WAIT
    while True:
        try:
            with urllib.request.urlopen(request, timeout=900) as response:
                return response.read(), response.headers.get(FUNCTION_ERROR_HEADER)
        except urllib.error.HTTPError as exc:
            return exc.read(), exc.headers.get(FUNCTION_ERROR_HEADER) or "Unhandled"
        except OSError as exc:
            if _refused(exc) and time.monotonic() < deadline:
                # Not one byte reached a function: the functions process is being started again (by `make run`'s
                # supervisor) or the stack is stopping. Lambda's service outlives its sandboxes, so wait.
                time.sleep(0.25)
                continue
            body = {"errorType": "Lambda.ServiceException", "errorMessage": f"functions process unreachable: {exc}"}
            return json.dumps(body).encode(), "Unhandled"


def _refused(error: OSError) -> bool:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return isinstance(reason, ConnectionRefusedError)


def sync_invoker(functions_url: str, function_name: str) -> Callable[[dict[str, Any]], tuple[Any, str | None]]:
    """A synchronous invocation as an event source mapping's poller makes one: (result, function error or None)."""

    def invoke(event: dict[str, Any]) -> tuple[Any, str | None]:
        payload, error = post_invoke(functions_url, function_name, json.dumps(event).encode(), "RequestResponse")
        try:
            return json.loads(payload or b"null"), error
        except ValueError:
            return None, error or "Unhandled"

    return invoke


def eventbridge_payload(event: dict[str, Any]) -> dict[str, Any]:
    """The event as EventBridge hands it to a Lambda target."""
    delivered = {k: v for k, v in event.items() if k != "ingestion-time"}
    if isinstance(delivered.get("time"), int | float):
        delivered["time"] = datetime.fromtimestamp(delivered["time"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return delivered


def target_input(target: dict[str, Any], event: dict[str, Any]) -> Any:
    """Apply a target's Input / InputPath / InputTransformer, as EventBridge does."""
    if "Input" in target:
        return json.loads(target["Input"])
    if "InputPath" in target:
        value: Any = event
        for part in target["InputPath"].lstrip("$").strip(".").split("."):
            value = value[part] if part else value
        return value
    if "InputTransformer" in target:
        from moto.events.models import EventTemplateParser

        transformer = target["InputTransformer"]
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,
        )
    return event


def task_error_payload(payload: str) -> str:
    """A Lambda task's error payload as Step Functions names it: a runtime failure becomes `Lambda.Unknown`."""
    try:
        error = json.loads(payload)
    except ValueError:
        return payload
    if isinstance(error, dict) and error.get("errorType") in RUNTIME_FAILURES:
        return json.dumps(error | {"errorType": "Lambda.Unknown"})
    return payload


def _name_runtime_failures_as_step_functions_does() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_lambda as service,
    )

    original = service.StateTaskServiceLambda._from_error

    def from_error(self: Any, env: Any, ex: Exception) -> Any:
        if isinstance(ex, lambda_eval_utils.LambdaFunctionErrorException):
            ex = lambda_eval_utils.LambdaFunctionErrorException(ex.function_error, task_error_payload(ex.payload))
        return original(self, env, ex)

    service.StateTaskServiceLambda._from_error = from_error


def install(functions_url: str) -> None:
    from moto.awslambda.exceptions import LambdaClientError
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.events.models import Rule
    from moto.utilities.arns import parse_arn

    def invoke(  # noqa: PLR0917 - moto's signature
        self: Any, function_name: str, qualifier: str | None, body: Any, headers: Any, response_headers: Any
    ) -> bytes:
        function = self.get_function(function_name, qualifier)  # unknown function: ResourceNotFound, as on AWS
        payload = body.encode() if isinstance(body, str) else (body or b"{}")
        invocation_type = headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type == "RequestResponse" and len(payload) > REQUEST_LIMIT:
            refused = LambdaClientError("RequestEntityTooLargeException", request_too_large_message())
            refused.code = 413
            raise refused
        result, error = post_invoke(functions_url, function.function_name, payload, invocation_type)
        if error:
            response_headers[FUNCTION_ERROR_HEADER] = error
        response_headers["Content-Length"] = str(len(result))
        return result

    original_send = Rule.send_to_targets

    def send_to_targets(self: Any, original_event: dict[str, Any], transform_input: bool = True) -> None:
        if getattr(self, "state", "ENABLED") != "ENABLED" or not self.event_pattern.matches_event(original_event):
            return
        lambda_targets = [t for t in self.targets if parse_arn(t["Arn"]).service == "lambda"]
        event = eventbridge_payload(original_event)
        for target in lambda_targets:
            name = parse_arn(target["Arn"]).resource_id.split(":")[0]
            # EventBridge invokes Lambda asynchronously: the functions process queues and retries it.
            post_invoke(functions_url, name, json.dumps(target_input(target, event)).encode(), "Event")
        others = [t for t in self.targets if t not in lambda_targets]
        if others:
            rest = copy.copy(self)
            rest.targets = others
            original_send(rest, original_event, transform_input)

    LambdaSimpleBackend.invoke = invoke
    Rule.send_to_targets = send_to_targets
    _name_runtime_failures_as_step_functions_does()
