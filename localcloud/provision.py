"""Creating every resource of the transformed template in the emulator, idempotently.

A resource type the template gains must be handled here (or listed as served elsewhere): an
unknown type stops provisioning, so nothing can exist in the cloud and silently not locally.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from localcloud.clients import ClientFactory
from localcloud.intrinsics import Resolver
from localcloud.template import local_path

# Served by the local gateway (HTTP API) or without effect on a single local account.
SERVED_ELSEWHERE = frozenset({"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "AWS::Lambda::Permission"})
# Created before the resources that refer to them.
ORDER = [
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::Events::EventBus",
    "AWS::Lambda::LayerVersion",
    "AWS::Lambda::Function",
    "AWS::Events::Rule",
    "AWS::StepFunctions::StateMachine",
]


def _placeholder_zip() -> bytes:
    # The emulator only needs a package to accept the function; code runs from the checkout.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "Local cloud: the handler runs from the working tree.\n")
    return buffer.getvalue()


@dataclass
class Provisioner:
    cfn: dict[str, Any]
    client: ClientFactory
    parameters: dict[str, Any] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.cfn, self.parameters)

    def run(self) -> list[str]:
        resources = self.cfn["Resources"]
        unknown = {r["Type"] for r in resources.values()} - set(ORDER) - SERVED_ELSEWHERE
        if unknown:
            raise NotImplementedError(f"the local cloud cannot create {sorted(unknown)} yet")
        for resource_type in ORDER:
            for logical_id, resource in resources.items():
                if resource["Type"] == resource_type and self._enabled(resource):
                    props = self.resolver.resolve(resource.get("Properties", {}))
                    handler = getattr(self, "_" + resource_type.split("::", 1)[1].replace("::", "_").lower())
                    handler(logical_id, self.resolver.names[logical_id], props)
                    self.created.append(logical_id)
        return self.created

    def _enabled(self, resource: dict[str, Any]) -> bool:
        return "Condition" not in resource or self.resolver.condition(resource["Condition"])

    # ---- one method per resource type
    def _iam_role(self, _: str, name: str, props: dict[str, Any]) -> None:
        iam = self.client("iam")
        try:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"]))
        except iam.exceptions.EntityAlreadyExistsException:
            return
        for policy in props.get("Policies", []):
            iam.put_role_policy(
                RoleName=name,
                PolicyName=policy["PolicyName"],
                # IAM reads a document without Version as 2008-10-17; the emulator insists on one.
                PolicyDocument=json.dumps({"Version": "2012-10-17"} | policy["PolicyDocument"]),
            )

    def _logs_loggroup(self, _: str, name: str, props: dict[str, Any]) -> None:
        logs = self.client("logs")
        try:
            logs.create_log_group(logGroupName=name)
        except logs.exceptions.ResourceAlreadyExistsException:
            return
        if "RetentionInDays" in props:
            logs.put_retention_policy(logGroupName=name, retentionInDays=int(props["RetentionInDays"]))

    def _dynamodb_table(self, _: str, name: str, props: dict[str, Any]) -> None:
        dynamodb = self.client("dynamodb")
        args: dict[str, Any] = {
            k: props[k]
            for k in (
                "AttributeDefinitions",
                "KeySchema",
                "GlobalSecondaryIndexes",
                "LocalSecondaryIndexes",
                "BillingMode",
                "StreamSpecification",
                "DeletionProtectionEnabled",
            )
            if k in props
        }
        if "SSESpecification" in props:
            args["SSESpecification"] = {"Enabled": props["SSESpecification"].get("SSEEnabled", False)}
        if "StreamSpecification" in args:
            args["StreamSpecification"] = {"StreamEnabled": True, **args["StreamSpecification"]}
        try:
            dynamodb.create_table(TableName=name, **args)
        except dynamodb.exceptions.ResourceInUseException:
            return
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True}
            )
        pitr = props.get("PointInTimeRecoverySpecification", {})
        if pitr.get("PointInTimeRecoveryEnabled"):
            dynamodb.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            )

    def _s3_bucket(self, _: str, name: str, props: dict[str, Any]) -> None:
        s3 = self.client("s3")
        try:
            s3.create_bucket(Bucket=name)
        except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
            return
        if "VersioningConfiguration" in props:
            s3.put_bucket_versioning(
                Bucket=name, VersioningConfiguration={"Status": props["VersioningConfiguration"]["Status"]}
            )
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        if "BucketEncryption" in props:
            rules = [
                {"ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"]}
                for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        if "LifecycleConfiguration" in props:
            rules = []
            for rule in props["LifecycleConfiguration"]["Rules"]:
                converted: dict[str, Any] = {
                    "ID": rule["Id"],
                    "Status": rule["Status"],
                    "Filter": {"Prefix": rule.get("Prefix", "")},
                }
                if "ExpirationInDays" in rule:
                    converted["Expiration"] = {"Days": rule["ExpirationInDays"]}
                if "NoncurrentVersionExpiration" in rule:
                    converted["NoncurrentVersionExpiration"] = {
                        "NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
                    }
                rules.append(converted)
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})

    def _events_eventbus(self, _: str, name: str, props: dict[str, Any]) -> None:
        events = self.client("events")
        try:
            events.create_event_bus(Name=name)
        except events.exceptions.ResourceAlreadyExistsException:
            return

    def _lambda_layerversion(self, _: str, name: str, props: dict[str, Any]) -> None:
        awslambda = self.client("lambda")
        if awslambda.list_layer_versions(LayerName=name)["LayerVersions"]:
            return
        awslambda.publish_layer_version(
            LayerName=name,
            Content={"ZipFile": _placeholder_zip()},
            CompatibleRuntimes=props.get("CompatibleRuntimes", []),
        )

    def _lambda_function(self, _: str, name: str, props: dict[str, Any]) -> None:
        awslambda = self.client("lambda")
        try:
            awslambda.get_function(FunctionName=name)
            return
        except awslambda.exceptions.ResourceNotFoundException:
            pass
        awslambda.create_function(
            FunctionName=name,
            Runtime=props["Runtime"],
            Role=props["Role"],
            Handler=props["Handler"],
            Code={"ZipFile": _placeholder_zip()},
            Timeout=int(props.get("Timeout", 3)),
            MemorySize=int(props.get("MemorySize", 128)),
            Architectures=props.get("Architectures", ["x86_64"]),
            Environment={
                "Variables": {k: str(v) for k, v in props.get("Environment", {}).get("Variables", {}).items()}
            },
            TracingConfig=props.get("TracingConfig", {"Mode": "PassThrough"}),
        )

    def _events_rule(self, _: str, name: str, props: dict[str, Any]) -> None:
        events = self.client("events")
        bus = props.get("EventBusName", "default")
        args: dict[str, Any] = {"Name": name, "EventBusName": bus, "State": props.get("State", "ENABLED")}
        if "EventPattern" in props:
            args["EventPattern"] = json.dumps(props["EventPattern"])
        if "ScheduleExpression" in props:
            args["ScheduleExpression"] = props["ScheduleExpression"]
        if "Description" in props:
            args["Description"] = props["Description"]
        events.put_rule(**args)  # put_rule is an upsert
        events.put_targets(Rule=name, EventBusName=bus, Targets=props.get("Targets", []))

    def _stepfunctions_statemachine(self, _: str, name: str, props: dict[str, Any]) -> None:
        sfn = self.client("stepfunctions")
        definition = local_path(props["DefinitionS3Location"]).read_text()
        for key, value in props.get("DefinitionSubstitutions", {}).items():
            definition = definition.replace("${" + key + "}", str(value))
        existing = [m for m in sfn.list_state_machines()["stateMachines"] if m["name"] == name]
        if existing:
            sfn.update_state_machine(stateMachineArn=existing[0]["stateMachineArn"], definition=definition)
            return
        sfn.create_state_machine(
            name=name, definition=definition, roleArn=props["RoleArn"], type=props.get("StateMachineType", "STANDARD")
        )
