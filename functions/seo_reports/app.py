"""The nightly SEO reports (EventBridge schedule): each open store's report, computed and stored whole.
See seo/services/seo_overview.py."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import blog

SAFETY_MS = 5_000  # stop starting stores this long before the function's timeout (one store takes well under it)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int | bool]:
    run = blog.seo_overview().run(out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS)
    logger.info("SEO reports computed", extra=run.as_dict())
    metrics.add_metric(name="SeoReportsComputed", unit="Count", value=run.computed)
    return run.as_dict()
