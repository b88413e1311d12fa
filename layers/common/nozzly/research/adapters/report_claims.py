"""Which daily research reports went out: research table items `pk={store}, sk=REPORT#{YYYY-MM-DD}` (the research
day), claimed before they are sent (kernel/adapters/day_claims.py) and kept as long as the day's results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from nozzly.kernel.adapters.day_claims import DayClaims
from nozzly.research.domain.results import KEEP_DAYS

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

REPORT: Final = "REPORT#"


class ReportClaims(DayClaims):
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        super().__init__(table, prefix=REPORT, kind="research_report", keep_days=KEEP_DAYS, dynamodb=dynamodb)
