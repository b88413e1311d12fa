"""The SEO report of each store in the content table: `pk={store}`, `sk=SEO_REPORT`, one item.

The report is stored whole as JSON (`report`, a string: at most 500 pages, well under the 400 KB item limit),
so the overview route reads it with one GetItem; the nightly job replaces it with one PutItem.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.seo.domain.report import Fix, PageReport, SeoReport
from nozzly.seo.domain.rules import Issue

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

SK = "SEO_REPORT"


def _from_json(text: str) -> SeoReport:
    d: dict[str, Any] = json.loads(text)
    pages = tuple(PageReport(**{**p, "issues": tuple(Issue(**i) for i in p["issues"])}) for p in d.pop("pages"))
    fixes = tuple(Fix(**f) for f in d.pop("top_fixes"))
    return SeoReport(**d, pages=pages, top_fixes=fixes)


@dataclass(frozen=True)
class SeoReportsRepository:
    table: str
    client: DynamoDBClient | None = None

    def put(self, report: SeoReport) -> None:
        text = json.dumps(asdict(report), separators=(",", ":"), ensure_ascii=False)
        dynamodb_client(self.client).put_item(
            TableName=self.table,
            Item={
                "pk": {"S": report.store_id},
                "sk": {"S": SK},
                "type": {"S": "seo_report"},
                "computed_at": {"N": str(report.computed_at)},
                "report": {"S": text},
            },
        )

    def get(self, store_id: str) -> SeoReport | None:
        item = (
            dynamodb_client(self.client)
            .get_item(TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": SK}})
            .get("Item")
        )
        return _from_json(item["report"]["S"]) if item else None
