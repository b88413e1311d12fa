"""The research workflow's payloads: what each task of ResearchStateMachine accepts and answers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nozzly.kernel.domain.slugs import SLUG_PATTERN

Day = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The research day, UTC.")


class StoresStep(BaseModel):
    step: str = Field(pattern="^stores$")
    time: str = Field(description="The schedule's event time (ISO-8601 UTC): its date is the research day.")


class DueStores(BaseModel):
    day: str = Day
    stores: list[str]


class StoreStep(BaseModel):
    store_id: str = Field(pattern=SLUG_PATTERN)
    day: str = Day


class GatherStep(StoreStep):
    step: str = Field(pattern="^gather$")


class Gathered(BaseModel):
    candidates: int
    results: int
    signals: int
    failures: list[str]


class AnalyseStep(StoreStep):
    step: str = Field(pattern="^analyse$")


class AnalysedOut(BaseModel):
    done: int
    invalid: int
    unavailable: int
    budget: int
    tokens: int


class ReportStep(StoreStep):
    step: str = Field(pattern="^report$")


class Reported(BaseModel):
    outcome: str = Field(description="sent, off, empty, already (claimed before: nothing sent twice) or no_owner.")


class TallyStep(BaseModel):
    step: str = Field(pattern="^tally$")
    store_id: str = Field(pattern=SLUG_PATTERN)
    import_ids: list[str]


class AbandonStep(BaseModel):
    step: str = Field(pattern="^abandon$")
    store_id: str = Field(pattern=SLUG_PATTERN)
    import_id: str
    error: str = Field(default="", description="The failed Import task's error name.")


class Abandoned(BaseModel):
    failed: bool = Field(description="true: the run was still running and is now failed with the cause.")


class Tally(BaseModel):
    succeeded: int
    failed: int
    running: int = Field(description="Still running (or not found): a child the bulk Map stopped waiting for.")
