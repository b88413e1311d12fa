"""Email flows as a store controls them: defaults equal the senders' old behaviour, bounds, safe placeholders."""

from __future__ import annotations

from itertools import pairwise

import pytest

from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.marketing.domain.flows import FLOWS, changed, current, default, saved_data
from nozzly.marketing.domain.placeholders import fill
from nozzly.sales.domain.cart_reminders import (
    CATCH_UP_HOURS,
    HOUR,
    REMINDER_TTL_SECONDS,
    STAGE_FLOWS,
    stage_delays,
)
from nozzly.sales.emails.carts import OPENINGS


def test_the_cart_stages_default_to_the_reminders_sent_before_flows_were_settings() -> None:
    flows = {key: current(key, {}) for key in FLOWS}
    assert stage_delays(flows) == {1: 1, 24: 24, 72: 72}
    for stage, key in STAGE_FLOWS.items():
        assert flows[key].intro == OPENINGS[stage]
        assert flows[key].render({"store_name": "Forge"})[0] == "Still thinking it over? Your Forge cart"


def test_no_delay_a_store_may_set_lets_two_cart_stages_overlap_or_outlive_the_snapshot() -> None:
    bounds = [FLOWS[key].delay for key in STAGE_FLOWS.values()]
    for earlier, later in pairwise(bounds):
        assert earlier and later and earlier.maximum + CATCH_UP_HOURS <= later.minimum
    last = bounds[-1]
    assert last and (last.maximum + CATCH_UP_HOURS) * HOUR < REMINDER_TTL_SECONDS


def test_a_stage_turned_off_is_left_out_and_a_changed_delay_is_kept() -> None:
    saved = saved_data({}, changed(default("abandoned_cart_1h"), {"enabled": False}))
    saved = saved_data(saved, changed(current("abandoned_cart_24h", saved), {"delay": 36}))
    flows = {key: current(key, saved) for key in FLOWS}
    assert stage_delays(flows) == {24: 36, 72: 72}


@pytest.mark.parametrize("delay", [0, 7, -1, True, 2.5, "3"])
def test_a_delay_out_of_bounds_or_not_a_whole_number_is_refused(delay: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        changed(default("abandoned_cart_1h"), {"delay": delay})
    assert refused.value.field == "delay"


@pytest.mark.parametrize(
    "text",
    [
        "{order_total}",
        "{store_name.__class__}",
        "{store_name[0]}",
        "{0}",
        "{}",
        "{first_name!r}",
        "{first_name:>9}",
        "{",
    ],
)
def test_only_the_flows_own_bare_placeholders_are_accepted(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        changed(default("welcome"), {"subject": f"Hi {text}"})
    assert refused.value.field == "subject"


def test_words_are_filled_by_replacement_never_evaluated() -> None:
    allowed = frozenset({"store_name", "first_name"})
    assert fill(
        "{{literal}} {first_name} at {store_name}", allowed, {"store_name": "{first_name}", "first_name": "Al"}
    ) == ("{literal} Al at {first_name}")


def test_an_unknown_flow_is_not_found() -> None:
    with pytest.raises(NotFound):
        default("newsletter")
