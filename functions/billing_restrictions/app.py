"""Billing restrictions (hourly schedule): accounts whose card-less trial or 7-day grace period is over are
written down as restricted and their owner is told; owners whose card-less trial ends in 3 days are warned.
See billing/services/restrictions.py.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import billing


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    summary = billing.restrictions().run()
    logger.info("billing restrictions run", extra=asdict(summary))
    metrics.add_metric(name="AccountsRestricted", unit="Count", value=summary.restricted)
    return asdict(summary)
