"""Who hears the dashboard's live figures, and how many product events one PutEvents call carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from nozzly.kernel.adapters import events as bus
from nozzly.kernel.adapters.events import EventPublisher, PublishFailed
from nozzly.realtime.domain.messages import dashboard_counters

AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
FIGURES = {
    "store_id": "forge",
    "today": "2026-12-04",
    "currency": "EUR",
    "revenue": {"today": {"current": {"orders": 2}}},
    "pipeline": {"pending": 2},
    "correlation_id": "req-1",
}


def test_the_figures_reach_the_own_room_of_each_operator_who_may_see_revenue_and_no_shared_room() -> None:
    found = dashboard_counters(FIGURES, AT, ["owner-sub", "admin-sub", "owner-sub"])
    assert [d.room.name for d in found] == ["operator:forge:admin-sub", "operator:forge:owner-sub"]
    assert found[0].message == {
        "type": "DashboardCounters",
        "v": 1,
        "store": "forge",
        "data": {k: FIGURES[k] for k in ("today", "currency", "revenue", "pipeline")},
        "at": "2026-12-04T12:00:00Z",
    }


@pytest.mark.parametrize("detail", [{k: v for k, v in FIGURES.items() if k != "store_id"}, FIGURES | {"store_id": ""}])
def test_figures_of_no_store_or_for_nobody_reach_no_room(detail: dict[str, Any]) -> None:
    assert dashboard_counters(detail, AT, ["owner-sub"]) == []
    assert dashboard_counters(FIGURES, AT, []) == []


class Bus:
    """EventBridge's PutEvents answer: at most 10 entries a call; `refuse` entries fail (by DetailType) once."""

    def __init__(self, refuse: set[str] | None = None, always: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.refuse, self.always = set(refuse or ()), always

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        assert len(Entries) <= 10
        self.calls.append([e["DetailType"] for e in Entries])
        failed = [e["DetailType"] in self.refuse for e in Entries]
        if not self.always:
            self.refuse -= {e["DetailType"] for e in Entries}
        results = [{"ErrorCode": "InternalFailure"} if f else {"EventId": "x"} for f in failed]
        return {"FailedEntryCount": sum(failed), "Entries": results}


def test_25_events_go_in_3_calls_and_an_entry_refused_once_is_sent_again_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = Bus(refuse={"E7"})
    monkeypatch.setattr(bus, "client", lambda service: fake)
    EventPublisher("nozzly").publish_all("catalog", [(f"E{n}", {"n": n}) for n in range(25)])
    assert [len(c) for c in fake.calls] == [10, 10, 5, 1]
    assert fake.calls[-1] == ["E7"]


def test_an_entry_refused_twice_is_named_in_the_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bus, "client", lambda service: Bus(refuse={"E1"}, always=True))
    with pytest.raises(PublishFailed, match="E1"):
        EventPublisher("nozzly").publish_all("catalog", [("E0", {}), ("E1", {})])
