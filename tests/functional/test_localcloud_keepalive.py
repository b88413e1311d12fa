"""The emulator's HTTP server keeps connections open (localcloud/keepalive_wsgi.py): a client's requests share one
connection, a body the application does not read cannot spill into the next request, chunked bodies arrive
whole, and HEAD, 204 and 100-continue answer as HTTP says. Then real AWS calls to moto through it."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import BaseWSGIServer

from localcloud import keepalive_wsgi
from tests.functional.loopback_wsgi import serving

pytestmark = pytest.mark.functional


def demo_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Echoes what it was given; /ignore does not read the body, /empty answers 204, /sized sets a length."""
    path = environ["PATH_INFO"]
    if path == "/empty":
        start_response("204 No Content", [])
        return []
    if path == "/sized":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"hello"]
    body = b"" if path == "/ignore" else environ["wsgi.input"].read()
    seen = {
        "path": path,
        "peer_port": environ["REMOTE_PORT"],
        "body": body.decode(),
        "method": environ["REQUEST_METHOD"],
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]


@pytest.fixture
def demo() -> Iterator[BaseWSGIServer]:
    with serving(demo_app) as server:
        yield server


def test_requests_share_one_connection_and_an_unread_body_does_not_spill(demo: BaseWSGIServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", demo.server_port, timeout=10)
    connection.request("POST", "/echo", body=b'{"a": 1}')
    first = connection.getresponse()
    assert first.getheader("Connection") is None
    seen = json.loads(first.read())
    assert seen["body"] == '{"a": 1}'
    connection.request("POST", "/ignore", body=b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
    ignored = json.loads(connection.getresponse().read())
    connection.request("GET", "/after")
    after = json.loads(connection.getresponse().read())
    assert after["path"] == "/after", "the unread body was taken for the next request"
    assert seen["peer_port"] == ignored["peer_port"] == after["peer_port"], "the server closed the connection"
    connection.close()


def test_a_chunked_body_arrives_whole(demo: BaseWSGIServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", demo.server_port, timeout=10)
    connection.request("PUT", "/echo", body=iter([b"part one, ", b"part two"]), encode_chunked=True)
    assert json.loads(connection.getresponse().read())["body"] == "part one, part two"
    connection.request("GET", "/again")
    assert json.loads(connection.getresponse().read())["path"] == "/again"
    connection.close()


def test_head_and_204_answer_without_a_body(demo: BaseWSGIServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", demo.server_port, timeout=10)
    connection.request("HEAD", "/sized")
    head = connection.getresponse()
    assert (head.status, head.getheader("Content-Length"), head.read()) == (200, "5", b"")
    connection.request("DELETE", "/empty")
    empty = connection.getresponse()
    assert (empty.status, empty.read()) == (204, b"")
    connection.request("GET", "/sized")
    assert connection.getresponse().read() == b"hello"
    connection.close()


def test_expect_100_continue_is_answered_before_the_body(demo: BaseWSGIServer) -> None:
    with socket.create_connection(("127.0.0.1", demo.server_port), timeout=10) as raw:
        raw.sendall(b"PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 100 Continue")
        raw.sendall(b"data")
        answer = b""
        while not answer.endswith(b"}"):
            answer += raw.recv(4096)
    assert b'"body": "data"' in answer


def test_a_failing_application_answers_500_and_closes() -> None:
    def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise RuntimeError("boom")

    with serving(broken) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert (response.status, response.getheader("Connection")) == (500, "close")


def test_aws_calls_to_moto_reuse_one_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    accepted: list[int] = []
    moto_app = DomainDispatcherApplication(create_backend_app)

    def counting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        accepted.append(environ["REMOTE_PORT"])
        return moto_app(environ, start_response)

    with serving(counting) as server:
        endpoint = f"http://127.0.0.1:{server.server_port}"
        ddb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
        ddb.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
        assert ddb.get_item(TableName="t", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "1"}
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        s3.create_bucket(Bucket="keepalive-bucket")
        s3.put_object(Bucket="keepalive-bucket", Key="k", Body=b"x" * 2_000_000)
        assert s3.head_object(Bucket="keepalive-bucket", Key="k")["ContentLength"] == 2_000_000
        assert s3.get_object(Bucket="keepalive-bucket", Key="k")["Body"].read() == b"x" * 2_000_000
        assert len(set(accepted)) == 2, f"one connection per client expected, saw {len(set(accepted))}"


def test_each_answer_is_dated_to_its_own_second(demo: BaseWSGIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Date header is formatted once a second and kept: answers in one second share it, the next second's
    answer has its own."""
    now = [0.0]
    monkeypatch.setattr(keepalive_wsgi, "time", SimpleNamespace(time=lambda: now[0]))
    connection = http.client.HTTPConnection("127.0.0.1", demo.server_port, timeout=10)
    dates = []
    for moment in (1_767_225_600.2, 1_767_225_600.9, 1_767_225_601.1):
        now[0] = moment
        connection.request("GET", "/after")
        answer = connection.getresponse()
        answer.read()
        dates.append(answer.getheader("Date"))
    connection.close()
    assert dates == ["Thu, 01 Jan 2026 00:00:00 GMT"] * 2 + ["Thu, 01 Jan 2026 00:00:01 GMT"]
