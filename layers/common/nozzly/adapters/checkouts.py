"""Checkouts in the orders table: `pk={store}, sk=CHECKOUT#{id}`, one item per checkout.

The status moves only forward, each move conditioned on the status it leaves, so a retried workflow step
or a duplicated webhook changes nothing twice. The payment's Step Functions task token waits here while the
shopper pays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nozzly.adapters.aws import client
from nozzly.adapters.batch import Read
from nozzly.adapters.dynamo import from_item, to_item
from nozzly.adapters.sale_codec import address_data, lines_data, lines_from_data, totals_data, totals_from_data
from nozzly.adapters.stores import WriteConflict, write_atomically
from nozzly.domain.carts import CartOf, CartOwner
from nozzly.domain.checkout import (
    Checkout,
    CheckoutStatus,
    PaymentInfo,
    PaymentMethod,
    ShippingChoice,
)
from nozzly.domain.customers import Address
from nozzly.domain.money import Money
from nozzly.domain.payments import Provider

PREFIX = "CHECKOUT#"


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
    }


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
    )


class CheckoutsRepository:
    def __init__(self, table: str) -> None:
        self.table = table

    def checkout_read(self, store_id: str, checkout_id: str) -> Read[Checkout]:
        return Read(self.table, key(store_id, checkout_id), _from_data)

    def create(self, checkout: Checkout, also: Sequence[dict[str, Any]] = ()) -> Checkout | None:
        """Store a new checkout (with the writes `also` in the same transaction); None if one with this id
        exists already (the caller reads that one)."""
        dynamodb = client("dynamodb")
        put = {
            "TableName": self.table,
            "Item": to_item(_to_data(checkout)),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        try:
            if also:
                write_atomically([{"Put": put}, *also])
            else:
                dynamodb.put_item(**put)
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return None
        except WriteConflict as conflict:
            if 0 in conflict.failed:
                return None
            raise
        return checkout

    def get(self, store_id: str, checkout_id: str) -> Checkout | None:
        response = client("dynamodb").get_item(
            TableName=self.table, Key=key(store_id, checkout_id), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def get_waiting(self, store_id: str, checkout_id: str) -> tuple[Checkout, str | None] | None:
        """The checkout and the task token its workflow waits on (None when nothing waits), in one read."""
        response = client("dynamodb").get_item(
            TableName=self.table, Key=key(store_id, checkout_id), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        data = from_item(response["Item"])
        return _from_data(data), data.get("task_token")

    def move_op(
        self, store_id: str, checkout_id: str, to: CheckoutStatus, *, expected: tuple[CheckoutStatus, ...]
    ) -> dict[str, Any]:
        """A transaction item moving the status on, only from an expected status."""
        values = {f":s{i}": {"S": s.value} for i, s in enumerate(expected)}
        return {
            "Update": {
                "TableName": self.table,
                "Key": key(store_id, checkout_id),
                "UpdateExpression": "SET #status = :to",
                "ConditionExpression": f"#status IN ({', '.join(values)})",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": values | {":to": {"S": to.value}},
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
            "SET #status = :to, payment = :payment, task_token = :token REMOVE source_token",
            {":to": CheckoutStatus.AWAITING_PAYMENT.value, ":payment": data, ":token": task_token},
            (CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT),
        )

    def failed(self, checkout: Checkout, reason: str) -> bool:
        """Any non-final status -> FAILED with the reason (the task token is dropped: nothing waits any more)."""
        return self._update(
            checkout.store_id,
            checkout.checkout_id,
            "SET #status = :to, reason = :reason REMOVE task_token, source_token",
            {":to": CheckoutStatus.FAILED.value, ":reason": reason},
            (CheckoutStatus.PROCESSING, CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT),
        )

    def placed_op(self, checkout: Checkout, order_number: int) -> dict[str, Any]:
        op = self.move_op(
            checkout.store_id,
            checkout.checkout_id,
            CheckoutStatus.PLACED,
            expected=(CheckoutStatus.RESERVED, CheckoutStatus.AWAITING_PAYMENT),
        )
        op["Update"]["UpdateExpression"] = "SET #status = :to, order_number = :n REMOVE task_token, source_token"
        op["Update"]["ExpressionAttributeValues"][":n"] = {"N": str(order_number)}
        return op

    def _update(
        self,
        store_id: str,
        checkout_id: str,
        expression: str,
        values: dict[str, Any],
        expected: tuple[CheckoutStatus, ...],
    ) -> bool:
        dynamodb = client("dynamodb")
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
