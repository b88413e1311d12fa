"""Where an operator's fulfilment request stands: asked for, recorded on the order, or refused. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nozzly.orders.domain.orders import Fulfilment


class Progress(StrEnum):
    REQUESTED = "requested"  # the workflow has not committed it yet
    RECORDED = "recorded"  # on the order: its stock committed
    REFUSED = "refused"  # the workflow ended without committing anything (the order changed meanwhile)


@dataclass(frozen=True, slots=True)
class Refusal:
    error: str
    cause: str | None
    at: int | None  # epoch seconds


@dataclass(frozen=True, slots=True)
class FulfilmentStatus:
    fulfilment: Fulfilment
    progress: Progress
    refusal: Refusal | None = None
