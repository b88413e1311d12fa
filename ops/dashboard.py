"""The operations dashboard's body: business figures first, then what the alarms watch.

The body is CloudWatch dashboard JSON inside an `!Sub`, so `${Name}` is a parameter of monitoring.yaml (a
function's, queue's, table's or state machine's physical name). Business figures are the Powertools metrics
the handlers emit (namespace Nozzly), read with SEARCH on the namespace and name alone, so every dimension
(outcome, currency, function) shows as its own line without naming it.
"""

from __future__ import annotations

import json
from typing import Any

from ops.watched import Watched

_WIDTH = 12
_HEIGHT = 6


def _search(expression: str, label: str, stat: str = "Sum", period: int = 3600) -> list[Any]:
    # A dashboard names each expression with an id unique in its widget: the label, made an identifier.
    ident = "".join(c for c in label.lower() if c.isalpha())
    return [{"expression": f"SEARCH('{expression}', '{stat}', {period})", "label": label, "id": ident}]


def _widget(title: str, metrics: list[list[Any]], *, stat: str = "Sum", period: int = 300) -> dict[str, Any]:
    return {
        "type": "metric",
        "width": _WIDTH,
        "height": _HEIGHT,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "view": "timeSeries",
            "stacked": False,
            "stat": stat,
            "period": period,
            "metrics": metrics,
        },
    }


def _business() -> list[dict[str, Any]]:
    return [
        _widget(
            "Orders placed, and revenue (minor units, by currency)",
            [
                _search('Namespace="Nozzly" MetricName="OrdersPlaced"', "orders"),
                _search('Namespace="Nozzly" MetricName="Revenue"', "revenue"),
            ],
            period=3600,
        ),
        _widget(
            "Checkouts by outcome (failed ones by reason)",
            [_search('Namespace="Nozzly" MetricName="Checkouts"', "checkouts")],
            period=3600,
        ),
        _widget(
            "Payments and refunds (counts; amounts by currency)",
            [
                _search('Namespace="Nozzly" MetricName="PaymentsReceived"', "payments"),
                _search('Namespace="Nozzly" MetricName="RefundsIssued"', "refunds"),
                _search('Namespace="Nozzly" MetricName="PaymentsAmount"', "paid (minor units)"),
                _search('Namespace="Nozzly" MetricName="RefundedAmount"', "refunded (minor units)"),
            ],
            period=3600,
        ),
        _widget(
            "Cold starts by function",
            [_search('Namespace="Nozzly" MetricName="ColdStart"', "cold starts", period=300)],
        ),
    ]


def _per(namespace: str, metric: str, dimension: str, names: tuple[str, ...]) -> list[list[Any]]:
    return [[namespace, metric, dimension, "${" + name + "}", {"label": name}] for name in names]


def _watched(w: Watched) -> list[dict[str, Any]]:
    api = "${" + w.http_api + "}"
    table_reads = _per("AWS/DynamoDB", "ReadThrottleEvents", "TableName", w.tables)
    table_writes = _per("AWS/DynamoDB", "WriteThrottleEvents", "TableName", w.tables)
    return [
        _widget(
            "HTTP API: requests, 4xx, 5xx",
            [
                ["AWS/ApiGateway", "Count", "ApiId", api, {"label": "requests"}],
                ["AWS/ApiGateway", "4xx", "ApiId", api, {"label": "4xx"}],
                ["AWS/ApiGateway", "5xx", "ApiId", api, {"label": "5xx"}],
            ],
        ),
        _widget(
            "HTTP API latency (ms)",
            [
                ["AWS/ApiGateway", "Latency", "ApiId", api, {"stat": "p50", "label": "p50"}],
                ["AWS/ApiGateway", "Latency", "ApiId", api, {"stat": "p99", "label": "p99"}],
            ],
        ),
        _widget("Function errors", _per("AWS/Lambda", "Errors", "FunctionName", w.functions)),
        _widget("Function throttles", _per("AWS/Lambda", "Throttles", "FunctionName", w.functions)),
        _widget(
            "Dead-letter and failure queues: messages waiting",
            _per("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", w.failure_queues),
            stat="Maximum",
        ),
        _widget(
            "Workflows: failed and timed-out executions",
            _per("AWS/States", "ExecutionsFailed", "StateMachineArn", w.state_machines)
            + _per("AWS/States", "ExecutionsTimedOut", "StateMachineArn", w.state_machines),
        ),
        _widget("DynamoDB throttled reads and writes", table_reads + table_writes),
    ]


def dashboard_body(w: Watched) -> str:
    widgets = _business() + _watched(w)
    return json.dumps({"widgets": widgets}, indent=1)
