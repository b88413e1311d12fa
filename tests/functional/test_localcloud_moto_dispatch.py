"""moto's server finds the backend for a host and a handler's method names once (localcloud/moto_dispatch.py):
the answers are moto's own, requests to several services still reach their own backends, and the lookups that
listed moto's package folder and inspected a class on every request run once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from localcloud import moto_dispatch

pytestmark = pytest.mark.functional

HOSTS = [
    "dynamodb.us-east-1.amazonaws.com",
    "s3.amazonaws.com",
    "sqs.eu-west-1.amazonaws.com",
    "states.us-east-1.amazonaws.com",
    "dynamodb",
    "moto_api",
    "nothing.example.org",
]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Calls of the two lookups moto makes per request, counted under the patch."""
    from moto import backends
    from moto.core import responses

    calls = {"folder": 0, "methods": 0}
    listing, names = backends.list_of_moto_modules, responses.method_names_from_class

    def list_of_moto_modules() -> Any:
        calls["folder"] += 1
        return listing()

    def method_names_from_class(clazz: Any) -> Any:
        calls["methods"] += 1
        return names(clazz)

    monkeypatch.setattr(backends, "list_of_moto_modules", list_of_moto_modules)
    monkeypatch.setattr(responses, "method_names_from_class", method_names_from_class)
    return calls


@pytest.fixture
def endpoint(counted: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    undo = moto_dispatch.install()
    assert undo is not None
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        undo()


def test_each_host_gets_the_backend_moto_itself_finds_and_an_unknown_host_is_asked_again() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    own = DomainDispatcherApplication(create_backend_app)
    expected = {host: own.get_backend_for_host(host) for host in HOSTS}
    undo = moto_dispatch.install()
    assert undo is not None
    try:
        kept = DomainDispatcherApplication(create_backend_app)
        assert {host: kept.get_backend_for_host(host) for host in HOSTS} == expected
        assert {host: kept.get_backend_for_host(host) for host in HOSTS} == expected  # from what was kept
    finally:
        undo()
    assert expected["dynamodb.us-east-1.amazonaws.com"] == "dynamodb"
    assert expected["nothing.example.org"] is None


def test_requests_reach_their_own_services_and_moto_looks_each_answer_up_once(
    endpoint: str, counted: dict[str, int]
) -> None:
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    dynamodb.create_table(
        TableName="Carts",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    s3.create_bucket(Bucket="images")
    for n in range(5):
        dynamodb.put_item(TableName="Carts", Item={"pk": {"S": f"cart-{n}"}, "qty": {"N": str(n)}})
        s3.put_object(Bucket="images", Key=f"p{n}.png", Body=b"png")
    folder_lookups = counted["folder"]

    items = dynamodb.scan(TableName="Carts")["Items"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="images")["Contents"]]
    missing = dynamodb.get_item(TableName="Carts", Key={"pk": {"S": "none"}})

    assert sorted(int(i["qty"]["N"]) for i in items) == [0, 1, 2, 3, 4]
    assert keys == [f"p{n}.png" for n in range(5)]
    assert "Item" not in missing
    assert folder_lookups <= 2  # one per service's host, on its first request
    assert counted["folder"] == folder_lookups  # nothing listed moto's folder again
    assert counted["methods"] <= 2  # one per handler class, not one per request (13 requests)
