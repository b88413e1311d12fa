"""The health function's readiness checks, cached per container (a new container checks again)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.kernel.adapters.readiness import CachedChecks

READY_CACHE_SECONDS = 5.0


@factory
def readiness() -> CachedChecks:
    from nozzly.kernel.adapters.readiness import CachedChecks

    return CachedChecks(READY_CACHE_SECONDS)
