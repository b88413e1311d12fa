"""Creating every resource of the transformed template in the emulator, idempotently.

A resource type the template gains must be handled here (or listed as served elsewhere): an
unknown type stops provisioning, so nothing can exist in the cloud and silently not locally.
"""

from __future__ import annotations

import contextlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from localcloud import deployment, edge, s3_notifications
from localcloud.clients import ClientFactory
from localcloud.discovery import find_client, find_pool
from localcloud.intrinsics import Resolver
from localcloud.ports import websocket_port
from localcloud.resource_types import ORDER, RESPONSES_BUCKET, SERVED_ELSEWHERE, is_custom
from localcloud.template import local_path


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
        # A resource whose Condition is false exists in neither stack (CloudFront without a PlatformDomain).
        enabled = {r["Type"] for r in resources.values() if self._enabled(r)}
        unknown = {t for t in enabled if not is_custom(t)} - set(ORDER) - SERVED_ELSEWHERE
        if unknown:
            raise NotImplementedError(f"the local cloud cannot create {sorted(unknown)} yet")
        for resource_type in ORDER:
            for logical_id, resource in resources.items():
                if resource["Type"] == resource_type and self._enabled(resource):
                    props = self.resolver.resolve(resource.get("Properties", {}))
                    handler = getattr(self, "_" + resource_type.split("::", 1)[1].replace("::", "_").lower())
                    handler(logical_id, self.resolver.names[logical_id], props)
                    self.created.append(logical_id)
        # Not template resources: what an adopter puts in Parameter Store before deploying (README "Provider secrets").
        edge.put_provider_secrets(self.client("ssm"), self.resolver.ref("AWS::StackName"))
        return self.created

    def run_custom_resources(self) -> list[str]:
        """Create the custom resources, once the functions answer: each handler gets CloudFormation's Create
        request and must PUT SUCCESS to the presigned ResponseURL, or provisioning stops with its reason."""
        done = []
        for logical_id, resource_type, props in self.custom_resources():
            self.custom_resource(logical_id, resource_type, props)
            done.append(logical_id)
        self.created.extend(done)
        return done

    def custom_resources(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each enabled custom resource: logical id, type, resolved properties."""
        for logical_id, resource in self.cfn["Resources"].items():
            if is_custom(resource["Type"]) and self._enabled(resource):
                props = self.resolver.resolve(resource["Properties"])
                if "LiveUrl" in props:  # the WebSocket API is the local cloud's own server (localcloud/websocket.py)
                    props["LiveUrl"] = f"ws://127.0.0.1:{websocket_port()}/live"
                yield logical_id, resource["Type"], props

    def custom_resource(self, logical_id: str, resource_type: str, props: dict[str, Any]) -> None:
        s3 = self.client("s3")
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(Bucket=RESPONSES_BUCKET)
        request_id = str(uuid.uuid4())
        key = f"{logical_id}/{request_id}"
        event = {
            "RequestType": "Create",
            "ResponseURL": s3.generate_presigned_url(
                "put_object", Params={"Bucket": RESPONSES_BUCKET, "Key": key}, ExpiresIn=3600
            ),
            "StackId": self.resolver.ref("AWS::StackId"),
            "RequestId": request_id,
            "ResourceType": resource_type,
            "LogicalResourceId": logical_id,
            "ResourceProperties": props,
        }
        function = str(props["ServiceToken"]).split(":function:", 1)[1].split(":", 1)[0]
        self.client("lambda").invoke(FunctionName=function, Payload=json.dumps(event).encode())
        try:
            answer = json.loads(s3.get_object(Bucket=RESPONSES_BUCKET, Key=key)["Body"].read())
        except s3.exceptions.NoSuchKey:
            raise RuntimeError(f"{logical_id}: {function} never answered CloudFormation") from None
        if answer.get("Status") != "SUCCESS":
            raise RuntimeError(f"{logical_id} failed: {answer.get('Reason')}")
        self.resolver.assign(logical_id, str(answer["PhysicalResourceId"]))

    def _enabled(self, resource: dict[str, Any]) -> bool:
        return "Condition" not in resource or self.resolver.condition(resource["Condition"])

    # ---- one method per resource type
    def _cognito_userpool(self, logical_id: str, name: str, props: dict[str, Any]) -> None:
        cognito = self.client("cognito-idp")
        existing = find_pool(cognito, name)
        if existing:
            self.resolver.assign(logical_id, existing)
            return
        args: dict[str, Any] = {
            k: props[k]
            for k in (
                "Policies",
                "UsernameAttributes",
                "AliasAttributes",
                "AutoVerifiedAttributes",
                "AdminCreateUserConfig",
                "AccountRecoverySetting",
                "DeletionProtection",
                "MfaConfiguration",
            )
            if k in props
        }
        if "Schema" in props:
            args["Schema"] = [
                {k: v for k, v in attribute.items() if k in ("Name", "AttributeDataType", "Mutable", "Required")}
                for attribute in props["Schema"]
            ]
        pool = cognito.create_user_pool(PoolName=name, **args)["UserPool"]
        self.resolver.assign(logical_id, pool["Id"])

    def _cognito_userpoolclient(self, logical_id: str, name: str, props: dict[str, Any]) -> None:
        cognito = self.client("cognito-idp")
        pool_id = props["UserPoolId"]
        existing = find_client(cognito, pool_id, name)
        if existing:
            self.resolver.assign(logical_id, existing)
            return
        args = {
            k: props[k]
            for k in (
                "GenerateSecret",
                "ExplicitAuthFlows",
                "PreventUserExistenceErrors",
                "EnableTokenRevocation",
                "AccessTokenValidity",
                "IdTokenValidity",
                "RefreshTokenValidity",
                "TokenValidityUnits",
            )
            if k in props
        }
        created = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName=name, **args)["UserPoolClient"]
        self.resolver.assign(logical_id, created["ClientId"])

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

    def _ssm_parameter(self, _: str, name: str, props: dict[str, Any]) -> None:
        self.client("ssm").put_parameter(
            Name=name, Type=props.get("Type", "String"), Value=str(props["Value"]), Overwrite=True
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
        s3_notifications.configure(s3, name, props)

    def _events_eventbus(self, _: str, name: str, props: dict[str, Any]) -> None:
        events = self.client("events")
        try:
            events.create_event_bus(Name=name)
        except events.exceptions.ResourceAlreadyExistsException:
            return

    def _ses_emailidentity(self, _: str, name: str, props: dict[str, Any]) -> None:
        # A domain identity (SenderDomain): verified at once here, by its DKIM records on AWS.
        identity = props["EmailIdentity"]
        if "@" in identity:
            self.client("ses").verify_email_identity(EmailAddress=identity)
        else:
            self.client("ses").verify_domain_identity(Domain=identity)

    def _sqs_queue(self, _: str, name: str, props: dict[str, Any]) -> None:
        attributes = {k: str(v) for k, v in props.items() if k in ("MessageRetentionPeriod", "VisibilityTimeout")}
        self.client("sqs").create_queue(QueueName=name, Attributes=attributes)  # idempotent for equal attributes

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

    def _lambda_alias(self, _: str, __: str, props: dict[str, Any]) -> None:
        deployment.create_alias(self.client("lambda"), props)

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
