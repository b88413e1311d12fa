"""Gradually deployed functions in the local cloud: whatever names a function's alias invokes the function itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from localcloud import deployment
from localcloud.intrinsics import Resolver
from localcloud.template import LOCAL_PARAMETERS, http_routes, load_sam, transformed

ALIAS_ARN = "arn:aws:lambda:us-east-1:123456789012:function:nozzly-CheckoutSteps:live"


@pytest.mark.parametrize(
    "name_or_arn",
    [
        "nozzly-CheckoutSteps",
        "nozzly-CheckoutSteps:live",
        "arn:aws:lambda:us-east-1:123456789012:function:nozzly-CheckoutSteps",
        ALIAS_ARN,
        "arn:aws:lambda:us-east-1:123456789012:function:nozzly-CheckoutSteps:7",
    ],
)
def test_a_name_or_an_arn_with_or_without_qualifier_names_the_function(name_or_arn: str) -> None:
    assert deployment.function_name(name_or_arn) == "nozzly-CheckoutSteps"


def test_the_alias_and_its_version_resolve_as_on_aws_with_the_one_local_version() -> None:
    cfn = transformed(parameters=LOCAL_PARAMETERS)
    resolver = Resolver(cfn, dict(LOCAL_PARAMETERS))
    substitutions = resolver.resolve(cfn["Resources"]["CheckoutStateMachine"]["Properties"]["DefinitionSubstitutions"])
    assert substitutions["CheckoutStepsFunctionArn"] == ALIAS_ARN
    alias = resolver.resolve(cfn["Resources"]["CheckoutStepsAliaslive"]["Properties"])
    assert alias == {"Name": "live", "FunctionName": "nozzly-CheckoutSteps", "FunctionVersion": "$LATEST"}


def test_the_routes_served_through_an_alias_reach_their_function() -> None:
    routes = {r.route_key: r.function for r in http_routes(load_sam())}
    assert routes["POST /stores/{store}/checkout"] == "Checkout"
    assert routes["GET /stores/{store}/checkouts/{checkout}"] == "Checkout"
    assert routes["POST /webhooks/stripe"] == routes["POST /webhooks/square"] == "PaymentWebhooks"


@pytest.fixture
def awslambda() -> Iterator[Any]:
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        client = boto3.client("lambda", region_name="us-east-1")
        client.create_function(
            FunctionName="nozzly-CheckoutSteps",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        )
        yield client


def test_the_alias_is_created_once_and_invoking_it_finds_the_function(awslambda: Any) -> None:
    props = {"Name": "live", "FunctionName": "nozzly-CheckoutSteps", "FunctionVersion": "$LATEST"}
    deployment.create_alias(awslambda, props)
    deployment.create_alias(awslambda, props)  # a second `make run` over kept state
    (alias,) = awslambda.list_aliases(FunctionName="nozzly-CheckoutSteps")["Aliases"]
    assert (alias["AliasArn"], alias["FunctionVersion"]) == (ALIAS_ARN, "$LATEST")
    # What moto's Step Functions and the Invoke API look a task's FunctionName up with (localcloud/bridge.py).
    found = awslambda.get_function(FunctionName=ALIAS_ARN)["Configuration"]
    assert found["FunctionName"] == "nozzly-CheckoutSteps"
