"""The local cloud's saved state (localcloud/persistence.py), under moto in-process: what a snapshot restores is
what was there (items, objects, users, queue messages, a Cognito token that still authenticates), restored locks
are new and free, and a snapshot of another moto or a torn file is moved aside, never loaded."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.base_backend import BackendDict

from localcloud import moto_pickle, persistence

pytestmark = pytest.mark.functional
REGION = "us-east-1"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


def _fill() -> dict[str, Any]:
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.create_table(
        TableName="carts",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    ddb.put_item(TableName="carts", Item={"pk": {"S": "cart-1"}, "qty": {"N": "2"}})
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="images")
    s3.put_object(Bucket="images", Key="a.png", Body=b"\x89PNG-bytes")
    sqs = boto3.client("sqs", region_name=REGION)
    queue = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="job-1")
    cognito = boto3.client("cognito-idp", region_name=REGION)
    pool = cognito.create_user_pool(PoolName="operators")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="console", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool, Username="owner@x.test", TemporaryPassword="Temp-Pass-1234")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username="owner@x.test", Password="Owner-Pass-1234", Permanent=True
    )
    token = cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "owner@x.test", "PASSWORD": "Owner-Pass-1234"},
    )["AuthenticationResult"]["AccessToken"]
    return {"queue": queue, "pool": pool, "client": client, "token": token}


def _forget_everything() -> None:
    for backend_dict in BackendDict._instances:
        dict.clear(backend_dict)
        for name, value in moto_pickle.own_attributes(backend_dict).items():
            setattr(backend_dict, name, type(value)())  # S3's bucket owners: empty, as in a new process


def test_a_restored_snapshot_holds_items_objects_messages_users_and_live_tokens(aws: None, tmp_path: Path) -> None:
    made = _fill()
    persistence.write(tmp_path, persistence.snapshot_bytes())
    _forget_everything()
    assert boto3.client("dynamodb", region_name=REGION).list_tables()["TableNames"] == []

    assert persistence.restore(tmp_path) is True

    ddb = boto3.client("dynamodb", region_name=REGION)
    assert ddb.get_item(TableName="carts", Key={"pk": {"S": "cart-1"}})["Item"]["qty"] == {"N": "2"}
    ddb.put_item(TableName="carts", Item={"pk": {"S": "cart-2"}})  # restored tables take writes
    assert boto3.client("s3", region_name=REGION).get_object(Bucket="images", Key="a.png")["Body"].read() == (
        b"\x89PNG-bytes"
    )
    sqs = boto3.client("sqs", region_name=REGION)
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=made["queue"])["Messages"]] == ["job-1"]
    cognito = boto3.client("cognito-idp", region_name=REGION)
    assert cognito.get_user(AccessToken=made["token"])["Username"] == "owner@x.test"  # a login survives
    again = cognito.initiate_auth(
        ClientId=made["client"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "owner@x.test", "PASSWORD": "Owner-Pass-1234"},
    )
    assert "AccessToken" in again["AuthenticationResult"]


def test_restored_items_keep_dynamodbs_item_size_limit(aws: None, tmp_path: Path) -> None:
    _fill()
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.put_item(TableName="carts", Item={"pk": {"S": "big"}, **{f"a{n}": {"S": "x" * 1000} for n in range(300)}})
    persistence.write(tmp_path, persistence.snapshot_bytes())  # items pickled without their per-key size check
    _forget_everything()
    assert persistence.restore(tmp_path) is True

    ddb = boto3.client("dynamodb", region_name=REGION)
    assert len(ddb.get_item(TableName="carts", Key={"pk": {"S": "big"}})["Item"]) == 301
    with pytest.raises(ddb.exceptions.ClientError, match="Item size"):  # the restored item still counts its size
        ddb.update_item(
            TableName="carts",
            Key={"pk": {"S": "big"}},
            UpdateExpression="SET more = :v",
            ExpressionAttributeValues={":v": {"S": "y" * 120_000}},
        )


def test_locks_come_back_new_and_free() -> None:
    held = threading.Lock()
    held.acquire()
    reentrant = threading.RLock()
    reentrant.acquire()
    state = {"lock": held, "rlock": reentrant, "condition": threading.Condition(), "event": threading.Event()}
    import io

    buffer = io.BytesIO()
    moto_pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    restored = pickle.loads(buffer.getvalue())

    assert restored["lock"].acquire(blocking=False)  # the saved one was held; its copy is free
    assert restored["rlock"].acquire(blocking=False)
    assert isinstance(restored["condition"], threading.Condition)
    assert not restored["event"].is_set()


def test_a_snapshot_of_another_moto_is_set_aside_and_nothing_is_loaded(
    aws: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    header = persistence._header() | {"moto": "4.0.0"}
    (tmp_path / persistence.SNAPSHOT).write_bytes(pickle.dumps(header) + pickle.dumps({"backends": [], "extras": {}}))

    assert persistence.restore(tmp_path) is False

    assert not (tmp_path / persistence.SNAPSHOT).exists()
    assert (tmp_path / f"{persistence.SNAPSHOT}.discarded").exists()
    assert "4.0.0" in caplog.text and "starting with an empty stack" in caplog.text


def test_a_torn_snapshot_is_set_aside(aws: None, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _fill()
    data = persistence.snapshot_bytes()
    (tmp_path / persistence.SNAPSHOT).write_bytes(data[: len(data) // 2])

    assert persistence.restore(tmp_path) is False
    assert "unreadable" in caplog.text
    assert (tmp_path / f"{persistence.SNAPSHOT}.discarded").exists()


def test_no_snapshot_means_an_empty_stack(tmp_path: Path) -> None:
    assert persistence.restore(tmp_path) is False


@pytest.mark.parametrize(
    ("environ", "changes"),
    [
        ({"HTTP_X_AMZ_TARGET": "DynamoDB_20120810.Query"}, False),
        ({"HTTP_X_AMZ_TARGET": "DynamoDBStreams_20120810.GetRecords"}, False),
        ({"HTTP_X_AMZ_TARGET": "AmazonSQS.ReceiveMessage"}, False),
        ({"HTTP_X_AMZ_TARGET": "DynamoDB_20120810.TransactWriteItems"}, True),
        ({"HTTP_X_AMZ_TARGET": "AWSCognitoIdentityProviderService.InitiateAuth"}, True),
        ({"REQUEST_METHOD": "GET"}, False),
        ({"REQUEST_METHOD": "PUT"}, True),
        ({"REQUEST_METHOD": "POST"}, True),  # SES's SendEmail and other query-protocol calls
    ],
)
def test_only_requests_that_may_change_state_make_a_periodic_save_due(environ: dict[str, str], changes: bool) -> None:
    assert persistence.changes_state(environ) is changes


def test_state_is_kept_only_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NOZZLY_PERSIST", raising=False)
    assert persistence.state_dir() is None
    monkeypatch.setenv("NOZZLY_PERSIST", "0")
    assert persistence.state_dir() is None
    monkeypatch.setenv("NOZZLY_PERSIST", "1")
    monkeypatch.setenv("NOZZLY_STATE_DIR", str(tmp_path))
    assert persistence.state_dir() == tmp_path


def test_a_payment_peer_keeps_its_memory_and_sets_aside_another_versions(tmp_path: Path) -> None:
    from localcloud.payments.peer_state import KeptState

    memory: dict[str, Any] = {"acct_1": {"charges_enabled": True}}
    kept = KeptState(tmp_path / "stripe.pickle", "1.15.10", lambda: dict(memory), memory.update)
    assert kept.save() is True
    assert kept.save() is False  # unchanged: nothing written

    memory.clear()
    assert KeptState(tmp_path / "stripe.pickle", "1.15.10", dict, memory.update).restore() is True
    assert memory == {"acct_1": {"charges_enabled": True}}

    newer = KeptState(tmp_path / "stripe.pickle", "2.0.0", dict, memory.update)
    assert newer.restore() is False
    assert (tmp_path / "stripe.pickle.discarded").exists()
