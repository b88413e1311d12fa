"""Resolving CloudFormation intrinsic functions the way a stack would, with local physical names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from localcloud.template import ACCOUNT_ID, PSEUDO_PARAMETERS, REGION, STACK_NAME

_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


class UnsupportedIntrinsic(Exception):
    pass


class NotYetCreated(Exception):
    """A Ref to an id the emulator assigns on creation, before it was created or discovered."""


# Resources whose Ref is an id the service generates (not a name we choose).
ASSIGNED_IDS = frozenset({"AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"})


_NAME_PROPERTIES = (
    "TableName",
    "BucketName",
    "FunctionName",
    "Name",
    "StateMachineName",
    "RoleName",
    "LogGroupName",
    "UserPoolName",
    "ClientName",
)


def generated_name(logical_id: str, resource: dict[str, Any]) -> str:
    """The name CloudFormation would generate, made readable and stable: '<stack>-<LogicalId>'."""
    name = f"{STACK_NAME}-{logical_id}"
    # S3 bucket names must be lowercase.
    return name.lower() if resource["Type"] == "AWS::S3::Bucket" else name


def arn(resource_type: str, name: str) -> str:
    prefix = f"arn:aws:{{}}:{REGION}:{ACCOUNT_ID}:"
    arns = {
        "AWS::DynamoDB::Table": prefix.format("dynamodb") + f"table/{name}",
        "AWS::Lambda::Function": prefix.format("lambda") + f"function:{name}",
        "AWS::Events::EventBus": prefix.format("events") + f"event-bus/{name}",
        "AWS::StepFunctions::StateMachine": prefix.format("states") + f"stateMachine:{name}",
        "AWS::Logs::LogGroup": prefix.format("logs") + f"log-group:{name}:*",
        "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
        "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}",
        "AWS::Lambda::LayerVersion": prefix.format("lambda") + f"layer:{name}:1",
        "AWS::ApiGatewayV2::Api": name,
        "AWS::Cognito::UserPool": prefix.format("cognito-idp") + f"userpool/{name}",
        "AWS::SQS::Queue": prefix.format("sqs") + name,
    }
    return arns.get(resource_type, name)


@dataclass
class Resolver:
    template: dict[str, Any]
    parameters: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        defaults = {k: v.get("Default") for k, v in self.template.get("Parameters", {}).items()}
        self.values = PSEUDO_PARAMETERS | defaults | self.parameters
        self.resources: dict[str, dict[str, Any]] = self.template["Resources"]
        self.ids: dict[str, str] = {}  # logical id -> id the emulator assigned (see ASSIGNED_IDS)
        self.names = {lid: generated_name(lid, r) for lid, r in self.resources.items()}
        for lid, resource in self.resources.items():
            props = resource.get("Properties", {})
            explicit = next((props[k] for k in _NAME_PROPERTIES if k in props), None)
            if explicit is not None:
                # An explicit name may only use parameters and pseudo parameters, as in CloudFormation.
                self.names[lid] = str(self.resolve(explicit))

    def assign(self, logical_id: str, physical_id: str) -> None:
        self.ids[logical_id] = physical_id

    def assigned(self, logical_id: str) -> str:
        if logical_id not in self.ids:
            raise NotYetCreated(f"{logical_id} has no id yet: provision or discover it first")
        return self.ids[logical_id]

    def ref(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        resource = self.resources[name]
        if resource["Type"] in ASSIGNED_IDS:
            return self.assigned(name)
        if resource["Type"] in ("AWS::StepFunctions::StateMachine", "AWS::Lambda::LayerVersion"):
            return arn(resource["Type"], self.names[name])  # these Ref to their ARN
        if resource["Type"] in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            # Both Ref to their qualified ARN; locally every version is $LATEST (localcloud/deployment.py).
            qualifier = resource["Properties"].get("Name", "$LATEST")
            return arn("AWS::Lambda::Function", self.names[name]) + f":{qualifier}"
        if resource["Type"] == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{self.names[name]}"  # a queue Refs to its URL
        return self.names[name]

    def get_att(self, name: str, attribute: str) -> Any:
        resource = self.resources[name]
        if resource["Type"] == "AWS::Cognito::UserPool":
            pool_id = self.assigned(name)
            if attribute == "Arn":
                return arn(resource["Type"], pool_id)
            if attribute in ("ProviderName", "ProviderURL"):
                url = f"cognito-idp.{REGION}.amazonaws.com/{pool_id}"
                return url if attribute == "ProviderName" else f"https://{url}"
        if attribute == "Arn":
            return arn(resource["Type"], self.names[name])
        if attribute in ("Name", "StateMachineName"):
            return self.names[name]
        if resource["Type"] == "AWS::Lambda::Version" and attribute == "Version":
            return "$LATEST"
        if attribute == "StreamArn":
            return arn(resource["Type"], self.names[name]) + "/stream/local"
        raise UnsupportedIntrinsic(f"Fn::GetAtt {name}.{attribute}")

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.template.get("Conditions", {})[name]))

    def _sub(self, text: str, variables: dict[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in variables:
                return str(self.resolve(variables[key]))
            if "." in key:
                resource, attribute = key.split(".", 1)
                return str(self.get_att(resource, attribute))
            return str(self.ref(key))

        return _SUB_VARIABLE.sub(replace, text).replace("${!", "${")

    def resolve(self, value: Any) -> Any:  # noqa: PLR0911, PLR0912 - one branch per intrinsic
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                parts = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(parts[0], parts[1])
            if key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                return self._sub(text, variables)
            if key == "Fn::Join":
                return str(arg[0]).join(str(self.resolve(v)) for v in self.resolve(arg[1]))
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Equals":
                return self.resolve(arg[0]) == self.resolve(arg[1])
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(a) for a in arg)
            if key == "Fn::Or":
                return any(self.resolve(a) for a in arg)
            if key == "Fn::Split":
                return str(self.resolve(arg[1])).split(str(arg[0]))
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key == "Condition":
                return self.condition(arg)
            if key.startswith("Fn::"):
                raise UnsupportedIntrinsic(key)
        return {k: self.resolve(v) for k, v in value.items()}
