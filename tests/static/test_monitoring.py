"""Every function, failure queue, state machine and table is watched by its alarms (monitoring.yaml, nested as
Monitoring), every async consumer has somewhere to put what failed, and stateful resources outlive the stack."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.template import ROOT, load_sam
from ops.monitoring_template import MONITORING, render, update_template
from ops.watched import watched

pytestmark = pytest.mark.static

SAM = load_sam()
NESTED = load_sam(MONITORING)
WATCHED = watched(SAM)
ALARMS = {lid: r["Properties"] for lid, r in NESTED["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"}
PASSED = SAM["Resources"]["Monitoring"]["Properties"]["Parameters"]
REGENERATE = "run `.venv/bin/python -m ops.monitoring_template` and commit template.yaml and monitoring.yaml"


def _watches(alarm: dict[str, Any]) -> set[tuple[str, str]]:
    """(metric, parameter) pairs an alarm reads, straight or inside metric math."""
    stats = [alarm] + [m["MetricStat"]["Metric"] for m in alarm.get("Metrics", []) if "MetricStat" in m]
    return {(s["MetricName"], d["Value"]["Ref"]) for s in stats for d in s.get("Dimensions", [])}


WATCHING = {pair for alarm in ALARMS.values() for pair in _watches(alarm)}


def _missing(metric: str, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if (metric, name) not in WATCHING]


def test_the_monitoring_stack_is_written_from_the_template() -> None:
    assert MONITORING.read_text() == render(SAM), f"monitoring.yaml is out of date: {REGENERATE}"
    template = (ROOT / "template.yaml").read_text()
    assert update_template(template, SAM) == template, f"Monitoring's parameters are out of date: {REGENERATE}"


@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_its_alarm(metric: str) -> None:
    assert not _missing(metric, WATCHED.functions), f"functions without a {metric} alarm ({REGENERATE})"


def test_every_dead_letter_and_failure_queue_has_an_alarm() -> None:
    missing = _missing("ApproximateNumberOfMessagesVisible", WATCHED.failure_queues)
    assert not missing, f"failure queues nobody is told about: {missing} ({REGENERATE})"


@pytest.mark.parametrize("metric", ["ExecutionsFailed", "ExecutionsTimedOut"])
def test_every_state_machine_has_its_alarm(metric: str) -> None:
    assert not _missing(metric, WATCHED.state_machines), f"state machines without a {metric} alarm"


@pytest.mark.parametrize("metric", ["ReadThrottleEvents", "WriteThrottleEvents"])
def test_every_table_has_a_throttle_alarm(metric: str) -> None:
    assert not _missing(metric, WATCHED.tables), f"tables without a throttling alarm on {metric}"


def test_the_http_api_has_5xx_and_latency_alarms() -> None:
    assert {("5xx", WATCHED.http_api), ("Latency", WATCHED.http_api)} <= WATCHING
    latency = next(a for a in ALARMS.values() if a.get("MetricName") == "Latency")
    assert latency["ExtendedStatistic"] == "p99"


def test_each_watched_name_is_the_resource_it_says() -> None:
    """The nested stack's parameter X receives resource X's name (a queue's QueueName, anything else's Ref)."""
    queues = set(WATCHED.failure_queues)
    wrong = {
        name: value
        for name, value in PASSED.items()
        if name in NESTED["Parameters"]
        and name not in ("StackName", "AlarmEmail")
        and value != ({"Fn::GetAtt": [name, "QueueName"]} if name in queues else {"Ref": name})
    }
    assert not wrong, f"Monitoring passes these parameters the wrong value: {wrong}"


def test_every_alarm_notifies_the_topic_and_an_email_is_optional() -> None:
    silent = [lid for lid, a in ALARMS.items() if {"Ref": "AlarmTopic"} not in a.get("AlarmActions", [])]
    assert not silent, f"alarms that notify nobody: {silent}"
    subscription = NESTED["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert PASSED["AlarmEmail"] == {"Ref": "AlarmEmail"}
    assert SAM["Parameters"]["AlarmEmail"]["Default"] == ""


def test_the_dashboard_shows_the_business_figures() -> None:
    body = NESTED["Resources"]["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    for metric in ("OrdersPlaced", "Revenue", "Checkouts", "PaymentsReceived", "RefundsIssued", "ColdStart"):
        assert f'MetricName=\\"{metric}\\"' in body, f"the dashboard has no {metric}"


def test_cfn_lint_finds_nothing_in_the_monitoring_stack() -> None:
    from cfnlint.api import lint_file

    matches = [m for m in lint_file(MONITORING) if m.rule.id[:1] in ("E", "W")]
    assert not matches, "cfn-lint:\n" + "\n".join(str(m) for m in matches)
