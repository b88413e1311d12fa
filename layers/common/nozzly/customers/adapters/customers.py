"""A shopper's address book in the customers table: one partition per shopper and store.

pk `{store}#{sub}` (the store from the path, the sub from the verified token); sk `ADDRESS#{id}` per address
and `DEFAULTS` (default_shipping, version). One Query reads the whole book. Every change is one transaction:
the address write plus a Put of DEFAULTS conditioned on the version read, so two parallel changes cannot
both pass the 20-address limit or leave the default pointing at a deleted address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.customers.domain.customers import Address, AddressBook
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.errors import Conflict, NotFound

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

ADDRESS = "ADDRESS#"
DEFAULTS = "DEFAULTS"
_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone", "created_at")


def partition(store_id: str, sub: str) -> str:
    return f"{store_id}#{sub}"


def _address(data: dict[str, Any]) -> Address:
    return Address(
        id=data["sk"].removeprefix(ADDRESS),
        name=data["name"],
        line1=data["line1"],
        line2=data.get("line2"),
        city=data["city"],
        region=data.get("region"),
        postal_code=data["postal_code"],
        country=data["country"],
        phone=data.get("phone"),
        created_at=int(data.get("created_at", 0)),
    )


class AddressBookRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def read(self, store_id: str, sub: str) -> AddressBook:
        """The book in one consistent Query (at most 21 small items: never more than one page)."""
        answer = dynamodb_client(self._dynamodb).query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": partition(store_id, sub)}},
            ConsistentRead=True,
        )
        items = [from_item(i) for i in answer.get("Items", [])]
        defaults = next((i for i in items if i["sk"] == DEFAULTS), {})
        return AddressBook(
            addresses=tuple(_address(i) for i in items if i["sk"].startswith(ADDRESS)),
            default_shipping=defaults.get("default_shipping"),
            version=int(defaults.get("version", 0)),
        )

    def put(self, store_id: str, sub: str, before: AddressBook, after: AddressBook, address: Address) -> None:
        """Write a new address (`address.id` not in `before`) or replace an existing one."""
        existing = any(a.id == address.id for a in before.addresses)
        data = {"pk": partition(store_id, sub), "sk": ADDRESS + address.id} | {f: getattr(address, f) for f in _FIELDS}
        put = {
            "Put": {
                "TableName": self.table,
                "Item": to_item(data),
                "ConditionExpression": "attribute_exists(pk)" if existing else "attribute_not_exists(pk)",
            }
        }
        self._transact(put, self._defaults_op(store_id, sub, before, after), must_exist=existing)

    def delete(self, store_id: str, sub: str, before: AddressBook, after: AddressBook, address_id: str) -> None:
        delete = {
            "Delete": {
                "TableName": self.table,
                "Key": {"pk": {"S": partition(store_id, sub)}, "sk": {"S": ADDRESS + address_id}},
                "ConditionExpression": "attribute_exists(pk)",
            }
        }
        self._transact(delete, self._defaults_op(store_id, sub, before, after), must_exist=True)

    def _defaults_op(self, store_id: str, sub: str, before: AddressBook, after: AddressBook) -> dict[str, Any]:
        data = {
            "pk": partition(store_id, sub),
            "sk": DEFAULTS,
            "default_shipping": after.default_shipping,
            "version": before.version + 1,
        }
        op: dict[str, Any] = {"TableName": self.table, "Item": to_item(data)}
        if before.version == 0:
            op["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            op["ConditionExpression"] = "version = :version"
            op["ExpressionAttributeValues"] = {":version": {"N": str(before.version)}}
        return {"Put": op}

    def _transact(self, address_op: dict[str, Any], defaults_op: dict[str, Any], *, must_exist: bool) -> None:
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            dynamodb.transact_write_items(TransactItems=[address_op, defaults_op])  # type: ignore[list-item]
        except dynamodb.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons") or []]
            if must_exist and reasons[:1] == ["ConditionalCheckFailed"]:  # deleted meanwhile
                raise NotFound("no such address", field="address") from error
            raise Conflict("the address book changed meanwhile; read it and try again") from error
