"""Field types and PATCH-body helpers shared by the operators' catalog bodies (products, categories, brands)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from nozzly.kernel.domain.slugs import SLUG_PATTERN

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Name = Annotated[str, Field(min_length=1, max_length=120)]
# A version a client read and sends back as a condition; bounded so an absurd one is a 400, not DynamoDB's refusal.
Version = Annotated[int, Field(ge=0, le=10**15, description="If given, the change applies only to this version.")]
CLOSED = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


def set_fields(model: BaseModel) -> dict[str, Any]:
    """The fields a PATCH body names (version is a condition, not a change)."""
    return {name: getattr(model, name) for name in model.model_fields_set if name != "version"}


def no_nulls(model: BaseModel, clearable: frozenset[str]) -> None:
    nulls = sorted(n for n, v in set_fields(model).items() if v is None and n not in clearable)
    if nulls:
        raise ValueError(f"{nulls[0]} cannot be null")
