"""Step Functions' own integration (`arn:aws:states:::states:startExecution[.sync|.sync:2]`) in moto's ASL
interpreter, with the request and response cased as AWS cases them.

An ASL task names the API's parameters in PascalCase (`StateMachineArn`, `Name`, `Input`) and reads the answer in
PascalCase (`$.ExecutionArn`, `$.Status`, `$.Output`); the Step Functions API itself is camelCase. moto 5.2.5
took LocalStack's interpreter but left its two translation hooks (`_normalise_parameters`,
`_normalise_response`) empty, so botocore is handed `StateMachineArn` and the task fails with
`States.Runtime` ("'StateMachineArn'") before the child execution starts: BulkImportStateMachine's Map of
product imports never ran locally. Here the hooks of the Step Functions task translate through botocore's
model of the API, with the helpers moto kept (`_to_boto_request`, `_from_boto_response`). Other integrations are
left as moto has them (lambda:invoke goes through localcloud/bridge.py; events:putEvents is PascalCase on the
wire already). Proven by tests/functional/test_localcloud_step_functions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

PINNED_MOTO = "5.2.5"  # the interpreter whose empty hooks this fills; another version is left alone


@cache
def _operation(service: str, snake_action: str) -> Any:
    """botocore's model of one operation, found by its snake_case name (start_execution -> StartExecution)."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model(service)
    return next(model.operation_model(name) for name in model.operation_names if xform_name(name) == snake_action)


def install() -> Callable[[], None] | None:
    """Fill the Step Functions task's hooks. Returns the undo; None (moto left alone) for another version."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
        StateTaskServiceSfn,
    )

    parameters_before = StateTaskServiceSfn._normalise_parameters
    response_before = StateTaskServiceSfn._normalise_response

    def _normalise_parameters(
        self: Any,
        parameters: dict[str, Any],
        boto_service_name: str | None = None,
        service_action_name: str | None = None,
    ) -> None:
        parameters_before(self, parameters, boto_service_name, service_action_name)  # moto's: Input as a JSON string
        shape = _operation(
            self._get_boto_service_name(boto_service_name), self._get_boto_service_action(service_action_name)
        ).input_shape
        if shape is not None:
            self._to_boto_request(parameters, shape)

    def _normalise_response(
        self: Any, response: Any, boto_service_name: str | None = None, service_action_name: str | None = None
    ) -> None:
        response_before(self, response, boto_service_name, service_action_name)
        shape = _operation(
            self._get_boto_service_name(boto_service_name), self._get_boto_service_action(service_action_name)
        ).output_shape
        if shape is not None:
            self._from_boto_response(response, shape)

    StateTaskServiceSfn._normalise_parameters = _normalise_parameters
    StateTaskServiceSfn._normalise_response = _normalise_response

    def undo() -> None:
        StateTaskServiceSfn._normalise_parameters = parameters_before
        StateTaskServiceSfn._normalise_response = response_before

    return undo
