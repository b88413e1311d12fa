"""The one JSON error shape every endpoint answers with."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[FieldError] = []
    allowed: list[str] | None = Field(
        default=None, description="An illegal status change: the statuses the order may move to (maybe none)."
    )
    request_id: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail
