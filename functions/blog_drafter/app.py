"""The weekly AI blog draft (EventBridge schedule): one draft per store and week, never published here.
See blog/services/drafter.py."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import blog

SAFETY_MS = 130_000  # a store's draft may take two Converse calls of up to 60 s each: stop in time


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int | bool]:
    run = blog.blog_drafter().run(out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS)
    logger.info("blog drafts written", extra=run.as_dict())
    metrics.add_metric(name="BlogPostsDrafted", unit="Count", value=run.drafted)
    return run.as_dict()
