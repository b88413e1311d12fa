"""Stock reservations on product items in the catalog table: `variants[i].reserved` goes up when a checkout
holds stock and down when it lets go, or when fulfilment commits it (then stock on hand goes down with it).

Each product touched is one Update in the checkout's transaction; its conditions carry the rule
"reserved + quantity <= on hand" as `reserved <= :limit` with on hand unchanged since it was read, and name
the variant by id at its index, so a reordered variant list can never take stock from the wrong variant.
Every reservation change bumps the product's `version`: an operator's edit read before it is refused and
retried, and never writes back a stale `reserved`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nozzly.catalog.adapters.catalog_codec import product_sk
from nozzly.catalog.domain.stock_holds import ProductHold
from nozzly.kernel.adapters.unit_of_work import Write


class StockHoldsRepository:
    """The writes that hold, release and commit a plan's stock, for a service's Transaction (one per product)."""

    def __init__(self, table: str) -> None:
        self.table = table

    def holds(self, store_id: str, plan: Sequence[ProductHold]) -> list[Write]:
        return [_op(self.table, store_id, product, sign=+1) for product in plan]

    def releases(self, store_id: str, plan: Sequence[ProductHold]) -> list[Write]:
        return [_op(self.table, store_id, product, sign=-1) for product in plan]

    def commits(self, store_id: str, plan: Sequence[ProductHold]) -> list[Write]:
        return _commit_ops(self.table, store_id, plan)


def _commit_ops(table: str, store_id: str, plan: Sequence[ProductHold]) -> list[Write]:
    """Shipped stock leaves the shelf: `stock_on_hand - q` and `reserved - q` per variant, conditioned on the
    variant at its index, `reserved >= q` and stock on hand still as read (so the ledger entry written with it
    states what is left). Available stock (on hand minus reserved) does not change, so neither does
    `in_stock`: it is left alone rather than written from a stale read."""
    ops: list[Write] = []
    for product in plan:
        sets = ["version = if_not_exists(version, :zero) + :one"]
        conditions = ["attribute_exists(pk)"]
        values: dict[str, Any] = {":one": {"N": "1"}, ":zero": {"N": "0"}}
        for n, commit in enumerate(product.holds):
            path = f"variants[{commit.index}]"
            values[f":id{n}"] = {"S": commit.variant_id}
            values[f":q{n}"] = {"N": str(commit.quantity)}
            values[f":h{n}"] = {"N": str(commit.on_hand)}
            sets += [
                f"{path}.stock_on_hand = {path}.stock_on_hand - :q{n}",
                f"{path}.reserved = {path}.reserved - :q{n}",
            ]
            conditions += [f"{path}.id = :id{n}", f"{path}.reserved >= :q{n}", f"{path}.stock_on_hand = :h{n}"]
        ops.append(
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pk": {"S": store_id}, "sk": {"S": product_sk(product.product_slug)}},
                    "UpdateExpression": "SET " + ", ".join(sets),
                    "ConditionExpression": " AND ".join(conditions),
                    "ExpressionAttributeValues": values,
                }
            }
        )
    return ops


def _op(table: str, store_id: str, product: ProductHold, *, sign: int) -> Write:
    # in_stock feeds the storefront's filter (catalog/adapters/catalog_listing.py); a race between two holds on
    # different variants of one product can leave it stale until the product's next write.
    sets = ["version = if_not_exists(version, :zero) + :one", "in_stock = :in_stock"]
    conditions = ["attribute_exists(pk)"]
    values: dict[str, Any] = {":one": {"N": "1"}, ":zero": {"N": "0"}, ":in_stock": {"BOOL": product.in_stock_after}}
    for n, hold in enumerate(product.holds):
        path = f"variants[{hold.index}]"
        values[f":id{n}"] = {"S": hold.variant_id}
        values[f":q{n}"] = {"N": str(hold.quantity)}
        conditions.append(f"{path}.id = :id{n}")
        if sign > 0:
            sets.append(f"{path}.reserved = {path}.reserved + :q{n}")
            values[f":oh{n}"] = {"N": str(hold.on_hand)}
            values[f":limit{n}"] = {"N": str(hold.on_hand - hold.quantity)}
            conditions += [f"{path}.stock_on_hand = :oh{n}", f"{path}.reserved <= :limit{n}"]
        else:
            sets.append(f"{path}.reserved = {path}.reserved - :q{n}")
            conditions.append(f"{path}.reserved >= :q{n}")
    return {
        "Update": {
            "TableName": table,
            "Key": {"pk": {"S": store_id}, "sk": {"S": product_sk(product.product_slug)}},
            "UpdateExpression": "SET " + ", ".join(sets),
            "ConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeValues": values,
        }
    }
