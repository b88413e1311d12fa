"""The one JSON error shape every endpoint answers with."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    field: str
    message: str


class PlanLimitDetail(BaseModel):
    limit: str = Field(description="The plan limit reached, e.g. products_per_store.")
    usage: int = Field(description="How many the account or store holds now.")
    maximum: int = Field(description="What the current plan allows.")
    plan: str = Field(description="The account's plan.")
    upgrade_to: str | None = Field(description="The cheapest plan that would allow one more; null: none does.")


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[FieldError] = []
    allowed: list[str] | None = Field(
        default=None, description="An illegal status change: the statuses the order may move to (maybe none)."
    )
    plan_limit: PlanLimitDetail | None = Field(
        default=None, description="402 plan_limit_reached: which limit, its usage and the plan that would allow more."
    )
    request_id: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail
