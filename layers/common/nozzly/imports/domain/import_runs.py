"""One import of a supplier's product into a store: its id, its steps' progress and its outcome.

The id is derived from the store and the normalised source URL, so importing the same source twice finds the
same run (and the same product) instead of making a second one. A run that failed may be started again; a
running or finished one is answered as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final
from urllib.parse import urlsplit, urlunsplit

STEPS: Final = ("fetch", "copy", "images", "price", "create")


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class StepState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportRun:
    store_id: str
    import_id: str
    source_url: str
    status: RunStatus
    created_by: str
    created_at: int  # epoch seconds
    attempt: int = 1  # a failed run started again counts up (execution names are never reused)
    steps: dict[str, StepState] = field(default_factory=lambda: dict.fromkeys(STEPS, StepState.PENDING))
    product_slug: str = ""
    needs_copy: bool = False
    ai_tokens: int = 0
    error: str = ""


def normalise_source_url(url: str) -> str:
    """Scheme and host in lower case, no fragment, no default port: one source, one spelling."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def import_id_of(store_id: str, source_url: str) -> str:
    digest = hashlib.sha256(f"{store_id}\n{normalise_source_url(source_url)}".encode()).hexdigest()
    return f"imp_{digest[:20]}"


def execution_name(run: ImportRun) -> str:
    return f"{run.store_id[:50]}-{run.import_id}-{run.attempt}"
