"""The dashboard's business figures: what each store event and each ending checkout step counts, and how they
reach CloudWatch (Powertools' embedded metric format on stdout, namespace Nozzly)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nozzly.analytics.domain.business_metrics import Figure, checkout_figures, event_figures
from nozzly.observability import metrics, record_figures

pytestmark = pytest.mark.unit


def test_an_order_placed_counts_once_and_adds_its_total_in_its_currency() -> None:
    figures = event_figures("OrderPlaced", {"amount": 4599, "currency": "eur", "order_id": "o1"})
    assert figures == [Figure("OrdersPlaced"), Figure("Revenue", 4599, {"currency": "EUR"})]


def test_payments_and_refunds_count_with_their_amounts() -> None:
    assert event_figures("PaymentReceived", {"amount": 100, "currency": "USD"}) == [
        Figure("PaymentsReceived"),
        Figure("PaymentsAmount", 100, {"currency": "USD"}),
    ]
    assert event_figures("OrderRefunded", {"amount": 50, "currency": "GBP"})[0] == Figure("RefundsIssued")


@pytest.mark.parametrize(
    "detail",
    [
        {},
        {"amount": "12", "currency": "EUR"},
        {"amount": -5, "currency": "EUR"},
        {"amount": True, "currency": "EUR"},
        {"amount": 5},
    ],
)
def test_an_event_without_a_usable_amount_still_counts(detail: dict[str, Any]) -> None:
    assert event_figures("OrderPlaced", detail) == [Figure("OrdersPlaced")]


def test_other_events_add_nothing() -> None:
    assert event_figures("LowStock", {"amount": 1, "currency": "EUR"}) == []


def test_checkouts_count_by_how_they_ended() -> None:
    assert checkout_figures("place_order", None) == [Figure("Checkouts", 1, {"outcome": "placed"})]
    declined = checkout_figures("abandon", {"Error": "PaymentFailed", "Cause": "card_declined"})
    assert declined == [Figure("Checkouts", 1, {"outcome": "failed:PaymentFailed"})]
    assert checkout_figures("abandon", {"Error": "States.Timeout"})[0].dimensions == {
        "outcome": "failed:States.Timeout"
    }
    assert checkout_figures("abandon", None)[0].dimensions == {"outcome": "failed:stranded"}
    assert checkout_figures("reserve", None) == []


def _emitted(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{") and '"_aws"' in line]


def test_figures_reach_cloudwatch_as_embedded_metrics(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "namespace", "Nozzly")  # the template's POWERTOOLS_METRICS_NAMESPACE
    record_figures([Figure("OrdersPlaced"), Figure("Revenue", 4599, {"currency": "EUR"})])
    revenue = _emitted(capsys.readouterr().out)  # a figure with dimensions is written at once, on its own
    assert len(revenue) == 1
    assert revenue[0]["Revenue"] == [4599.0]
    assert revenue[0]["currency"] == "EUR"
    assert revenue[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Nozzly"

    metrics.flush_metrics()  # what lambda_entry does after every invocation
    flushed = _emitted(capsys.readouterr().out)
    assert [m.get("OrdersPlaced") for m in flushed] == [[1.0]]
    assert "currency" not in flushed[0]


def test_a_figure_that_cannot_be_written_breaks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "namespace", None)  # Powertools refuses a metric without a namespace
    record_figures([Figure("Checkouts", 1, {"outcome": "placed"})])  # logged, not raised
