"""The local HTTP API stops waiting for a function at the route's integration timeout, as HTTP API does: the
client gets 503 {"message": "Service Unavailable"} with the request id, and the function still runs to its end
(Lambda does not stop a function whose caller has gone). A route without its own timeoutInMillis has HTTP API's 30 s."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from localcloud import authorizers, gateway
from localcloud.routes import RouteTable
from localcloud.template import FunctionSpec, Route, http_routes
from localcloud.workers import CodeWatcher, FunctionPool

pytestmark = pytest.mark.functional

HANDLER = """
import json, pathlib, time

def handler(event, context):
    seconds = float(event["queryStringParameters"]["sleep"])
    time.sleep(seconds)
    pathlib.Path(event["queryStringParameters"]["mark"]).write_text("finished")
    return {"statusCode": 200, "body": json.dumps({"slept": seconds})}
"""
TIMEOUT_MS = 400


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("NOZZLY_TIMEOUT_SCALE", raising=False)
    code = tmp_path / "slow"
    code.mkdir()
    (code / "app.py").write_text(HANDLER)
    spec = FunctionSpec("Slow", code, "app.handler", timeout=30, memory=128, environment={})
    pool = FunctionPool(
        spec, "slow", {"PATH": "/usr/bin:/bin"}, "arn:aws:lambda:us-east-1:123456789012:function:slow", 2
    )
    cloud = gateway.LocalCloud(
        routes=RouteTable([Route("GET", "/slow", "Slow", timeout_ms=TIMEOUT_MS)]),
        pools={"Slow": pool},
        by_name={"slow": "Slow"},
        cors={},
        watcher=CodeWatcher(roots=(code,)),
        schedules=[],
        auth=authorizers.RouteAuthorizers(by_name={}),
    )
    server = gateway.GatewayServer(("127.0.0.1", 0), type("Bound", (gateway.Handler,), {"cloud": cloud}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        pool.stop()


def get(url: str) -> tuple[int, dict[str, str], object]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.05)
    return False


def test_an_answer_within_the_timeout_arrives(api: str, tmp_path: Path) -> None:
    mark = tmp_path / "fast.txt"
    status, _, body = get(f"{api}/slow?sleep=0&mark={mark}")
    assert (status, body) == (200, {"slept": 0.0})


def test_a_function_slower_than_the_integration_timeout_is_a_503_and_still_finishes(api: str, tmp_path: Path) -> None:
    get(f"{api}/slow?sleep=0&mark={tmp_path / 'warm.txt'}")  # an instance is warm: the cold start is not timed
    mark = tmp_path / "slow.txt"
    began = time.monotonic()
    status, headers, body = get(f"{api}/slow?sleep=2&mark={mark}")
    waited = time.monotonic() - began

    assert (status, body) == (503, {"message": "Service Unavailable"})
    assert headers["apigw-requestid"]
    assert TIMEOUT_MS / 1000 <= waited < 1.5  # the gateway answered at the timeout, not when the function ended
    assert not mark.exists()
    assert wait_for(mark, 10), "the function was stopped when the gateway stopped waiting"


def test_a_route_takes_its_integrations_timeout_and_otherwise_http_apis_thirty_seconds() -> None:
    uri = {"Fn::Sub": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${Slow.Arn}/invocations"}
    paths = {
        "/slow": {"get": {"x-amazon-apigateway-integration": {"uri": uri, "timeoutInMillis": 5000}}},
        "/plain": {"get": {"x-amazon-apigateway-integration": {"uri": uri}}},
    }
    sam = {
        "Resources": {"Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {"DefinitionBody": {"paths": paths}}}}
    }
    assert {r.path: r.timeout_ms for r in http_routes(sam)} == {"/slow": 5000, "/plain": 30_000}
