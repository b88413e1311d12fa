"""The emulator's stream pollers learn of new records from moto's backend in their own process, without a
request: the count they read is the stream's own."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from localcloud.streams import _stream_length
from localcloud.template import REGION

pytestmark = pytest.mark.functional


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    with mock_aws():
        yield


def test_the_peek_counts_the_streams_records_and_knows_no_stream_from_an_empty_one(aws: None) -> None:
    ddb = boto3.client("dynamodb", region_name=REGION)
    key = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
    attributes = [{"AttributeName": "pk", "AttributeType": "S"}]
    stream = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    ddb.create_table(TableName="streamed", AttributeDefinitions=attributes, StreamSpecification=stream, **key)  # type: ignore[arg-type]
    ddb.create_table(TableName="plain", AttributeDefinitions=attributes, **key)  # type: ignore[arg-type]
    streamed, plain, missing = _stream_length("streamed"), _stream_length("plain"), _stream_length("missing")
    assert (streamed(), plain(), missing()) == (0, -1, -1)

    ddb.put_item(TableName="streamed", Item={"pk": {"S": "a"}})
    ddb.put_item(TableName="streamed", Item={"pk": {"S": "a"}, "v": {"S": "changed"}})
    ddb.delete_item(TableName="streamed", Key={"pk": {"S": "a"}})
    assert streamed() == 3
