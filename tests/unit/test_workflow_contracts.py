"""The step handlers' boundary: a malformed payload, an unknown step or a misspelled result fails the step loudly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from pydantic import ValidationError

from localcloud.openapi_export import load_app_module
from localcloud.template import ROOT
from nozzly.kernel.contracts.workflow_steps import WorkflowStep, run_step
from nozzly.orders.adapters.fulfilment_workflow import execution_input
from nozzly.orders.contracts.fulfilment_workflow import CommitIn, FulfilmentExecutionInput
from nozzly.orders.domain.orders import Fulfilment, FulfilmentLine
from nozzly.sales.contracts.checkout_workflow import AbandonIn, CheckoutOutcome, RecoverOut

pytestmark = pytest.mark.unit

IDS = {"store_id": "mystmereforge", "checkout_id": "chk_1"}
OUTCOME = {
    "status": "reserved",
    "held": True,
    "payment_method": "square_card",
    "reason": None,
    "amount": 2500,
    "currency": "EUR",
    "cart": {"owner": "guest", "owner_id": "s-1", "version": 3},
}


def checkout_steps() -> dict[str, WorkflowStep[Any]]:
    table: dict[str, WorkflowStep[Any]] = load_app_module(ROOT / "functions" / "checkout_steps").steps()
    return table


def answering(step: str, result: dict[str, Any]) -> dict[str, WorkflowStep[Any]]:
    """The handler's table, with the step's service call answering `result` (no AWS behind it)."""
    table = dict(checkout_steps())
    table[step] = replace(table[step], call=lambda payload: result)
    return table


def test_a_step_answers_the_services_json_shape_unchanged() -> None:
    assert run_step(answering("reserve", OUTCOME), {"step": "reserve"} | IDS, "checkout") == OUTCOME
    placed = {"order_id": "chk_1", "order_number": 1001}
    assert run_step(answering("place_order", placed), {"step": "place_order"} | IDS, "checkout") == placed
    swept = {"compensated": 2, "running": 1}
    assert run_step(answering("recover", swept), {"step": "recover"}, "checkout") == swept


def test_a_service_answering_a_misspelled_key_fails_the_step() -> None:
    with pytest.raises(ValidationError, match="order_number"):
        run_step(
            answering("place_order", {"order_id": "chk_1", "order_nubmer": 1001}),
            {"step": "place_order"} | IDS,
            "checkout",
        )


def test_a_payload_without_its_ids_is_a_validation_error_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="checkout_id"):
        run_step(answering("reserve", OUTCOME), {"step": "reserve", "store_id": "mystmereforge"}, "checkout")


def test_a_payload_key_the_step_does_not_know_is_refused() -> None:
    with pytest.raises(ValidationError, match="chekout_id"):
        run_step(answering("reserve", OUTCOME), {"step": "reserve", "chekout_id": "chk_1"} | IDS, "checkout")


def test_an_unknown_step_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown checkout step 'teleport'"):
        run_step(checkout_steps(), {"step": "teleport"} | IDS, "checkout")


def test_the_reserve_outcome_round_trips_as_start_payment_gets_it() -> None:
    assert CheckoutOutcome.model_validate(OUTCOME).model_dump(mode="json") == OUTCOME


def test_abandon_passes_the_catch_output_on_as_it_came() -> None:
    caught = AbandonIn.model_validate({"step": "abandon", "error": {"Error": "States.Timeout", "Cause": ""}} | IDS)
    assert caught.error is not None
    assert caught.error.model_dump(mode="json", exclude_unset=True) == {"Error": "States.Timeout", "Cause": ""}
    assert AbandonIn.model_validate({"step": "abandon", "error": None} | IDS).error is None


def test_a_fulfilment_needs_its_lines() -> None:
    fulfilment = {"id": "ful_1", "lines": [], "by": "owner"}
    with pytest.raises(ValidationError, match="lines"):
        CommitIn.model_validate({"step": "commit", "store_id": "s", "order_id": "o", "fulfilment": fulfilment})


def test_the_sweep_answers_counts_only() -> None:
    with pytest.raises(ValidationError):
        RecoverOut.model_validate({"started": "two"})


def test_the_fulfilment_workflow_is_started_with_what_its_input_model_says() -> None:
    fulfilment = Fulfilment("ful_1", (FulfilmentLine("anvil", "default", 2),), 0, "owner", "dhl", "JD01", None)
    # FulfilmentWorkflow.start adds the running work's correlation id to what execution_input builds.
    started = execution_input("mystmereforge", "ord_1", fulfilment) | {"correlation_id": "req-12345678"}
    assert FulfilmentExecutionInput.model_validate(started).model_dump(mode="json") == started
