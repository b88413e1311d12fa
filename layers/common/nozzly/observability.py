"""The one Powertools Logger, Metrics and Tracer of a function, and the decorator wiring them in.

The Tracer (X-Ray SDK, ~110 ms) is built on the first invocation rather than at import so that
cold-start init stays small; every invocation after the first is traced the same way.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
# Most invocations record no business metric; an empty flush is normal, not worth a warning each time.
warnings.filterwarnings("ignore", message="No application metrics to publish")

Handler = Callable[[dict[str, Any], Any], Any]


@cache
def tracer() -> Tracer:
    return Tracer()


def lambda_entry(handler: Handler) -> Handler:
    """Wrap a Lambda handler with structured logging context, metrics flushing and tracing."""
    logged = logger.inject_lambda_context(clear_state=True)(handler)
    measured = metrics.log_metrics(logged)
    traced: Handler | None = None

    @wraps(handler)
    def entry(event: dict[str, Any], context: Any) -> Any:
        nonlocal traced
        if traced is None:
            traced = tracer().capture_lambda_handler(measured)
        return traced(event, context)

    return entry
