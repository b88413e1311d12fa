"""The stack's edge in template.yaml (issue 22): no secret in any function's environment, the images CDN reachable
only through its distribution, a sender identity the adopter names, every table in the daily backup."""

from __future__ import annotations

import re
from typing import Any

import pytest

from localcloud.template import load_sam

pytestmark = pytest.mark.static

SAM = load_sam()
RESOURCES: dict[str, dict[str, Any]] = SAM["Resources"]
PARAMETERS: dict[str, dict[str, Any]] = SAM["Parameters"]
SECRET_LOOKING = re.compile(r"SECRET|TOKEN|KEY|PASSWORD", re.IGNORECASE)
# Names that look secret but hold none, each for a stated reason.
NOT_SECRETS = {
    "STRIPE_PUBLISHABLE_KEY": "publishable by design: the checkout page sends it to every browser",
    "EDGE_SECRET": "the stack's own id, readable by every principal of the account (gateway_context.py)",
    "SQUARE_SECRETS_PREFIX": "a Secrets Manager name prefix, not a value",
    "AI_DAILY_TOKENS": "a budget: how many Bedrock tokens a store may spend a day",
}
PARAMETER_NAME = re.compile(r"^/\$\{AWS::StackName\}/providers/[a-z0-9-]+$")


def _environments() -> list[tuple[str, dict[str, Any]]]:
    found = [("Globals", SAM["Globals"]["Function"].get("Environment", {}).get("Variables", {}))]
    for logical_id, resource in RESOURCES.items():
        if resource["Type"] in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            found.append((logical_id, resource["Properties"].get("Environment", {}).get("Variables", {})))
    return found


def _refs(value: Any) -> set[str]:
    """Every name a value Refs, directly or inside !Sub."""
    if isinstance(value, dict):
        names = {str(value["Ref"])} if "Ref" in value else set()
        sub = value.get("Fn::Sub")
        text = sub if isinstance(sub, str) else (sub[0] if isinstance(sub, list) else "")
        names |= set(re.findall(r"\$\{([A-Za-z0-9:]+)\}", text))
        return names | {n for v in value.values() for n in _refs(v)}
    if isinstance(value, list):
        return {n for v in value for n in _refs(v)}
    return set()


def test_no_function_environment_holds_a_secret_value() -> None:
    offenders = []
    for where, variables in _environments():
        for key, value in variables.items():
            if not SECRET_LOOKING.search(key) or key in NOT_SECRETS:
                continue
            sub = value.get("Fn::Sub") if isinstance(value, dict) else None
            # Only a parameter's NAME may be given: /{stack}/providers/..., read at run time (kernel/adapters/secrets).
            if not (key.endswith("_PARAMETER") and isinstance(sub, str) and PARAMETER_NAME.match(sub)):
                offenders.append(f"{where}.{key} = {value!r}")
    assert offenders == []


def test_no_environment_refers_to_a_no_echo_parameter() -> None:
    hidden = {name for name, p in PARAMETERS.items() if p.get("NoEcho")}
    leaks = [
        f"{where}.{key}" for where, variables in _environments() for key, v in variables.items() if _refs(v) & hidden
    ]
    assert leaks == []


def test_the_provider_secrets_are_readable_by_the_functions_that_name_them() -> None:
    for logical_id, resource in RESOURCES.items():
        variables = resource["Properties"].get("Environment", {}).get("Variables", {})
        if resource["Type"] != "AWS::Serverless::Function" or not any(k.endswith("_PARAMETER") for k in variables):
            continue
        reads = [
            p["SSMParameterReadPolicy"] for p in resource["Properties"]["Policies"] if "SSMParameterReadPolicy" in p
        ]
        named = [str(v) for k, v in variables.items() if k.endswith("_PARAMETER")]
        wanted = [
            *(
                [{"ParameterName": {"Fn::Sub": "${AWS::StackName}/providers/*"}}]
                if any("/providers/" in n for n in named)
                else []
            ),
            *(
                [{"ParameterName": {"Fn::Sub": "${AWS::StackName}/platform/urls"}}]
                if "PLATFORM_URLS_PARAMETER" in variables
                else []
            ),
        ]
        assert sorted(reads, key=str) == sorted(wanted, key=str), logical_id  # exactly what it names, nothing more


def test_images_are_served_by_their_distribution_only_and_only_kept_keys() -> None:
    statements = RESOURCES["ImagesBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert len(statements) == 1
    [grant] = statements
    assert grant["Principal"] == {"Service": "cloudfront.amazonaws.com"} and grant["Action"] == "s3:GetObject"
    assert grant["Resource"] == {"Fn::Sub": "${ImagesBucket.Arn}/stores/*"}  # never uploads/ or imports/
    assert "${ImagesDistribution}" in grant["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    config = RESOURCES["ImagesDistribution"]["Properties"]["DistributionConfig"]
    [origin] = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["ImagesOriginAccess", "Id"]}
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
    assert behaviour["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"  # Managed-CachingOptimized
    code = RESOURCES["ImagesPathRewrite"]["Properties"]["FunctionCode"]
    assert "'/images/stores/'" in code and "statusCode: 404" in code


def test_every_function_is_told_where_images_are_served() -> None:
    url = SAM["Globals"]["Function"]["Environment"]["Variables"]["IMAGES_URL"]
    assert url["Fn::If"][0] == "HasImagesUrl"
    assert url["Fn::If"][2] == {"Fn::Sub": "https://${ImagesDistribution.DomainName}/images"}


def test_the_sender_is_the_adopters_never_a_fixed_default() -> None:
    assert "Default" not in PARAMETERS["EmailFrom"]
    identity = RESOURCES["SenderIdentity"]
    assert identity["Condition"] == "HasSenderDomain"
    assert identity["Properties"]["EmailIdentity"] == {"Ref": "SenderDomain"}
    assert identity["Properties"]["DkimSigningAttributes"] == {"NextSigningKeyLength": "RSA_2048_BIT"}
    expected = {"Fn::If": ["HasSenderDomain", {"Ref": "SenderDomain"}, {"Ref": "ExistingSenderIdentity"}]}
    for logical_id, resource in RESOURCES.items():
        for policy in resource.get("Properties", {}).get("Policies", []) or []:
            if isinstance(policy, dict) and "SESCrudPolicy" in policy:
                assert policy["SESCrudPolicy"] == {"IdentityName": expected}, logical_id


def test_every_table_is_backed_up_daily_and_kept_35_days() -> None:
    tables = {lid for lid, r in RESOURCES.items() if r["Type"] == "AWS::DynamoDB::Table"}
    selected = RESOURCES["TablesBackupSelection"]["Properties"]["BackupSelection"]["Resources"]
    assert {s["Fn::GetAtt"][0] for s in selected} == tables
    [rule] = RESOURCES["TablesBackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert rule["Lifecycle"] == {"DeleteAfterDays": 35} and rule["ScheduleExpression"].startswith("cron(0 3 * * ?")
    assert RESOURCES["TablesBackupVault"]["DeletionPolicy"] == "Retain"


def test_every_bucket_keeps_old_versions_30_days() -> None:
    for logical_id, resource in RESOURCES.items():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        props = resource["Properties"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}, logical_id
        rules = props["LifecycleConfiguration"]["Rules"]
        assert {"NoncurrentDays": 30} in [r.get("NoncurrentVersionExpiration") for r in rules], logical_id
