"""Writes monitoring.yaml, the nested stack of Nozzly's alarms, alarm topic and dashboard, from template.yaml.

    .venv/bin/python -m ops.monitoring_template     # after adding a function, queue, table or state machine

Why a nested stack: the main stack already holds ~470 of CloudFormation's 500 resources, and two alarms per
function would not fit next to them. The alarms are written out one by one (no macro), and the main template's
`Monitoring` resource passes each watched resource's name in as a parameter of the same logical id.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ops.dashboard import dashboard_body
from ops.watched import Watched, watched

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
MONITORING = ROOT / "monitoring.yaml"
BEGIN = "        # >>> watched resources: written by `python -m ops.monitoring_template`"
END = "        # <<< watched resources"

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: >
  Nozzly monitoring (nested in template.yaml as Monitoring): an alarm per failure mode of every function, failure
  queue, state machine, table and the HTTP API, all notifying one SNS topic, and the operations dashboard.
  Written by `python -m ops.monitoring_template`; tests/static/test_monitoring.py checks it is complete.

Parameters:
  StackName:
    Type: String
    Description: The main stack's name (alarm and dashboard names start with it).
  AlarmEmail:
    Type: String
    Default: ""
    Description: Where alarm notifications go (confirm the subscription email); empty - no subscription.
  ApiLatencyP99Ms:
    Type: Number
    Default: 1000
    Description: The HTTP API's p99 latency (ms) above which the latency alarm fires.
"""


def _parameters(w: Watched) -> list[str]:
    lines = []
    for name in w.functions:
        lines += [f"  {name}:", "    Type: String", "    Description: Function name."]
    for name in w.failure_queues:
        lines += [f"  {name}:", "    Type: String", "    Description: Queue name (a dead-letter or failure queue)."]
    for name in w.state_machines:
        lines += [f"  {name}:", "    Type: String", "    Description: State machine ARN."]
    for name in w.tables:
        lines += [f"  {name}:", "    Type: String", "    Description: Table name."]
    lines += [f"  {w.http_api}:", "    Type: String", "    Description: HTTP API id."]
    return lines


def _alarm(logical_id: str, description: str, body: list[str], *, suffix: str) -> list[str]:
    return [
        f"  {logical_id}:",
        "    Type: AWS::CloudWatch::Alarm",
        "    Properties:",
        f'      AlarmName: !Sub "${{StackName}}-{suffix}"',
        f"      AlarmDescription: {json.dumps(description)}",
        *body,
        "      AlarmActions: [!Ref AlarmTopic]",
        "      OKActions: [!Ref AlarmTopic]",
        "",
    ]


def _metric(namespace: str, metric: str, dimension: str, value: str, statistic: str = "Sum") -> list[str]:
    return [
        f"      Namespace: {namespace}",
        f"      MetricName: {metric}",
        f"      Dimensions: [{{Name: {dimension}, Value: !Ref {value}}}]",
        f"      Statistic: {statistic}",
        "      Period: 300",
        "      EvaluationPeriods: 1",
        "      Threshold: 0",
        "      ComparisonOperator: GreaterThanThreshold",
        "      TreatMissingData: notBreaching",
    ]


def _function_alarms(name: str) -> list[str]:
    return [
        *_alarm(
            f"{name}Errors",
            f"{name}: an invocation failed (an unhandled error or a timeout).",
            _metric("AWS/Lambda", "Errors", "FunctionName", name),
            suffix=f"{name}-errors",
        ),
        *_alarm(
            f"{name}Throttles",
            f"{name}: invocations were throttled (concurrency exhausted).",
            _metric("AWS/Lambda", "Throttles", "FunctionName", name),
            suffix=f"{name}-throttles",
        ),
    ]


def _queue_alarm(name: str) -> list[str]:
    return _alarm(
        f"{name}Visible",
        f"{name} holds messages: events or records that failed every retry wait for a person.",
        _metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, "Maximum"),
        suffix=f"{name}-visible",
    )


def _state_machine_alarms(name: str) -> list[str]:
    return [
        *_alarm(
            f"{name}Failed",
            f"{name}: an execution failed.",
            _metric("AWS/States", "ExecutionsFailed", "StateMachineArn", name),
            suffix=f"{name}-failed",
        ),
        *_alarm(
            f"{name}TimedOut",
            f"{name}: an execution timed out.",
            _metric("AWS/States", "ExecutionsTimedOut", "StateMachineArn", name),
            suffix=f"{name}-timed-out",
        ),
    ]


def _math(expression: str, label: str, metrics: list[tuple[str, str, str, str, str, str]]) -> list[str]:
    lines = ["      Metrics:"]
    for id_, namespace, metric, dimension, value, stat in metrics:
        lines += [
            f"        - Id: {id_}",
            "          ReturnData: false",
            "          MetricStat:",
            "            Metric:",
            f"              Namespace: {namespace}",
            f"              MetricName: {metric}",
            f"              Dimensions: [{{Name: {dimension}, Value: !Ref {value}}}]",
            "            Period: 300",
            f"            Stat: {stat}",
        ]
    lines += [
        "        - Id: watched",
        f"          Expression: {json.dumps(expression)}",
        f"          Label: {json.dumps(label)}",
        "          ReturnData: true",
    ]
    return lines


def _table_alarm(name: str) -> list[str]:
    reads = ("reads", "AWS/DynamoDB", "ReadThrottleEvents", "TableName", name, "Sum")
    writes = ("writes", "AWS/DynamoDB", "WriteThrottleEvents", "TableName", name, "Sum")
    body = [
        *_math("FILL(reads, 0) + FILL(writes, 0)", "throttled requests", [reads, writes]),
        "      EvaluationPeriods: 1",
        "      Threshold: 0",
        "      ComparisonOperator: GreaterThanThreshold",
        "      TreatMissingData: notBreaching",
    ]
    return _alarm(f"{name}Throttles", f"{name}: DynamoDB throttled requests.", body, suffix=f"{name}-throttles")


def _api_alarms(api: str) -> list[str]:
    errors = ("errors", "AWS/ApiGateway", "5xx", "ApiId", api, "Sum")
    requests = ("requests", "AWS/ApiGateway", "Count", "ApiId", api, "Sum")
    rate = [
        *_math("100 * FILL(errors, 0) / MAX([FILL(requests, 0), 1])", "5xx %", [errors, requests]),
        "      EvaluationPeriods: 3",
        "      DatapointsToAlarm: 2",
        "      Threshold: 1",
        "      ComparisonOperator: GreaterThanThreshold",
        "      TreatMissingData: notBreaching",
    ]
    latency = [
        "      Namespace: AWS/ApiGateway",
        "      MetricName: Latency",
        f"      Dimensions: [{{Name: ApiId, Value: !Ref {api}}}]",
        "      ExtendedStatistic: p99",
        "      Period: 300",
        "      EvaluationPeriods: 3",
        "      DatapointsToAlarm: 3",
        "      Threshold: !Ref ApiLatencyP99Ms",
        "      ComparisonOperator: GreaterThanThreshold",
        "      TreatMissingData: notBreaching",
    ]
    return [
        *_alarm(f"{api}5xxRate", "More than 1 % of the HTTP API's answers were 5xx.", rate, suffix="api-5xx-rate"),
        *_alarm(f"{api}LatencyP99", "The HTTP API's p99 latency is above ApiLatencyP99Ms.", latency, suffix="api-p99"),
    ]


def render(sam: dict[str, Any]) -> str:
    w = watched(sam)
    lines = [HEADER.rstrip("\n"), *_parameters(w), ""]
    lines += [
        "Conditions:",
        '  HasAlarmEmail: !Not [!Equals [!Ref AlarmEmail, ""]]',
        "",
        "Resources:",
        "  AlarmTopic:",
        "    Type: AWS::SNS::Topic",
        "    Properties:",
        '      DisplayName: !Sub "${StackName} alarms"',
        "",
        "  AlarmEmailSubscription:",
        "    Type: AWS::SNS::Subscription",
        "    Condition: HasAlarmEmail",
        "    Properties:",
        "      TopicArn: !Ref AlarmTopic",
        "      Protocol: email",
        "      Endpoint: !Ref AlarmEmail",
        "",
        "  OperationsDashboard:",
        "    Type: AWS::CloudWatch::Dashboard",
        "    Properties:",
        '      DashboardName: !Sub "${StackName}-${AWS::Region}"',
        "      DashboardBody: !Sub |",
        *("        " + line for line in dashboard_body(w).splitlines()),
        "",
        "  # ---- functions: errors and throttles",
    ]
    for name in w.functions:
        lines += _function_alarms(name)
    lines.append("  # ---- dead-letter and failure queues: anything visible")
    for name in w.failure_queues:
        lines += _queue_alarm(name)
    lines.append("  # ---- state machines: failed and timed-out executions")
    for name in w.state_machines:
        lines += _state_machine_alarms(name)
    lines.append("  # ---- tables: throttled reads and writes")
    for name in w.tables:
        lines += _table_alarm(name)
    lines.append("  # ---- the HTTP API: 5xx rate and p99 latency")
    lines += _api_alarms(w.http_api)
    lines += [
        "Outputs:",
        "  AlarmTopicArn:",
        "    Value: !Ref AlarmTopic",
        "  DashboardName:",
        "    Value: !Ref OperationsDashboard",
        "",
    ]
    return "\n".join(lines)


def monitoring_parameters(sam: dict[str, Any]) -> list[str]:
    """The main template's lines passing every watched resource to the nested stack (the Monitoring resource)."""
    w = watched(sam)
    lines = [f"        {name}: !Ref {name}" for name in w.functions]
    lines += [f"        {name}: !GetAtt {name}.QueueName" for name in w.failure_queues]
    lines += [f"        {name}: !Ref {name}" for name in (*w.state_machines, *w.tables, w.http_api)]
    return lines


def update_template(text: str, sam: dict[str, Any]) -> str:
    block = "\n".join([BEGIN, *monitoring_parameters(sam), END])
    updated, count = re.subn(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if count != 1:
        raise SystemExit(f"template.yaml: the Monitoring resource's parameters between {BEGIN!r} and {END!r}")
    return updated


def main() -> None:
    from localcloud.template import load_sam

    sam = load_sam(TEMPLATE)
    TEMPLATE.write_text(update_template(TEMPLATE.read_text(), sam))
    MONITORING.write_text(render(sam))
    w = watched(sam)
    alarms = 2 * len(w.functions) + len(w.failure_queues) + 2 * len(w.state_machines) + len(w.tables) + 2
    print(f"monitoring.yaml: {alarms} alarms")


if __name__ == "__main__":
    main()
