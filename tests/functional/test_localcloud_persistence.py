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


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _requests(saver: persistence.Saver, clock: Clock, *, seconds: float, every: float, write: bool) -> int:
    """Requests through the saver's wrapper for `seconds`, one every `every`; how many saves fell due meanwhile."""
    app = saver.wrap(lambda environ, start_response: [b"{}"])
    environ = {"HTTP_X_AMZ_TARGET": "DynamoDB_20120810." + ("PutItem" if write else "GetItem")}
    due = 0
    end = clock.now + seconds
    while clock.now < end:
        app(environ, lambda *_: None)
        clock.now += every
        due += saver.due()
    return due


def test_a_change_is_saved_once_the_emulator_is_quiet_not_while_requests_come(tmp_path: Path) -> None:
    clock = Clock()
    saver = persistence.Saver(tmp_path, threading.Lock(), clock)
    clock.now += persistence.SAVE_INTERVAL  # the last snapshot is old enough
    assert _requests(saver, clock, seconds=60, every=0.5, write=True) == 0  # a minute of traffic: never due
    clock.now += persistence.SAVE_QUIET_S - 0.5
    assert saver.due()  # quiet since the last request
    assert saver.save("quiet")
    assert (tmp_path / persistence.SNAPSHOT).exists()
    assert not saver.due()  # nothing changed since
    assert _requests(saver, clock, seconds=10, every=3.0, write=False) == 0  # reads change nothing


def test_a_busy_emulator_saves_a_change_by_its_deadline_and_not_twice_within_the_interval(tmp_path: Path) -> None:
    clock = Clock()
    saver = persistence.Saver(tmp_path, threading.Lock(), clock)
    due = _requests(saver, clock, seconds=persistence.SAVE_LATEST - 1, every=1.0, write=True)
    assert due == 0
    assert _requests(saver, clock, seconds=2, every=1.0, write=True) > 0  # never quiet, but the change is old
    saver.save("overdue")
    _requests(saver, clock, seconds=1, every=1.0, write=True)
    clock.now += persistence.SAVE_QUIET_S
    assert not saver.due()  # quiet, but the last snapshot is younger than the interval
    clock.now += persistence.SAVE_INTERVAL
    assert saver.due()


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
