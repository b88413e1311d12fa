"""Which resource types of the template the local cloud creates, in which order, and which are served elsewhere
(the gateway, the stream pollers) or have no effect on one local account."""

from __future__ import annotations

from localcloud import deployment, edge

# Served by the local gateway (HTTP API), by localcloud/streams.py (stream pollers in the emulator process),
# or without effect on a single local account (permissions and resource policies).
SERVED_ELSEWHERE = (
    frozenset(
        {
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Stage",
            "AWS::Lambda::Permission",
            "AWS::Lambda::EventSourceMapping",
            "AWS::SQS::QueuePolicy",
            "AWS::S3::BucketPolicy",
            # The CDN in front of the console: localcloud/console_site.py answers /console* as its behaviour does,
            # with the response headers policy's headers; every other path reaches the API, its default behaviour.
            "AWS::CloudFront::Distribution",
            "AWS::CloudFront::OriginAccessControl",
            "AWS::CloudFront::ResponseHeadersPolicy",
            # Locally a function always runs the working tree's code: there is one version (aliases: deployment.py).
            "AWS::Lambda::Version",
            # The WebSocket API's parts (realtime): nothing to create in the emulator; its routes are read from the
            # template by whatever serves the socket locally.
            "AWS::ApiGatewayV2::Authorizer",
            "AWS::ApiGatewayV2::Deployment",
            "AWS::ApiGatewayV2::Integration",
            "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::RouteResponse",
            # Monitoring (monitoring.yaml, nested): alarms on metrics AWS publishes and the emulator never does, an
            # SNS topic only they notify, a dashboard of those metrics. Deliberately not created locally.
            "AWS::CloudFormation::Stack",
        }
    )
    | edge.NOT_EMULATED
    | deployment.NOT_EMULATED
)
# Where custom resources' answers land: CloudFormation hands a handler a presigned S3 URL to PUT its answer to.
RESPONSES_BUCKET = "localcloud-custom-resource-responses"


def is_custom(resource_type: str) -> bool:
    return resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource"


# Created before the resources that refer to them.
ORDER = [
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::Events::EventBus",
    "AWS::SES::EmailIdentity",
    "AWS::SQS::Queue",
    "AWS::Lambda::LayerVersion",
    "AWS::Lambda::Function",
    "AWS::Lambda::Alias",
    "AWS::Events::Rule",
    "AWS::StepFunctions::StateMachine",
    "AWS::SSM::Parameter",
]
