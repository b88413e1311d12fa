"""The store-wide marketing opt-out in the carts table (where cart reminders, the first marketing email, put it).

`pk={store}, sk=OPTLINK#{token}`: one email's opt-out link (email, the cart it reminded of or "" for another
marketing email; TTL a year after that send). `pk={store}, sk=OPTOUT#{email}` (no TTL): the address opted out,
read in batches (a unit of work's ReadSet) before any marketing email goes. Sales' reminder adapter writes its
links in batches with the same keys (`link_item`), and records opt-outs through the link (`optout_key`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import to_item
from nozzly.marketing.domain.optouts import OPTOUT_LINK_TTL_SECONDS

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

LINK = "OPTLINK#"
OPTOUT = "OPTOUT#"


def optout_key(store_id: str, email: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{OPTOUT}{email.lower()}"}}


def link_item(store_id: str, token: str, email: str, cart: str, now: float) -> dict[str, Any]:
    """An opt-out link's item (plain values; `to_item` makes it DynamoDB's)."""
    return {
        "pk": store_id,
        "sk": f"{LINK}{token}",
        "type": "cart_reminder_optout_link",
        "email": email,
        "cart": cart,
        "expires_at": int(now) + OPTOUT_LINK_TTL_SECONDS,
    }


class MarketingOptOuts:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def opted_out_read(self, store_id: str, email: str) -> Read[bool]:
        """Read with others (a unit of work's ReadSet): True when this address opted out in this store."""
        return Read(self.table, optout_key(store_id, email), lambda _: True)

    def write_link(self, store_id: str, token: str, email: str, now: float) -> None:
        """The opt-out link of one marketing email that reminds of no cart (opting out drops no reminder but the
        address's own)."""
        item = link_item(store_id, token, email, "", now)
        dynamodb_client(self._dynamodb).put_item(TableName=self.table, Item=to_item(item))
