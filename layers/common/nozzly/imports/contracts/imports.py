"""The import routes' bodies and answers (the OpenAPI document is built from these)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nozzly.imports.domain.import_runs import STEPS, ImportRun
from nozzly.kernel.domain.slugs import SLUG_PATTERN

StepName = Literal["fetch", "copy", "images", "price", "create"]


class ImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_url: str = Field(
        min_length=8,
        max_length=2048,
        description="The supplier's product JSON (https; public addresses only).",
        examples=["https://supplier.example/products/EL-100.json"],
    )
    category: str = Field(pattern=SLUG_PATTERN, max_length=80, description="The category the draft goes in.")
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$", description="The copy's language.")


class ImportStepOut(BaseModel):
    step: StepName
    state: Literal["pending", "done", "failed"]


class ImportOut(BaseModel):
    id: str = Field(description="The same for every import of the same source into the store.")
    source_url: str
    status: Literal["running", "succeeded", "failed"]
    steps: list[ImportStepOut] = Field(description="fetch, copy, images, price, create: in order.")
    product: str | None = Field(description="The draft product's slug once known (GET .../products/{slug}).")
    needs_copy: bool = Field(description="The AI wrote no copy: the supplier's own words were kept.")
    ai_tokens: int = Field(description="Bedrock tokens this import spent (counted against the daily budget).")
    error: str | None = Field(description="Why the import failed; nothing half-made was left behind.")
    progress_url: str
    created_at: int


def import_out(run: ImportRun) -> ImportOut:
    return ImportOut(
        id=run.import_id,
        source_url=run.source_url,
        status=run.status.value,
        steps=[ImportStepOut(step=s, state=run.steps[s].value) for s in STEPS],
        product=run.product_slug or None,
        needs_copy=run.needs_copy,
        ai_tokens=run.ai_tokens,
        error=run.error or None,
        progress_url=f"/admin/stores/{run.store_id}/imports/{run.import_id}",
        created_at=run.created_at,
    )
