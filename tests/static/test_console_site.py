"""The console as the template deploys it: its CDN behaviour, headers, publisher, and self-contained files."""

from __future__ import annotations

import re
from typing import Any

import pytest

from localcloud.template import ROOT, load_sam
from nozzly.console.domain.site_files import SECURITY_HEADERS

pytestmark = pytest.mark.static

SAM = load_sam()
RESOURCES: dict[str, Any] = SAM["Resources"]
SITE = ROOT / "functions" / "console" / "site"
# Module statements at the start of a line: `import x from "y"`, `import { a,\n b } from "y"`, `import "y"`.
IMPORT = re.compile(r"""^(?:import|export)\b(?:[^;"'`]*?\bfrom)?\s*["']([^"']+)["']""", re.MULTILINE)


def test_the_distribution_serves_console_paths_from_the_bucket_and_the_rest_from_the_api() -> None:
    config = RESOURCES["ConsoleDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    [console] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/console*"]
    assert origins[console["TargetOriginId"]]["DomainName"] == {"Fn::GetAtt": ["ConsoleBucket", "RegionalDomainName"]}
    assert origins[console["TargetOriginId"]]["OriginAccessControlId"] == {"Fn::GetAtt": ["ConsoleOriginAccess", "Id"]}
    assert console["ResponseHeadersPolicyId"] == {"Ref": "ConsoleHeaders"}
    api = origins[config["DefaultCacheBehavior"]["TargetOriginId"]]
    assert "${HttpApi}.execute-api" in api["DomainName"]["Fn::Sub"]
    # API Gateway refuses a foreign Host header; the API's answers are never cached.
    assert config["DefaultCacheBehavior"]["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def test_the_cdn_adds_the_headers_the_local_cloud_adds() -> None:
    security = RESOURCES["ConsoleHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    hsts = security["StrictTransportSecurity"]
    deployed = {
        "strict-transport-security": f"max-age={hsts['AccessControlMaxAgeSec']}"
        + ("; includeSubDomains" if hsts.get("IncludeSubdomains") else ""),
        "x-content-type-options": "nosniff" if "ContentTypeOptions" in security else None,
        "x-frame-options": security["FrameOptions"]["FrameOption"],
        "referrer-policy": security["ReferrerPolicy"]["ReferrerPolicy"],
    }
    assert deployed == dict(SECURITY_HEADERS)


def test_the_bucket_is_private_and_readable_only_by_the_distribution() -> None:
    bucket = RESOURCES["ConsoleBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    [statement] = RESOURCES["ConsoleBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert statement["Action"] == "s3:GetObject"
    assert "${ConsoleDistribution}" in statement["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]


def test_every_change_to_the_site_publishes_it_again() -> None:
    files = RESOURCES["ConsoleFiles"]["Properties"]
    function = RESOURCES["Console"]["Properties"]
    # A new code package makes a new version, which changes Release, which makes CloudFormation send Update.
    assert function["AutoPublishAlias"] and files["Release"] == {"Ref": "Console.Version"}
    assert files["ServiceToken"] == {"Fn::GetAtt": ["Console", "Arn"]}
    assert files["Bucket"] == {"Ref": "ConsoleBucket"}


def test_the_site_loads_only_its_own_files() -> None:
    index = (SITE / "index.html").read_text()
    assert "https://" not in index.replace("__MEDIA_SOURCES__", "") and "wss://" not in index
    assert "<script>" not in index and " style=" not in index  # the CSP allows neither
    modules = list(SITE.rglob("*.js"))
    assert len(modules) > 5
    for module in modules:
        for target in IMPORT.findall(module.read_text()):
            assert target.startswith("."), f"{module.relative_to(SITE)} imports {target} from outside the site"
            assert (module.parent / target).resolve().is_file(), f"{module.relative_to(SITE)}: {target} is missing"
