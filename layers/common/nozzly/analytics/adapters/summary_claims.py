"""Which daily summaries went out: analytics table items `pk={store}, sk=SUMMARY#{YYYY-MM-DD}` (the day summarised),
claimed before they are sent (kernel/adapters/day_claims.py); a failed send is claimed again by the next hourly run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from nozzly.kernel.adapters.day_claims import DayClaims

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SUMMARY: Final = "SUMMARY#"
EXPIRES_DAYS: Final = 35


class SummaryClaims(DayClaims):
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        super().__init__(table, prefix=SUMMARY, kind="summary", keep_days=EXPIRES_DAYS, dynamodb=dynamodb)
