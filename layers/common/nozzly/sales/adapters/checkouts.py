"""Checkouts in the orders table: `pk={store}, sk=CHECKOUT#{id}`, one item per checkout.

The status moves only forward, each move conditioned on the status it leaves, so a retried workflow step
or a duplicated webhook changes nothing twice. The payment's Step Functions task token waits here while the
shopper pays.

A checkout that has not ended is in the sparse index `live_checkouts` (`live_shard=LIVE#{0..3}`,
`live_since={created_at, 10 digits}#{id}`, keys only) until it is placed or fails, so the recovery sweep finds
the ones whose workflow never started or died without a scan. Four shards keep the index's write rate off one
partition.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nozzly.customers.domain.customers import Address
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.kernel.domain.money import Money
from nozzly.orders.adapters.sale_codec import address_data, lines_data, lines_from_data, totals_data, totals_from_data
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.carts import CartOf, CartOwner
from nozzly.sales.domain.checkout import Checkout, CheckoutStatus, PaymentInfo, PaymentMethod, ShippingChoice

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "CHECKOUT#"
LIVE_INDEX = "live_checkouts"
LIVE_SHARDS = 4
# Dropped by every move to a final status: a token nobody waits on, a card token used once, the live index.
_WHILE_LIVE = "task_token, source_token, live_shard, live_since"


def _live_shard(checkout_id: str) -> str:
    return f"LIVE#{int(checkout_id[:8], 16) % LIVE_SHARDS}"


def key(store_id: str, checkout_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{checkout_id}"}}


def _to_data(c: Checkout) -> dict[str, Any]:
    return {
        "pk": c.store_id,
        "sk": f"{PREFIX}{c.checkout_id}",
        "type": "checkout",
        "checkout_id": c.checkout_id,
        "cart_owner": c.cart.owner.value,
        "cart_owner_id": c.cart.owner_id,
        "cart_version": c.cart_version,
        "email": c.email,
        "address": address_data(c.address),
        "shipping": {"method_id": c.shipping.method_id, "name": c.shipping.name, "price": c.shipping.price.amount},
        "payment_method": c.payment_method.value,
        "currency": c.currency,
        "lines": lines_data(c.lines),
        "coupon": c.coupon,
        "totals": totals_data(c.totals),
        "fingerprint": c.fingerprint,
        "created_at": c.created_at,
        "status": c.status.value,
        "reason": c.reason,
        "order_number": c.order_number,
        "source_token": c.source_token,
        "return_url": c.return_url,
        "billing_address": address_data(c.billing_address) if c.billing_address else None,
    } | ({} if c.status.is_final else {"live_shard": _live_shard(c.checkout_id), "live_since": _since(c)})


def _since(c: Checkout) -> str:
    return f"{c.created_at:010d}#{c.checkout_id}"


def _from_data(data: dict[str, Any]) -> Checkout:
    currency = data["currency"]

    def money(amount: Any) -> Money:
        return Money(int(amount), currency)

    t = data["totals"]
    payment = data.get("payment")
    return Checkout(
        store_id=data["pk"],
        checkout_id=data["checkout_id"],
        cart=CartOf(CartOwner(data["cart_owner"]), data["cart_owner_id"]),
        cart_version=int(data["cart_version"]),
        email=data["email"],
        address=Address(**data["address"]),
        billing_address=Address(**data["billing_address"]) if data.get("billing_address") else None,
        shipping=ShippingChoice(
            data["shipping"]["method_id"], data["shipping"]["name"], money(data["shipping"]["price"])
        ),
        payment_method=PaymentMethod(data["payment_method"]),
        lines=lines_from_data(data["lines"], currency),
        coupon=data.get("coupon"),
        totals=totals_from_data(t, currency),
        fingerprint=data["fingerprint"],
        created_at=int(data["created_at"]),
        status=CheckoutStatus(data["status"]),
        reason=data.get("reason"),
        order_number=int(data["order_number"]) if data.get("order_number") is not None else None,
        payment=PaymentInfo(
            provider=Provider(payment["provider"]),
            payment_id=payment["payment_id"],
            client_secret=payment.get("client_secret"),
            redirect_url=payment.get("redirect_url"),
        )
        if payment
        else None,
        source_token=data.get("source_token"),
        return_url=data.get("return_url"),
    )


class CheckoutsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._client = dynamodb

    @property
    def _dynamodb(self) -> DynamoDBClient:
        return dynamodb_client(self._client)

    def checkout_read(self, store_id: str, checkout_id: str) -> Read[Checkout]:
        return Read(self.table, key(store_id, checkout_id), _from_data)

    def created(self, checkout: Checkout) -> Write:
        """A new checkout, only if none has its id yet (that part fails otherwise: the caller reads that one)."""
        return {
            "Put": {
                "TableName": self.table,
                "Item": to_item(_to_data(checkout)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def get(self, store_id: str, checkout_id: str) -> Checkout | None:
        response = self._dynamodb.get_item(TableName=self.table, Key=key(store_id, checkout_id), ConsistentRead=True)
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def live_since_before(self, cutoff: int) -> Iterator[tuple[str, str]]:
        """(store, checkout id) of every checkout started before `cutoff` (epoch s) that has not ended yet, as
        the index shows it (eventually consistent: read each again before acting on it)."""
        dynamodb = self._dynamodb
        for shard in range(LIVE_SHARDS):
            kwargs: dict[str, Any] = {
                "TableName": self.table,
                "IndexName": LIVE_INDEX,
                "KeyConditionExpression": "live_shard = :shard AND live_since < :cutoff",
                "ExpressionAttributeValues": {":shard": {"S": f"LIVE#{shard}"}, ":cutoff": {"S": f"{cutoff:010d}"}},
            }
            while True:
                response = dynamodb.query(**kwargs)
                for item in response["Items"]:
                    yield item["pk"]["S"], item["sk"]["S"].removeprefix(PREFIX)
                if "LastEvaluatedKey" not in response:
                    break
                kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def get_waiting(self, store_id: str, checkout_id: str) -> tuple[Checkout, str | None] | None:
        """The checkout and the task token its workflow waits on (None when nothing waits), in one read."""
        response = self._dynamodb.get_item(TableName=self.table, Key=key(store_id, checkout_id), ConsistentRead=True)
        if "Item" not in response:
            return None
        data = from_item(response["Item"])
        return _from_data(data), data.get("task_token")

    def moved(
        self, store_id: str, checkout_id: str, to: CheckoutStatus, *, expected: tuple[CheckoutStatus, ...]
    ) -> Write:
        """The status moved on, only from an expected status."""
        return self._move(store_id, checkout_id, to, expected, ("SET #status = :to", {}))

    def _move(
        self,
        store_id: str,
        checkout_id: str,
        to: CheckoutStatus,
        expected: tuple[CheckoutStatus, ...],
        change: tuple[str, dict[str, Any]],
    ) -> Write:
        """`change`: the update expression setting `#status = :to` and what else moves with it, and its values."""
        expression, values = change
        allowed = {f":s{i}": {"S": s.value} for i, s in enumerate(expected)}
        return {
            "Update": {
                "TableName": self.table,
                "Key": key(store_id, checkout_id),
                "UpdateExpression": expression,
                "ConditionExpression": f"#status IN ({', '.join(allowed)})",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": allowed | {":to": {"S": to.value}} | values,
            }
        }

    def awaiting_payment(self, store_id: str, checkout_id: str, payment: PaymentInfo, task_token: str) -> bool:
        """RESERVED -> AWAITING_PAYMENT with the payment and the token the webhook resumes the workflow with. A
        retried step (already AWAITING_PAYMENT) parks its newer token: the workflow waits on that one now.
        False if the checkout no longer waits (failed or placed meanwhile)."""
        data: dict[str, Any] = {"provider": payment.provider.value, "payment_id": payment.payment_id}
        data |= {"client_secret": payment.client_secret} if payment.client_secret else {}
        data |= {"redirect_url": payment.redirect_url} if payment.redirect_url else {}
        return self._update(
            store_id,
            checkout_id,
            # The card token stays until the checkout ends: a retried step (its first answer lost) starts the same
            # payment again, under the same idempotency key, and needs it.
            "SET #status = :to, payment = :payment, task_token = :token",
            {":to": CheckoutStatus.AWAITING_PAYMENT.value, ":payment": data, ":token": task_token},
            (CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT),
        )

    def failed(self, checkout: Checkout, reason: str) -> bool:
        """Any non-final status -> FAILED with the reason (the task token is dropped: nothing waits any more)."""
        return self._update(
            checkout.store_id,
            checkout.checkout_id,
            f"SET #status = :to, reason = :reason REMOVE {_WHILE_LIVE}",
            {":to": CheckoutStatus.FAILED.value, ":reason": reason},
            (CheckoutStatus.PROCESSING, CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT),
        )

    def failed_write(self, checkout: Checkout, reason: str) -> Write:
        """The status it was read in -> FAILED with the reason (with what it held released)."""
        return self._move(
            checkout.store_id,
            checkout.checkout_id,
            CheckoutStatus.FAILED,
            (checkout.status,),
            (f"SET #status = :to, reason = :reason REMOVE {_WHILE_LIVE}", {":reason": {"S": reason}}),
        )

    def placed(self, checkout: Checkout, order_number: int) -> Write:
        return self._move(
            checkout.store_id,
            checkout.checkout_id,
            CheckoutStatus.PLACED,
            (CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT),
            (f"SET #status = :to, order_number = :n REMOVE {_WHILE_LIVE}", {":n": {"N": str(order_number)}}),
        )

    def _update(
        self,
        store_id: str,
        checkout_id: str,
        expression: str,
        values: dict[str, Any],
        expected: tuple[CheckoutStatus, ...],
    ) -> bool:
        dynamodb = self._dynamodb
        allowed = {f":was{i}": s.value for i, s in enumerate(expected)}
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=key(store_id, checkout_id),
                UpdateExpression=expression,
                ConditionExpression=f"#status IN ({', '.join(allowed)})",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item(values | allowed),
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
