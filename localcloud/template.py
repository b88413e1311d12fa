"""template.yaml as the local cloud reads it: the SAM source and its CloudFormation transform."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from localcloud.payments.config import payment_parameters
from localcloud.ports import api_port, bedrock_url, reddit_url

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
_LOCAL_BUCKET = "nozzly-local-code"
STACK_NAME = "nozzly"
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
# Per-IP limits of the public routes unless NOZZLY_PUBLIC_RATE_LIMITS names others (a test cloud with a low limit).
DEFAULT_PUBLIC_RATE_LIMITS = '{"default": 100, "shop-pages": 300, "payment-webhooks": 0, "storefront-events": 0}'
PSEUDO_PARAMETERS = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::StackName": STACK_NAME,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{STACK_NAME}/local",
    "AWS::NoValue": None,
}


@dataclass(frozen=True, slots=True)
class Route:
    method: str  # GET, POST, ... or ANY
    path: str  # API Gateway syntax: /stores/{store}, /{proxy+}
    function: str  # logical id
    authorizer: str | None = None  # name of one of the HttpApi's Auth.Authorizers, None: public
    scopes: tuple[str, ...] | None = None  # the route's own authorization scopes, which replace its authorizer's
    timeout_ms: int = 30_000  # the integration's timeoutInMillis: HTTP API's default and maximum is 30 s

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str
    timeout: int
    memory: int
    environment: dict[str, Any]  # values may still hold intrinsics


def load_sam(path: Path = TEMPLATE) -> dict[str, Any]:
    """template.yaml as SAM reads it (short intrinsic tags in their long form). PyYAML takes 1-3 s over it and
    every process of the local cloud needs it at start: the parse is kept on disk as JSON, like the transform."""
    from samtranslator import __version__ as translator_version

    text = path.read_text()
    kept, found = _kept("sam-", [str(path), text, translator_version])
    if found is not None:
        return found
    from samtranslator.yaml_helper import yaml_parse

    parsed: dict[str, Any] = yaml_parse(text)
    with contextlib.suppress(TypeError):  # a value JSON cannot hold (a YAML date): parsed again next time
        _keep(kept, parsed)
    return parsed


def _kept(prefix: str, inputs: list[str]) -> tuple[Path, dict[str, Any] | None]:
    """Where a result made of `inputs` is kept on disk, and that result when a process has written it already."""
    kept = TRANSFORM_CACHE / f"{prefix}{hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]}.json"
    try:
        found: dict[str, Any] = json.loads(kept.read_text())
    except (OSError, ValueError):
        return kept, None
    return kept, found


def _keep(kept: Path, value: Any) -> None:
    """Written whole under a temporary name, then renamed: a process starting at the same time never reads half."""
    text = json.dumps(value)
    TRANSFORM_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=TRANSFORM_CACHE, suffix=".tmp", delete=False) as out:
        out.write(text)
    os.replace(out.name, kept)


def _stage_local_paths(sam: dict[str, Any]) -> dict[str, Any]:
    """Local folders become S3 locations, as `sam package` would do, so the translator accepts them."""
    staged = copy.deepcopy(sam)
    for resource in staged["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            value = props.get(key)
            if isinstance(value, str) and not value.startswith("s3://"):
                props[key] = f"s3://{_LOCAL_BUCKET}/{value.rstrip('/')}"
    return staged


# The transform takes about 8 s and every process of the local cloud (and every test worker) needs it: its
# result is kept on disk under a name made of everything it depends on.
TRANSFORM_CACHE = ROOT / ".localcloud" / "transformed"


@cache
def transformed(path: Path = TEMPLATE, parameters: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """The CloudFormation the SAM transform makes of the template, as CloudFormation would see it."""
    from samtranslator import __version__ as translator_version

    kept, found = _kept("", [str(path), path.read_text(), json.dumps(parameters), translator_version, str(ROOT)])
    if found is not None:
        return found
    result = _transform(path, parameters)
    _keep(kept, result)
    return result


def _transform(path: Path, parameters: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam = load_sam(path)
    defaults = {k: v.get("Default") for k, v in sam.get("Parameters", {}).items()}
    values = {k: v for k, v in PSEUDO_PARAMETERS.items() if v is not None} | defaults | dict(parameters)
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=REGION))
    # Offline there is no IAM to look managed policies up in: the translator's bundled list serves.
    result: dict[str, Any] = translator.translate(
        _stage_local_paths(sam), parameter_values=values, get_managed_policy_map=lambda: {}
    )
    return result


def local_path(s3_location: Any) -> Path:
    """The local folder or file behind a staged S3 location (a Code/Content/DefinitionS3Location)."""
    if isinstance(s3_location, dict):
        key = s3_location.get("Key") or s3_location["S3Key"]
    else:
        key = str(s3_location).split(f"{_LOCAL_BUCKET}/", 1)[1]
    return ROOT / str(key)


def _http_api(sam: dict[str, Any]) -> dict[str, Any]:
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::HttpApi":
            props: dict[str, Any] = resource.get("Properties", {})
            return props
    return {}


_INTEGRATED_FUNCTION = re.compile(r"\$\{(\w+)\.Arn\}")


def _integrated_function(uri: Any) -> str | None:
    """`${Fn.Arn}` in the uri, or a gradually deployed function's alias (`!Sub [.., {Alias: !Ref Fn.Alias}]`)."""
    sub = uri["Fn::Sub"] if isinstance(uri, dict) else str(uri)
    text, variables = (sub, {}) if isinstance(sub, str) else (sub[0], sub[1])
    found = _INTEGRATED_FUNCTION.search(text)
    if found:
        return found.group(1)
    aliases = [
        str(v["Ref"]) for v in variables.values() if isinstance(v, dict) and str(v.get("Ref")).endswith(".Alias")
    ]
    return aliases[0].removesuffix(".Alias") if aliases else None


def http_routes(sam: dict[str, Any]) -> list[Route]:
    """The routes of the HttpApi's DefinitionBody: each operation's function is the one its integration uri
    names, its authorizer the one its `security` names (none: public)."""
    routes = []
    paths = (_http_api(sam).get("DefinitionBody") or {}).get("paths", {})
    for path, operations in paths.items():
        for method, operation in operations.items():
            integration = operation["x-amazon-apigateway-integration"]
            function = _integrated_function(integration["uri"])
            if function is None:
                raise ValueError(f"{method.upper()} {path}: the integration uri names no function of the template")
            security = operation.get("security") or [{}]
            authorizer, scopes = next(iter(security[0].items()), (None, None))
            routes.append(
                Route(
                    "ANY" if method == "x-amazon-apigateway-any-method" else method.upper(),
                    path,
                    function,
                    authorizer,
                    tuple(scopes) if scopes else None,
                    int(integration.get("timeoutInMillis", 30_000)),
                )
            )
    return routes


def authorizers(sam: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The HttpApi's Auth.Authorizers by name (JwtConfiguration still holds intrinsics)."""
    found: dict[str, dict[str, Any]] = _http_api(sam).get("Auth", {}).get("Authorizers", {})
    return found


def cors_configuration(sam: dict[str, Any]) -> dict[str, Any]:
    cors: dict[str, Any] = _http_api(sam).get("CorsConfiguration", {})
    return cors


def timeout_scale() -> float:
    """NOZZLY_TIMEOUT_SCALE (default 1: the template's own timeouts). The test suite runs two local clouds and a
    browser on two cores, several times slower than Lambda: it stretches every function's timeout instead of
    failing a request that merely waited for a core."""
    try:
        scale = float(os.environ.get("NOZZLY_TIMEOUT_SCALE", "1"))
    except ValueError:
        raise SystemExit("NOZZLY_TIMEOUT_SCALE must be a number >= 1") from None
    if not 1 <= scale <= 10:
        raise SystemExit("NOZZLY_TIMEOUT_SCALE must be between 1 and 10")
    return scale


def functions(cfn: dict[str, Any]) -> dict[str, FunctionSpec]:
    specs = {}
    for logical_id, resource in cfn["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        props = resource["Properties"]
        specs[logical_id] = FunctionSpec(
            logical_id=logical_id,
            code_dir=local_path(props["Code"]),
            handler=props["Handler"],
            timeout=round(int(props.get("Timeout", 3)) * timeout_scale()),
            memory=int(props.get("MemorySize", 128)),
            environment=props.get("Environment", {}).get("Variables", {}),
        )
    return specs


def snake_case(logical_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", logical_id).lower()


# Parameter values of the local stack: throwaway tables may be deleted; payments go to the local peers; the
# gateway plays the console's and the images' CDN; mail leaves from a domain the emulator verifies at once.
def local_parameters() -> tuple[tuple[str, str], ...]:
    """The local stack's parameter values from the ports and settings in the environment now (a test process sets
    its cloud's ports after importing this module)."""
    return (
        ("DeletionProtection", "false"),
        ("ConsoleUrl", f"http://127.0.0.1:{api_port()}/console/"),
        ("ImagesUrl", f"http://127.0.0.1:{api_port()}/images"),
        ("EmailFrom", "no-reply@nozzly.dev"),
        ("SenderDomain", "nozzly.dev"),
        # Per-IP limits of the public routes (NOZZLY_PUBLIC_RATE_LIMITS: a test's own cloud with a low limit).
        (
            "PublicRateLimits",
            os.environ.get("NOZZLY_PUBLIC_RATE_LIMITS", DEFAULT_PUBLIC_RATE_LIMITS),
        ),
        *payment_parameters(),
        # Webhook receivers on loopback over http, and retry waits shortened (NOZZLY_WEBHOOK_BACKOFF_SCALE=1: real).
        ("WebhookAllowLoopbackHttp", "true"),
        ("WebhookBackoffScale", os.environ.get("NOZZLY_WEBHOOK_BACKOFF_SCALE", "0.001")),
        # The product import's AI copy from the local Bedrock runtime peer (localcloud/bedrock_peer.py).
        ("BedrockEndpointUrl", bedrock_url()),
        # Product research's trends source: praw pointed at the local Reddit API peer (localcloud/reddit_peer.py).
        ("RedditApiUrl", reddit_url()),
    )


LOCAL_PARAMETERS = local_parameters()  # as the environment was at import: a process started with its settings
