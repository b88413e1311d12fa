"""EventBridge schedules, fired locally: on their rate, and on demand."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from localcloud.bridge import target_input
from localcloud.template import ACCOUNT_ID, REGION

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}

Dispatch = Callable[[str, Any], None]  # (function ARN, event) -> asynchronous invocation


@dataclass(frozen=True, slots=True)
class Schedule:
    name: str
    expression: str
    arn: str
    targets: list[dict[str, Any]]

    @property
    def interval_seconds(self) -> int | None:
        """rate() schedules repeat locally; cron() ones are fired on demand only."""
        found = _RATE.match(self.expression)
        return int(found.group(1)) * _SECONDS[found.group(2).rstrip("s")] if found else None


def load(events_client: Any) -> list[Schedule]:
    schedules = []
    for rule in events_client.list_rules()["Rules"]:
        if rule.get("ScheduleExpression") and rule.get("State") == "ENABLED":
            targets = events_client.list_targets_by_rule(Rule=rule["Name"])["Targets"]
            schedules.append(Schedule(rule["Name"], rule["ScheduleExpression"], rule["Arn"], targets))
    return schedules


def scheduled_event(schedule: Schedule) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [schedule.arn],
        "detail": {},
    }


def fire(schedule: Schedule, dispatch: Dispatch) -> list[str]:
    event = scheduled_event(schedule)
    for target in schedule.targets:
        dispatch(target["Arn"], target_input(target, event))
    return [t["Arn"] for t in schedule.targets]


def find(schedules: list[Schedule], name: str) -> Schedule | None:
    """By the rule's name or by the logical id it was generated from (CatalogStatsNightlyReconcile)."""
    return next((s for s in schedules if s.name == name or s.name.endswith(f"-{name}")), None)


def start_timers(schedules: list[Schedule], dispatch: Dispatch, stop: threading.Event) -> None:
    for schedule in schedules:
        interval = schedule.interval_seconds
        if interval is None:
            continue

        def loop(s: Schedule = schedule, every: int = interval) -> None:
            while not stop.wait(every):
                fire(s, dispatch)

        threading.Thread(target=loop, name=f"schedule-{schedule.name}", daemon=True).start()


def describe(schedules: list[Schedule]) -> str:
    return json.dumps(
        [{"name": s.name, "expression": s.expression, "targets": [t["Arn"] for t in s.targets]} for s in schedules]
    )
