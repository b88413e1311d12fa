"""The one JSON error shape every endpoint answers with."""

from __future__ import annotations

from pydantic import BaseModel


class FieldError(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[FieldError] = []
    request_id: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail
