"""Reminder emails' cart links in the carts table: `pk={store}, sk=RECOVER#{sha256 of the token}`, one per email.

Each holds what its email showed (lines, currency, the cart it was about, the address) and expires with the
reminder's snapshot (TTL on expires_at). The token itself is never stored: a link is found by one GetItem of its
hash, no index needed, and only in the store the email came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.sales.adapters.carts import lines_data, lines_from
from nozzly.sales.domain.cart_recovery import RecoveryLink

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "RECOVER#"


def _key(store_id: str, token_hash: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{token_hash}"}}


class CartRecoveryLinks:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def write(self, links: list[RecoveryLink]) -> None:
        """The links of reminders about to be sent: one BatchWriteItem per 25 (retrying what comes back)."""
        dynamodb = dynamodb_client(self._dynamodb)
        puts = [{"PutRequest": {"Item": to_item(_to_data(link))}} for link in links]
        for start in range(0, len(puts), 25):
            request: dict[str, Any] = {self.table: puts[start : start + 25]}
            while request:
                request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    def find(self, store_id: str, token_hash: str) -> RecoveryLink | None:
        """The link, expired or not (the caller tells an expired one apart); None when this store has none."""
        response = dynamodb_client(self._dynamodb).get_item(
            TableName=self.table, Key=_key(store_id, token_hash), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None


def _to_data(link: RecoveryLink) -> dict[str, Any]:
    return {
        "pk": link.store_id,
        "sk": f"{PREFIX}{link.token_hash}",
        "type": "cart_recovery_link",
        "cart": link.cart_id,
        "email": link.email,
        "currency": link.currency,
        "lines": lines_data(link.lines),
        "expires_at": link.expires_at,
        "touched_at": link.touched_at,
    }


def _from_data(data: dict[str, Any]) -> RecoveryLink:
    currency = str(data["currency"])
    return RecoveryLink(
        store_id=data["pk"],
        token_hash=str(data["sk"]).removeprefix(PREFIX),
        cart_id=data["cart"],
        email=data["email"],
        currency=currency,
        lines=lines_from(data.get("lines", []), currency),
        expires_at=int(data["expires_at"]),
        touched_at=int(data.get("touched_at", 0)),
    )
