"""Repositories use the DynamoDB client they are given, and reach for the shared one only when used."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pytest

from nozzly.catalog.adapters.brands import BrandsRepository
from nozzly.kernel.adapters import aws
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.stores import StoresRepository

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

pytestmark = pytest.mark.unit


class RecordingDynamoDB:
    """Answers every read with nothing, remembering what was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def get_item(self, **request: Any) -> dict[str, Any]:
        self.calls.append(("GetItem", request))
        return {}

    def query(self, **request: Any) -> dict[str, Any]:
        self.calls.append(("Query", request))
        return {"Items": []}


def test_a_repository_reads_through_the_client_it_was_given() -> None:
    given = RecordingDynamoDB()
    dynamodb = cast("DynamoDBClient", given)

    assert StoresRepository("stores", dynamodb).find("lantern-loom") is None
    assert MembersRepository("stores", dynamodb).of_store("lantern-loom") == []

    assert [(name, request["TableName"]) for name, request in given.calls] == [
        ("GetItem", "stores"),
        ("Query", "stores"),
    ]


def test_building_a_repository_does_not_create_the_shared_client(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[str] = []

    def shared(service: str) -> Any:
        created.append(service)
        return RecordingDynamoDB()

    monkeypatch.setattr(aws, "client", shared)
    repositories = (StoresRepository("stores"), MembersRepository("stores"), BrandsRepository("catalog"))
    assert created == []  # a cold start builds repositories before it knows whether it needs boto3

    assert repositories[0].find("lantern-loom") is None
    assert created == ["dynamodb"]
