"""The order status machine: every legal path from pending to a final state, and every illegal move refused
with the states the order may move to."""

from __future__ import annotations

import itertools

import pytest

from nozzly.orders.domain.order_status import FINAL, TRANSITIONS, IllegalTransition, move, stages
from nozzly.orders.domain.orders import OrderStatus, TimelineKind
from tests.unit.test_order_rules import NOW, order

pytestmark = pytest.mark.unit
S = OrderStatus


def legal_paths(start: OrderStatus = S.PENDING) -> list[tuple[OrderStatus, ...]]:
    """Every walk through TRANSITIONS from `start` that ends in a final state."""
    if start in FINAL:
        return [(start,)]
    return [(start, *rest) for nxt in TRANSITIONS[start] for rest in legal_paths(nxt)]


def test_the_machine_has_exactly_the_paths_the_issue_names() -> None:
    assert sorted(legal_paths()) == sorted(
        [
            (S.PENDING, S.CANCELLED),
            (S.PENDING, S.PROCESSING, S.CANCELLED),
            (S.PENDING, S.PROCESSING, S.SHIPPED, S.REFUNDED),
            (S.PENDING, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.REFUNDED),
        ]
    )
    assert {S.CANCELLED, S.REFUNDED} == FINAL


@pytest.mark.parametrize("path", legal_paths(), ids=lambda p: "-".join(s.value for s in p))
def test_every_legal_path_ends_final_with_each_move_in_the_timeline(path: tuple[OrderStatus, ...]) -> None:
    current = order()
    for step, wanted in enumerate(path[1:], start=1):
        current = move(current, wanted, by="operator:op", now=NOW + step, note=f"step {step}")

    assert current.status is path[-1] and current.version == len(path) - 1
    moves = [(e.from_status, e.to_status) for e in current.timeline if e.kind is TimelineKind.STATUS_CHANGED]
    assert moves == list(itertools.pairwise(path))
    assert [e.at for e in current.timeline] == [int(NOW) + i for i in range(1, len(path))]
    assert all(e.by == "operator:op" for e in current.timeline)
    assert (current.cancelled_at is not None) is (path[-1] is S.CANCELLED)
    with pytest.raises(IllegalTransition) as final:
        move(current, S.PROCESSING, by="operator:op", now=NOW)
    assert final.value.allowed == ()


ILLEGAL = [(a, b) for a in S for b in S if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "wanted"), ILLEGAL, ids=lambda s: s.value)
def test_an_illegal_move_is_refused_naming_the_allowed_states(current: OrderStatus, wanted: OrderStatus) -> None:
    before = order(status=current)

    with pytest.raises(IllegalTransition) as refused:
        move(before, wanted, by="operator:op", now=NOW)

    assert refused.value.allowed == tuple(s.value for s in TRANSITIONS[current])
    assert refused.value.field == "status" and wanted.value in refused.value.message


def test_the_illegal_moves_include_skipping_and_going_back() -> None:
    assert {
        (S.PENDING, S.SHIPPED),
        (S.PENDING, S.DELIVERED),
        (S.SHIPPED, S.CANCELLED),
        (S.DELIVERED, S.SHIPPED),
    } <= set(ILLEGAL)


def test_every_move_goes_to_a_later_stage_so_a_page_can_tell_late_news() -> None:
    """The order pages keep the latest stage they heard of (static/live.js): that is only right if no move,
    along any legal path, goes to a stage at or before the one it leaves."""
    stage = stages()
    assert set(stage) == {s.value for s in OrderStatus}
    for path in legal_paths():
        assert [stage[s.value] for s in path] == sorted({stage[s.value] for s in path}), path
    assert (stage["pending"], stage["processing"], stage["shipped"], stage["delivered"]) == (0, 1, 2, 3)
