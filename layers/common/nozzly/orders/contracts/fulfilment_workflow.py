"""The "fulfil order" workflow's task payloads (statemachines/fulfilment.asl.json) and what each step answers.

Every `*In` model is a Task state's `Payload` (its keys, `.$` stripped); every `*Out` model is what the step returns,
read by later states (Notify's ShipmentCreated detail reads `$.commit.result.*`). The `fulfilment` both steps get is
the execution's input as orders/adapters/fulfilment_workflow.py `execution_input` writes it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.orders.domain.orders import FulfilmentState, OrderStatus


class _Contract(BaseModel):
    # Both ways: a key the ASL or the service misspells is an error, never a field silently left out.
    model_config = ConfigDict(extra="forbid")


class FulfilmentLineRef(_Contract):
    product: str = Field(min_length=1)
    variant: str = Field(min_length=1)
    quantity: int = Field(ge=1)


class RequestedFulfilment(_Contract):
    id: str = Field(min_length=1)
    lines: list[FulfilmentLineRef] = Field(min_length=1)
    by: str = Field(min_length=1, description="Who asked for it (kept on the order's timeline).")
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None


class _FulfilmentStep(_Contract):
    store_id: str = Field(min_length=1)
    order_id: str = Field(min_length=1)
    fulfilment: RequestedFulfilment


# ---- commit
class CommitIn(_FulfilmentStep):
    step: Literal["commit"]


class CommitOut(_Contract):
    """The fulfilment as recorded on the order: Notify's ShipmentCreated detail."""

    fulfilment_id: str
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None


# ---- mark_shipped
class MarkShippedIn(_FulfilmentStep):
    step: Literal["mark_shipped"]


class MarkShippedOut(_Contract):
    status: OrderStatus
    fulfilment_state: FulfilmentState


# ---- the execution's input (orders/adapters/fulfilment_workflow.py `execution_input`), which every state reads from
class FulfilmentExecutionInput(_Contract):
    store_id: str = Field(min_length=1)
    order_id: str = Field(min_length=1)
    fulfilment: RequestedFulfilment
    correlation_id: str = Field(min_length=1, description="The id the logs of the work that started this share.")
