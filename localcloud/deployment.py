"""Gradual deployment, locally: a function's alias is the function.

On AWS, CodeDeploy shifts an alias (`AutoPublishAlias: live`) from one published version to the next and rolls it
back when the deployment group's alarm fires. Locally a function always runs the working tree's code, so there is
one version ($LATEST) and every alias points at it: a route, a state machine task or a rule target that names the
alias ARN invokes the function itself.
"""

from __future__ import annotations

from typing import Any

# Template types the local cloud knowingly does not create: nothing shifts traffic between versions locally, and the
# emulator never publishes the AWS/Lambda metrics a rollback alarm would watch (as for monitoring.yaml's alarms).
NOT_EMULATED = frozenset(
    {
        "AWS::CodeDeploy::Application",
        "AWS::CodeDeploy::DeploymentGroup",
        "AWS::CloudWatch::Alarm",
    }
)

LOCAL_VERSION = "$LATEST"  # what every AWS::Lambda::Version (and so every alias) resolves to locally


def function_name(name_or_arn: str) -> str:
    """The function a name, `name:qualifier`, function ARN or alias/version ARN invokes."""
    if ":function:" in name_or_arn:
        name_or_arn = name_or_arn.split(":function:", 1)[1]
    return name_or_arn.split(":", 1)[0]


def create_alias(awslambda: Any, props: dict[str, Any]) -> None:
    """The alias, pointing at the function's one local version; kept as it is when it exists already."""
    existing = {a["Name"] for a in awslambda.list_aliases(FunctionName=props["FunctionName"])["Aliases"]}
    if props["Name"] not in existing:
        awslambda.create_alias(FunctionName=props["FunctionName"], Name=props["Name"], FunctionVersion=LOCAL_VERSION)
