"""Abandoned-cart reminders in the carts table: `pk={store}, sk=REMIND#{cart id}`, one item per cart.

The item is written in the same transaction as each change of its cart (a cart with no known email has none),
so it always shows the cart's latest lines; it outlives the cart (TTL on expires_at, 7 days after the change).
A snapshot with lines is in index gsi2 under the UTC hour it was touched (`gsi2pk=TOUCHED#{yyyy-mm-ddThh}`,
`gsi2sk={store}#{cart id}`), so the reminder job queries the hours that are due instead of scanning the table.
Each stage is claimed with a conditional update before its email is sent (`stage_{n}h`), conditioned on the
snapshot read (`touched_at`, `cart_version`): a cart touched meanwhile, or a stage claimed already, is skipped.

Opting out is store-wide, for every marketing email (marketing/adapters/optouts.py owns its items): the claim
mints the snapshot's `optout_token` if it has none, and each send writes the token's link
`pk={store}, sk=OPTLINK#{token}` (email, cart id; TTL a year after that send). The link records the opt-out,
`pk={store}, sk=OPTOUT#{email}` (no TTL), which the job reads in batches before sending.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.marketing.adapters.optouts import LINK, MarketingOptOuts, link_item, optout_key
from nozzly.sales.adapters.carts import lines_data, lines_from
from nozzly.sales.domain.cart_reminders import STAGES, Reminder
from nozzly.sales.domain.carts import CartOwner, cart_id

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "REMIND#"
TOUCH_INDEX = "gsi2"


def touch_bucket(epoch: float) -> str:
    """The gsi2 partition of snapshots touched in the hour that holds `epoch`."""
    return "TOUCHED#" + datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H")


def _stage(stage: int) -> str:
    return f"stage_{stage}h"


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A snapshot as the touch index shows it: enough to claim a stage only if it is still this snapshot."""

    store_id: str
    cart_id: str
    touched_at: int
    cart_version: int
    checkout: str | None
    reminded: frozenset[int]


@dataclass(frozen=True, slots=True)
class OptOutLink:
    """What an email's opt-out token stands for: this address, from this cart's reminders, in this store."""

    store_id: str
    token: str
    email: str
    cart_id: str


def _key(store_id: str, the_cart: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{the_cart}"}}


def _from_data(data: dict[str, Any]) -> Reminder:
    owner, _, owner_id = str(data["sk"]).removeprefix(PREFIX).partition(":")
    currency = str(data["currency"])
    return Reminder(
        store_id=data["pk"],
        owner=CartOwner(owner),
        owner_id=owner_id,
        email=data["email"],
        currency=currency,
        lines=lines_from(data.get("lines", []), currency),
        touched_at=int(data.get("touched_at", 0)),
        cart_version=int(data.get("cart_version", 0)),
        expires_at=int(data["expires_at"]),
        checkout=data.get("checkout"),
        reminded=_reminded(data),
        optout_token=data.get("optout_token"),
    )


def _reminded(data: dict[str, Any]) -> frozenset[int]:
    return frozenset(stage for stage in STAGES if _stage(stage) in data)


class CartRemindersRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def reminder_read(self, store_id: str, owner: CartOwner, owner_id: str) -> Read[Reminder]:
        """Read with the cart (a unit of work's ReadSet): the email a change of the cart writes on with."""
        return Read(self.table, _key(store_id, cart_id(owner, owner_id)), _from_data)

    def put_op(self, reminder: Reminder) -> dict[str, Any]:
        """The whole item, every stage open again (for the cart's transaction)."""
        data: dict[str, Any] = {
            "pk": reminder.store_id,
            "sk": f"{PREFIX}{reminder.cart_id}",
            "type": "cart_reminder",
            "email": reminder.email,
            "currency": reminder.currency,
            "expires_at": reminder.expires_at,
            "checkout": reminder.checkout,
        }
        if reminder.optout_token:
            data["optout_token"] = reminder.optout_token
        if reminder.lines:  # an email alone is remembered, but nothing is due: not in the touch index
            data |= {
                "lines": lines_data(reminder.lines),
                "subtotal": reminder.subtotal.amount,
                "touched_at": reminder.touched_at,
                "cart_version": reminder.cart_version,
                "gsi2pk": touch_bucket(reminder.touched_at),
                "gsi2sk": f"{reminder.store_id}#{reminder.cart_id}",
            }
        return {"Put": {"TableName": self.table, "Item": to_item(data)}}

    def delete_op(self, store_id: str, owner: CartOwner, owner_id: str) -> dict[str, Any]:
        return {"Delete": {"TableName": self.table, "Key": _key(store_id, cart_id(owner, owner_id))}}

    def checkout_op(self, reminder: Reminder, checkout_id: str) -> dict[str, Any]:
        """For a checkout's start: its email becomes the reminder's, and the snapshot names the checkout (no
        reminder while it may become an order). Unconditional, so it can never fail the checkout: the snapshot
        the cart's last change wrote is kept (with its stages), and `reminder` (the cart as the checkout read
        it) is written only where none exists (a guest who gave no email before). The opt-out token goes: the
        checkout's email may be another address, and the next send mints one for whichever it is."""
        names = {"#type": "type", "#lines": "lines"}
        values: dict[str, Any] = {
            ":type": "cart_reminder",
            ":email": reminder.email,
            ":checkout": checkout_id,
            ":currency": reminder.currency,
            ":expires": reminder.expires_at,
            ":lines": lines_data(reminder.lines),
            ":subtotal": reminder.subtotal.amount,
            ":touched": reminder.touched_at,
            ":version": reminder.cart_version,
            ":bucket": touch_bucket(reminder.touched_at),
            ":sort": f"{reminder.store_id}#{reminder.cart_id}",
        }
        update = (
            "SET #type = :type, email = :email, checkout = :checkout, expires_at = :expires,"
            " #lines = if_not_exists(#lines, :lines), currency = if_not_exists(currency, :currency),"
            " subtotal = if_not_exists(subtotal, :subtotal), touched_at = if_not_exists(touched_at, :touched),"
            " cart_version = if_not_exists(cart_version, :version), gsi2pk = if_not_exists(gsi2pk, :bucket),"
            " gsi2sk = if_not_exists(gsi2sk, :sort) REMOVE optout_token"
        )
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(reminder.store_id, reminder.cart_id),
                "UpdateExpression": update,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": to_item(values),
            }
        }

    # ---- the reminder job
    def due_in_hour(self, hour: float, stage: int, touched_before: float) -> Iterator[DueReminder]:
        """Snapshots of every store touched in the hour holding `hour`, before `touched_before`, that `stage`
        has not been claimed for (gsi2 is eventually consistent: each claim is conditioned on what is read)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": TOUCH_INDEX,
            "KeyConditionExpression": "gsi2pk = :bucket",
            "FilterExpression": "attribute_not_exists(#stage) AND touched_at <= :before",
            "ExpressionAttributeNames": {"#stage": _stage(stage)},
            "ExpressionAttributeValues": {
                ":bucket": {"S": touch_bucket(hour)},
                ":before": {"N": str(int(touched_before))},
            },
        }
        while True:
            response = dynamodb_client(self._dynamodb).query(**kwargs)
            for item in response["Items"]:
                data = from_item(item)
                yield DueReminder(
                    store_id=data["pk"],
                    cart_id=str(data["sk"]).removeprefix(PREFIX),
                    touched_at=int(data["touched_at"]),
                    cart_version=int(data["cart_version"]),
                    checkout=data.get("checkout"),
                    reminded=_reminded(data),
                )
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def claim(self, due: DueReminder, stage: int, now: float, token: str) -> Reminder | None:
        """Mark `stage` taken for this very snapshot; the whole reminder, or None when the cart was touched
        since, became an order (the item is gone), or another run claimed the stage first. `token` becomes the
        snapshot's opt-out token unless it has one."""
        dynamodb = dynamodb_client(self._dynamodb)
        try:
            response = dynamodb.update_item(
                TableName=self.table,
                Key=_key(due.store_id, due.cart_id),
                UpdateExpression="SET #stage = :now, optout_token = if_not_exists(optout_token, :token)",
                ConditionExpression=(
                    "attribute_exists(pk) AND attribute_not_exists(#stage)"
                    " AND touched_at = :touched AND cart_version = :version"
                ),
                ExpressionAttributeNames={"#stage": _stage(stage)},
                ExpressionAttributeValues={
                    ":now": {"N": str(int(now))},
                    ":token": {"S": token},
                    ":touched": {"N": str(due.touched_at)},
                    ":version": {"N": str(due.cart_version)},
                },
                ReturnValues="ALL_NEW",
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return None
        return _from_data(from_item(response["Attributes"]))

    def release(self, due: DueReminder, stage: int) -> None:
        """Give a claimed stage back after a failed send, so the next run tries again (if still this snapshot)."""
        dynamodb = dynamodb_client(self._dynamodb)
        # Touched or gone meanwhile: that snapshot's stages no longer matter.
        with suppress(dynamodb.exceptions.ConditionalCheckFailedException):
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(due.store_id, due.cart_id),
                UpdateExpression="REMOVE #stage",
                ConditionExpression="touched_at = :touched AND cart_version = :version",
                ExpressionAttributeNames={"#stage": _stage(stage)},
                ExpressionAttributeValues={
                    ":touched": {"N": str(due.touched_at)},
                    ":version": {"N": str(due.cart_version)},
                },
            )

    # ---- opting out
    def opted_out_read(self, store_id: str, email: str) -> Read[bool]:
        """Read with others (a unit of work's ReadSet): True when this address opted out in this store."""
        return MarketingOptOuts(self.table, self._dynamodb).opted_out_read(store_id, email)

    def write_links(self, reminders: list[Reminder], now: float) -> None:
        """The opt-out link of each reminder about to be sent (their tokens set by the claim), valid for a year
        from now: one BatchWriteItem per 25."""
        dynamodb = dynamodb_client(self._dynamodb)
        puts = [
            {"PutRequest": {"Item": to_item(link_item(r.store_id, r.optout_token, r.email, r.cart_id, now))}}
            for r in reminders
            if r.optout_token
        ]
        for start in range(0, len(puts), 25):
            request: dict[str, Any] = {self.table: puts[start : start + 25]}
            while request:
                request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    def write_marketing_link(self, store_id: str, token: str, email: str, now: float) -> None:
        """The opt-out link of another marketing email (a review request): marketing/adapters/optouts.py."""
        MarketingOptOuts(self.table, self._dynamodb).write_link(store_id, token, email, now)

    def link(self, store_id: str, token: str, now: float) -> OptOutLink | None:
        key = {"pk": {"S": store_id}, "sk": {"S": f"{LINK}{token}"}}
        item = dynamodb_client(self._dynamodb).get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")
        if item is None:
            return None
        data = from_item(item)
        if int(data.get("expires_at", 0)) <= now:  # TTL removes it late; an expired link is gone already
            return None
        return OptOutLink(store_id=store_id, token=token, email=data["email"], cart_id=data["cart"])

    def opt_out(self, link: OptOutLink, now: float) -> None:
        """Record the address's opt-out (the first time is kept: repeating changes nothing) and remove the
        cart's reminder while it still goes to that address."""
        dynamodb = dynamodb_client(self._dynamodb)
        dynamodb.update_item(
            TableName=self.table,
            Key=optout_key(link.store_id, link.email),
            UpdateExpression="SET #type = :type, email = :email, opted_out_at = if_not_exists(opted_out_at, :now)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item(
                {":type": "cart_reminder_optout", ":email": link.email, ":now": int(now)}
            ),
        )
        self.drop(link.store_id, link.cart_id, link.email)

    def drop(self, store_id: str, the_cart: str, email: str) -> None:
        """Delete a cart's reminder if it still goes to `email` (a cart since given another address keeps its)."""
        dynamodb = dynamodb_client(self._dynamodb)
        with suppress(dynamodb.exceptions.ConditionalCheckFailedException):
            dynamodb.delete_item(
                TableName=self.table,
                Key=_key(store_id, the_cart),
                ConditionExpression="email = :email",
                ExpressionAttributeValues={":email": {"S": email}},
            )

    def drop_if_untouched(self, store_id: str, the_cart: str, touched_at: int) -> None:
        """Delete a cart's reminder if it is still the snapshot touched at `touched_at` (a cart changed since
        keeps the reminder of its new lines)."""
        dynamodb = dynamodb_client(self._dynamodb)
        with suppress(dynamodb.exceptions.ConditionalCheckFailedException):
            dynamodb.delete_item(
                TableName=self.table,
                Key=_key(store_id, the_cart),
                ConditionExpression="touched_at = :touched",
                ExpressionAttributeValues={":touched": {"N": str(touched_at)}},
            )
