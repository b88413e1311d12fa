"""The research table: a store's results per day, each day's run summary, and its watchlist.

- result: pk `{store}`, sk `RESULT#{day}#{rank, 4 digits}`; result_id, the candidate's fields, score, points,
  price, margin, velocity, ai_status, verdict (once analysed), expires_at.
- run summary: pk `{store}`, sk `RUN#{day}`; candidates, results, signals, failures, at, expires_at.
- watchlist entry: pk `{store}`, sk `WATCH#{result id}`; day, title, url, source, score, notes, added_by,
  added_at.

A day's results are read with one Query (`begins_with RESULT#{day}#`, in rank order). A run of a day that ran
before replaces it: its results are Put over the old ranks and the ranks it no longer has are deleted, so
a repeated run leaves exactly what the last one found. Results and summaries expire after 90 days (TTL);
watchlist entries stay until removed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.money import Money
from nozzly.research.domain.candidates import Candidate
from nozzly.research.domain.results import KEEP_DAYS, AiStatus, ResearchResult, RunSummary, WatchEntry
from nozzly.research.domain.scoring import Score
from nozzly.research.domain.verdicts import Verdict

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _result_sk(day: str, rank: int) -> str:
    return f"RESULT#{day}#{rank:04d}"


def _expires(day: str) -> int:
    return int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()) + KEEP_DAYS * 86_400


def _money(data: dict[str, Any]) -> Money:
    return Money(int(data["amount"]), str(data["currency"]))


def _verdict_data(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "verdict": verdict.verdict,
        "reasons": list(verdict.reasons),
        "audience": verdict.audience,
        "risks": list(verdict.risks),
    }


def _result_item(store_id: str, r: ResearchResult) -> dict[str, Any]:
    c, s = r.candidate, r.score
    return {
        "pk": store_id,
        "sk": _result_sk(r.day, r.rank),
        "type": "research_result",
        "result_id": r.result_id,
        "day": r.day,
        "rank": r.rank,
        "source": c.source,
        "source_id": c.source_id,
        "title": c.title,
        "url": c.url,
        "image_url": c.image_url,
        "gtin": c.gtin,
        "cost": {"amount": c.cost.amount, "currency": c.cost.currency},
        "shipping": {"amount": c.shipping.amount, "currency": c.shipping.currency},
        "shipping_days": c.shipping_days,
        "rating_tenths": c.rating_tenths,
        "order_count": c.order_count,
        "competitors": c.competitors,
        "score": s.total,
        "points": dict(s.points),
        "price": s.price,
        "margin": s.margin,
        "velocity": s.velocity,
        "ai_status": r.ai_status.value,
        "verdict": _verdict_data(r.verdict),
        "expires_at": _expires(r.day),
    }


def _result(data: dict[str, Any]) -> ResearchResult:
    verdict = data.get("verdict")
    candidate = Candidate(
        source=data["source"],
        source_id=data["source_id"],
        title=data["title"],
        url=data["url"],
        cost=_money(data["cost"]),
        shipping=_money(data["shipping"]),
        shipping_days=int(data["shipping_days"]),
        gtin=data.get("gtin", ""),
        rating_tenths=data.get("rating_tenths"),
        order_count=int(data.get("order_count", 0)),
        competitors=int(data.get("competitors", 0)),
        image_url=data.get("image_url", ""),
    )
    score = Score(
        int(data["score"]), dict(data["points"]), int(data["price"]), int(data["margin"]), int(data["velocity"])
    )
    return ResearchResult(
        result_id=data["result_id"],
        day=data["day"],
        rank=int(data["rank"]),
        candidate=candidate,
        score=score,
        ai_status=AiStatus(data["ai_status"]),
        verdict=Verdict(verdict["verdict"], tuple(verdict["reasons"]), verdict["audience"], tuple(verdict["risks"]))
        if verdict
        else None,
    )


def _watch(data: dict[str, Any]) -> WatchEntry:
    return WatchEntry(
        result_id=data["sk"].removeprefix("WATCH#"),
        day=data["day"],
        title=data["title"],
        url=data["url"],
        source=data["source"],
        score=int(data["score"]),
        notes=data.get("notes", ""),
        added_by=data["added_by"],
        added_at=int(data["added_at"]),
    )


class ResearchResultsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._dynamodb = dynamodb

    def _query(self, store_id: str, prefix: str) -> list[dict[str, Any]]:
        dynamodb = dynamodb_client(self._dynamodb)
        args: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :store AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":store": {"S": store_id}, ":prefix": {"S": prefix}},
            "ConsistentRead": True,
        }
        items: list[dict[str, Any]] = []
        while True:
            response = dynamodb.query(**args)
            items += [from_item(i) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return items
            args["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _write(self, requests: list[dict[str, Any]]) -> None:
        dynamodb = dynamodb_client(self._dynamodb)
        for start in range(0, len(requests), 25):
            pending: dict[str, Any] = {self.table: requests[start : start + 25]}
            while pending:  # unprocessed items are written again until none is left
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}

    def replace_day(self, store_id: str, results: list[ResearchResult], summary: RunSummary) -> None:
        kept = {_result_sk(r.day, r.rank) for r in results}
        stale = [i["sk"] for i in self._query(store_id, f"RESULT#{summary.day}#") if i["sk"] not in kept]
        run = {
            "pk": store_id,
            "sk": f"RUN#{summary.day}",
            "type": "research_run",
            "candidates": summary.candidates,
            "results": summary.results,
            "signals": summary.signals,
            "failures": list(summary.failures),
            "at": summary.at,
            "expires_at": _expires(summary.day),
        }
        self._write(
            [{"PutRequest": {"Item": to_item(_result_item(store_id, r))}} for r in results]
            + [{"DeleteRequest": {"Key": {"pk": {"S": store_id}, "sk": {"S": sk}}}} for sk in stale]
            + [{"PutRequest": {"Item": to_item(run)}}]
        )

    def day(self, store_id: str, day: str) -> list[ResearchResult]:
        return [_result(i) for i in self._query(store_id, f"RESULT#{day}#")]

    def summary(self, store_id: str, day: str) -> RunSummary | None:
        item = (
            dynamodb_client(self._dynamodb)
            .get_item(TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": f"RUN#{day}"}})
            .get("Item")
        )
        if not item:
            return None
        d = from_item(item)
        return RunSummary(day, d["candidates"], d["results"], d["signals"], tuple(d["failures"]), d["at"])

    def set_verdict(self, store_id: str, result: ResearchResult, status: AiStatus, verdict: Verdict | None) -> None:
        """The AI's outcome on one result, only while it is the same product at that rank (a newer run of the
        day may have ranked another there: its result is not overwritten)."""
        dynamodb = dynamodb_client(self._dynamodb)
        values: dict[str, Any] = {":status": {"S": status.value}, ":id": {"S": result.result_id}}
        expression = "SET ai_status = :status"
        if verdict is not None:
            expression += ", verdict = :verdict"
            values[":verdict"] = to_item({"v": _verdict_data(verdict)})["v"]
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": store_id}, "sk": {"S": _result_sk(result.day, result.rank)}},
                UpdateExpression=expression,
                ConditionExpression="result_id = :id",
                ExpressionAttributeValues=values,
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return

    # ---- watchlist

    def watchlist(self, store_id: str) -> list[WatchEntry]:
        return [_watch(i) for i in self._query(store_id, "WATCH#")]

    def watch(self, store_id: str, entry: WatchEntry) -> WatchEntry:
        """Add the entry; one already there is kept as it is (a repeated add changes nothing) and answered."""
        dynamodb = dynamodb_client(self._dynamodb)
        item = {"pk": store_id, "sk": f"WATCH#{entry.result_id}", "type": "watch"} | {
            k: getattr(entry, k) for k in ("day", "title", "url", "source", "score", "notes", "added_by", "added_at")
        }
        try:
            dynamodb.put_item(TableName=self.table, Item=to_item(item), ConditionExpression="attribute_not_exists(pk)")
        except dynamodb.exceptions.ConditionalCheckFailedException:
            found = self.watched(store_id, entry.result_id)
            return found or entry
        return entry

    def watched(self, store_id: str, result_id: str) -> WatchEntry | None:
        item = (
            dynamodb_client(self._dynamodb)
            .get_item(
                TableName=self.table,
                Key={"pk": {"S": store_id}, "sk": {"S": f"WATCH#{result_id}"}},
                ConsistentRead=True,
            )
            .get("Item")
        )
        return _watch(from_item(item)) if item else None

    def change_notes(self, store_id: str, result_id: str, notes: str) -> WatchEntry | None:
        """The entry with its new notes, or None when it is not on the watchlist."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            response = dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": store_id}, "sk": {"S": f"WATCH#{result_id}"}},
                UpdateExpression="SET notes = :notes",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":notes": {"S": notes}},
                ReturnValues="ALL_NEW",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return None
        return _watch(from_item(response["Attributes"]))

    def unwatch(self, store_id: str, result_id: str) -> None:
        dynamodb_client(self._dynamodb).delete_item(
            TableName=self.table, Key={"pk": {"S": store_id}, "sk": {"S": f"WATCH#{result_id}"}}
        )
