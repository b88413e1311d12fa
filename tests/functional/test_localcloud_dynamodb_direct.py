"""DynamoDB calls answered without moto's Flask app (localcloud/dynamodb_direct.py) answer byte for byte as moto's
own server does: the same calls, in the same order, from the same empty state, through both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.backends import get_backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from localcloud.dynamodb_direct import direct
from tests.functional.loopback_wsgi import serving

pytestmark = pytest.mark.functional

VARYING = {"x-amzn-requestid", "date", "server"}  # a fresh id per answer; the clock; the server's version


def answers(app: Any, calls: Callable[[Any], None]) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    """Every raw answer `calls` got from `app`, served on loopback as the emulator serves it."""
    get_backend("dynamodb").reset()
    seen: list[tuple[int, list[tuple[str, str]], bytes]] = []

    def keep(http_response: Any, **_: Any) -> None:
        headers = sorted((k.lower(), v) for k, v in http_response.headers.items() if k.lower() not in VARYING)
        seen.append((http_response.status_code, headers, http_response.content))

    with serving(app) as server:
        ddb = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{server.server_port}", region_name="eu-west-1")
        ddb.meta.events.register("after-call.dynamodb", keep)
        calls(ddb)
    return seen


def refused(call: Callable[[], Any]) -> None:
    with pytest.raises(ClientError):
        call()


def journey(ddb: Any) -> None:
    """Reads, writes, conditions, transactions and errors, as the services make them."""
    key = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    types = [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk")]
    ddb.create_table(TableName="carts", KeySchema=key, AttributeDefinitions=types, BillingMode="PAY_PER_REQUEST")
    cart = {"pk": {"S": "store"}, "sk": {"S": "CART#1"}, "lines": {"L": [{"M": {"q": {"N": "2"}}}]}, "v": {"N": "1"}}
    ddb.put_item(TableName="carts", Item=cart, ReturnConsumedCapacity="TOTAL")
    ddb.get_item(TableName="carts", Key={"pk": cart["pk"], "sk": cart["sk"]}, ConsistentRead=True)
    ddb.update_item(
        TableName="carts",
        Key={"pk": cart["pk"], "sk": cart["sk"]},
        UpdateExpression="SET v = v + :one, #n = :name",
        ConditionExpression="v = :v",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":v": {"N": "1"}, ":name": {"S": "Ada"}},
        ReturnValues="ALL_NEW",
    )
    refused(
        lambda: ddb.put_item(
            TableName="carts",
            Item=cart,
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    )
    refused(lambda: ddb.get_item(TableName="missing", Key={"pk": {"S": "x"}}))
    refused(lambda: ddb.update_item(TableName="carts", Key={"pk": {"S": "x"}}, UpdateExpression="SET nonsense"))
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "carts", "Item": {"pk": {"S": "store"}, "sk": {"S": f"ORDER#{n}"}}}} for n in range(3)
        ]
    )
    refused(
        lambda: ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "carts", "Item": {"pk": {"S": "store"}, "sk": {"S": "ORDER#9"}}}},
                {
                    "ConditionCheck": {
                        "TableName": "carts",
                        "Key": {"pk": cart["pk"], "sk": cart["sk"]},
                        "ConditionExpression": "v = :old",
                        "ExpressionAttributeValues": {":old": {"N": "1"}},
                    }
                },
            ]
        )
    )
    ddb.query(
        TableName="carts",
        KeyConditionExpression="pk = :p AND begins_with(sk, :o)",
        ExpressionAttributeValues={":p": {"S": "store"}, ":o": {"S": "ORDER#"}},
        Limit=2,
    )
    ddb.batch_get_item(RequestItems={"carts": {"Keys": [{"pk": cart["pk"], "sk": cart["sk"]}]}})
    ddb.delete_item(TableName="carts", Key={"pk": cart["pk"], "sk": cart["sk"]}, ReturnValues="ALL_OLD")
    ddb.scan(TableName="carts")


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    yield
    get_backend("dynamodb").reset()


def test_every_answer_is_motos_own(credentials: None) -> None:
    mine = direct(DomainDispatcherApplication(create_backend_app))
    assert mine is not None, "moto is not the version the direct path was written for"
    own = answers(DomainDispatcherApplication(create_backend_app), journey)
    fast = answers(mine, journey)
    assert len(own) == len(fast) == 13
    create_own, create_fast = own.pop(0), fast.pop(0)  # its answer holds the table's creation time
    assert (create_own[0], create_own[1][:1]) == (create_fast[0], create_fast[1][:1])
    for number, (theirs, ours) in enumerate(zip(own, fast, strict=True), start=2):
        assert ours == theirs, f"call {number} answered differently"
    assert {status for status, _, _ in own} == {200, 400}


def test_other_services_and_browsers_take_motos_way(credentials: None) -> None:
    taken: list[str] = []

    def moto_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        taken.append(environ.get("HTTP_X_AMZ_TARGET", environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    app = direct(moto_app)
    assert app is not None
    for environ in (
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "HTTP_X_AMZ_TARGET": "AmazonSQS.SendMessage"},
        {"REQUEST_METHOD": "PUT", "PATH_INFO": "/bucket/key"},
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.GetItem",
            "HTTP_ORIGIN": "x",
        },
    ):
        app(environ, lambda *_: None)
    assert taken == ["AmazonSQS.SendMessage", "/bucket/key", "DynamoDB_20120810.GetItem"]
