"""template.yaml: lint-clean, consistent with functions/ and each function's FastAPI routes, and safe defaults."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from localcloud.docs import is_page
from localcloud.openapi_export import load_app_module
from localcloud.routes import RouteTable
from localcloud.template import ROOT, TEMPLATE, functions, http_routes, load_sam, snake_case, transformed

pytestmark = pytest.mark.static

SAM = load_sam()
SAM_CLI = ROOT / ".venv-sam" / "bin" / "sam"
FUNCTIONS_DIR = ROOT / "functions"


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in SAM["Resources"].items() if r["Type"] == kind}


SERVERLESS_FUNCTIONS = resources("AWS::Serverless::Function")
TABLES = resources("AWS::DynamoDB::Table")


def code_dir(logical_id: str) -> Path:
    uri = SERVERLESS_FUNCTIONS[logical_id]["Properties"]["CodeUri"]
    assert isinstance(uri, str), f"{logical_id}: CodeUri must be a local folder, got {uri!r}"
    return (ROOT / uri).resolve()


def test_cfn_lint_has_no_errors_or_warnings() -> None:
    from cfnlint.api import lint_file

    matches = [m for m in lint_file(TEMPLATE) if m.rule.id[:1] in ("E", "W")]
    assert not matches, "cfn-lint:\n" + "\n".join(str(m) for m in matches)


def test_sam_validate_lint() -> None:
    if not SAM_CLI.exists():
        pytest.fail(f"{SAM_CLI.relative_to(ROOT)} is missing: run `make install` to create the SAM CLI venv")
    result = subprocess.run(
        [str(SAM_CLI), "validate", "--lint"],
        cwd=ROOT,
        env=os.environ | {"SAM_CLI_TELEMETRY": "0"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"sam validate --lint failed:\n{result.stdout}\n{result.stderr}"


def test_every_function_folder_is_deployed_exactly_once() -> None:
    folders = {p.resolve() for p in FUNCTIONS_DIR.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders, "functions/ holds no function folders"
    uses = Counter(code_dir(lid) for lid in SERVERLESS_FUNCTIONS)
    wrong = {f.name: uses[f] for f in folders if uses[f] != 1}
    assert not wrong, f"folders under functions/ not referenced by exactly one CodeUri: {wrong}"


@pytest.mark.parametrize("logical_id", sorted(SERVERLESS_FUNCTIONS))
def test_function_code_folder(logical_id: str) -> None:
    folder = code_dir(logical_id)
    assert folder.parent == FUNCTIONS_DIR.resolve(), f"{logical_id}: CodeUri {folder} is not under functions/"
    assert folder.name == snake_case(logical_id)
    assert (folder / "app.py").is_file(), f"{folder}/app.py is missing"
    props = SERVERLESS_FUNCTIONS[logical_id]["Properties"]
    assert props.get("Handler", SAM["Globals"]["Function"].get("Handler")) == "app.handler"
    # the local cloud reads the same folder and handler out of the transformed template
    spec = functions(transformed())[logical_id]
    assert (spec.code_dir.resolve(), spec.handler) == (folder, "app.handler")


def fastapi_routes(module: ModuleType) -> set[tuple[str, str]]:
    app = getattr(module, "app", None)
    if not isinstance(app, FastAPI):
        return set()
    # FastAPI >= 0.137 keeps included routers as lazy _IncludedRouter nodes in app.routes:
    # iter_route_contexts walks them and yields each route with its full, prefixed path.
    routes = set()
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            path = re.sub(r"\{(\w+):path\}", r"{\1+}", context.path or "")  # API Gateway greedy syntax
            routes |= {(method, path) for method in context.methods or ()}
    return routes


def test_the_http_api_has_routes() -> None:
    assert http_routes(SAM), "no routes in the HttpApi's DefinitionBody"


def _example_path(path: str) -> str:
    """A concrete path a route pattern matches: every {param} and {proxy+} filled in."""
    return re.sub(r"\{(\w+)\+?\}", "x", path)


PAGE_FUNCTIONS = sorted({r.function for r in http_routes(SAM) if is_page(r)})


@pytest.mark.parametrize("logical_id", PAGE_FUNCTIONS)
def test_page_functions_serve_what_their_greedy_routes_send_them(logical_id: str) -> None:
    """A page function's routes are greedy (ANY .../{proxy+}); its app routes each page. Every page path must reach
    this function through the gateway, and every template route must lead to at least one page."""
    table = RouteTable(http_routes(SAM))
    declared = {r for r in http_routes(SAM) if r.function == logical_id}
    served = fastapi_routes(load_app_module(code_dir(logical_id)))
    astray = []
    reached = set()
    for method, path in served:
        found = table.match(method, _example_path(path))
        if found is None or found.route.function != logical_id:
            astray.append((method, path, found.route.function if found else None))
        else:
            reached.add(found.route)
    assert not astray, f"{logical_id}: pages the gateway sends elsewhere: {astray}"
    assert declared <= reached, f"{logical_id}: template routes that lead to no page: {declared - reached}"


@pytest.mark.parametrize("logical_id", sorted(set(SERVERLESS_FUNCTIONS) - set(PAGE_FUNCTIONS)))
def test_http_api_routes_match_the_function_app(logical_id: str) -> None:
    declared = {(r.method, r.path) for r in http_routes(SAM) if r.function == logical_id}
    served = fastapi_routes(load_app_module(code_dir(logical_id)))
    assert not declared - served, f"{logical_id}: template routes no FastAPI route serves: {declared - served}"
    assert not served - declared, f"{logical_id}: FastAPI routes the template never routes to: {served - declared}"


def test_function_globals() -> None:
    glob = SAM["Globals"]["Function"]
    assert glob["Runtime"] == "python3.12"
    assert glob["Architectures"] == ["arm64"]
    assert glob["Tracing"] == "Active"
    common = [
        lid
        for lid, r in resources("AWS::Serverless::LayerVersion").items()
        if r["Properties"]["ContentUri"].rstrip("/") == "layers/common"
    ]
    assert len(common) == 1, f"expected one layer built from layers/common/, got {common}"
    assert {"Ref": common[0]} in glob["Layers"]


def test_no_function_overrides_the_globals_away() -> None:
    cfn = transformed()["Resources"]
    lambdas = {lid: r["Properties"] for lid, r in cfn.items() if r["Type"] == "AWS::Lambda::Function"}
    assert set(lambdas) == set(SERVERLESS_FUNCTIONS)
    for lid, props in lambdas.items():
        assert props["Runtime"] == "python3.12", lid
        assert props["Architectures"] == ["arm64"], lid
        assert props["TracingConfig"] == {"Mode": "Active"}, lid
        layers = [cfn[ref["Ref"]]["Properties"]["Content"] for ref in props["Layers"] if "Ref" in ref]
        assert any(c.get("S3Key") == "layers/common" for c in layers), f"{lid} lacks the common layer"


@pytest.mark.parametrize("logical_id", sorted(SERVERLESS_FUNCTIONS))
def test_function_logs_to_a_retained_log_group(logical_id: str) -> None:
    props = transformed()["Resources"][logical_id]["Properties"]
    group = props.get("LoggingConfig", {}).get("LogGroup")
    assert isinstance(group, dict) and set(group) == {"Ref"}, f"{logical_id}: LoggingConfig.LogGroup is {group!r}"
    target = SAM["Resources"].get(group["Ref"], {})
    assert target.get("Type") == "AWS::Logs::LogGroup", f"{logical_id} logs to {group['Ref']}, not a log group"
    assert "RetentionInDays" in target.get("Properties", {}), f"{group['Ref']} keeps logs forever"


def test_every_log_group_has_a_retention() -> None:
    forever = [lid for lid, r in resources("AWS::Logs::LogGroup").items() if "RetentionInDays" not in r["Properties"]]
    assert not forever


def test_expected_tables_exist() -> None:
    assert {"StoresTable", "CatalogTable", "CartsTable", "OrdersTable"} <= set(TABLES)
    assert SAM["Parameters"]["DeletionProtection"]["Default"] == "true"


def tied_to_deletion_protection(value: Any) -> bool:
    if value == {"Ref": "DeletionProtection"}:
        return True
    if not (isinstance(value, dict) and list(value) == ["Fn::If"]):
        return False
    condition, when_true, when_false = value["Fn::If"]
    equals = SAM.get("Conditions", {}).get(condition, {}).get("Fn::Equals", [])
    return (
        len(equals) == 2
        and {"Ref": "DeletionProtection"} in equals
        and "true" in equals
        and when_true in (True, "true")
        and when_false in (False, "false")
    )


@pytest.mark.parametrize("logical_id", sorted(TABLES))
def test_table_settings(logical_id: str) -> None:
    props = TABLES[logical_id]["Properties"]
    assert props.get("BillingMode") == "PAY_PER_REQUEST"
    assert props.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled") is True
    assert props.get("SSESpecification", {}).get("SSEEnabled") is True
    protection = props.get("DeletionProtectionEnabled")
    assert tied_to_deletion_protection(protection), f"DeletionProtectionEnabled is {protection!r}"


def test_carts_expire_by_ttl() -> None:
    ttl = TABLES["CartsTable"]["Properties"].get("TimeToLiveSpecification")
    assert ttl == {"AttributeName": "expires_at", "Enabled": True}


def test_images_bucket_is_private_and_versioned() -> None:
    props = SAM["Resources"]["ImagesBucket"]["Properties"]
    block = props.get("PublicAccessBlockConfiguration", {})
    flags = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
    assert {flag: block.get(flag) for flag in flags} == dict.fromkeys(flags, True)
    assert props.get("VersioningConfiguration") == {"Status": "Enabled"}
