"""The checkout saga's task payloads (statemachines/checkout.asl.json) and what each step answers.

Every `*In` model is a Task state's `Payload` (its keys, `.$` stripped); every `*Out` model is what the step returns,
which later states read by JSONPath (`$.reserve.result.held`, `$.order.result.order_number`, ...). The Out models
keep the services' JSON shapes exactly: the ASL's Choice states and putEvents details depend on them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from nozzly.payments.domain.payments import PaymentStatus
from nozzly.sales.domain.carts import CartOwner
from nozzly.sales.domain.checkout import CheckoutStatus, PaymentMethod


class _Contract(BaseModel):
    # Both ways: a key the ASL or the service misspells is an error, never a field silently left out.
    model_config = ConfigDict(extra="forbid")


class _CheckoutStep(_Contract):
    store_id: str = Field(min_length=1)
    checkout_id: str = Field(min_length=1)


class CartRef(_Contract):
    """The cart the checkout came from, at the version it was checked out: cleared only if still that version."""

    owner: CartOwner
    owner_id: str = Field(min_length=1)
    version: int


class CheckoutOutcome(_Contract):
    """What reserve and abandon answer: what later states need, so they need not read the checkout again (never
    the card token)."""

    status: CheckoutStatus
    held: bool = Field(description="Stock is held: the Reserved? Choice goes on to the payment (or the order).")
    payment_method: PaymentMethod
    reason: str | None
    amount: int = Field(description="The total in minor units, the payment's amount.")
    currency: str
    cart: CartRef


class CaughtError(BaseModel):
    """A Catch's output: the failed state's error name and cause."""

    model_config = ConfigDict(extra="allow")  # Step Functions may add to it; only these two are read

    Error: str
    Cause: str | None = None


# ---- reserve
class ReserveIn(_CheckoutStep):
    step: Literal["reserve"]


ReserveOut = CheckoutOutcome


# ---- start_payment (AwaitPayment, .waitForTaskToken: its result is what the token is resumed with)
class StartPaymentIn(_CheckoutStep):
    step: Literal["start_payment"]
    task_token: str = Field(min_length=1)
    reserved: CheckoutOutcome = Field(description="The reserve step's outcome.")


class StartPaymentOut(_Contract):
    payment_status: PaymentStatus
    payment_id: str


# ---- place_order
class PlaceOrderIn(_CheckoutStep):
    step: Literal["place_order"]


class PlaceOrderOut(_Contract):
    order_id: str
    order_number: int


# ---- clear_cart
class ClearCartIn(_CheckoutStep):
    step: Literal["clear_cart"]
    cart: CartRef


class ClearCartOut(_Contract):
    cleared: bool = Field(description="False: the shopper changed the cart meanwhile, and their new lines stay.")


# ---- abandon
class AbandonIn(_CheckoutStep):
    step: Literal["abandon"]
    error: CaughtError | None = Field(default=None, description="The Catch output; none from the recovery sweep.")


AbandonOut = CheckoutOutcome


# ---- recover (the schedule's sweep of stranded checkouts)
class RecoverIn(_Contract):
    step: Literal["recover"]


class RecoverOut(RootModel[dict[str, int]]):
    """How many stranded checkouts met each outcome (started, running, compensated, ended, left_for_next_run)."""


# ---- the execution's input (sales/adapters/workflows.py starts it), which every state reads from
class CheckoutExecutionInput(_Contract):
    store_id: str = Field(min_length=1)
    checkout_id: str = Field(min_length=1)
    payment_timeout_seconds: int = Field(gt=0, description="AwaitPayment's TimeoutSecondsPath: how long stock is held.")
    correlation_id: str = Field(min_length=1, description="The id the logs of the work that started this share.")
