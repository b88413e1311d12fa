"""Operators enter orders by hand (a phone sale, a sale at the counter) under the stock rules a checkout follows.

One read judges the request (store, the key's earlier request, shipping, tax and every product together), then
one transaction writes it all or nothing: the request's record and the order (both `attribute_not_exists`, their
ids derived from store and key), the stock held (`reserved += quantity` with on hand unchanged since the read,
catalog/adapters/reservations.py) and a known customer's purchase records. A retry with the same key answers the same
order and writes nothing; the same key with another request is refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.accounts.domain.accounts import Realm
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.adapters.reservations import StockHoldsRepository
from nozzly.catalog.domain.catalog import Product
from nozzly.catalog.domain.stock_holds import ProductHold, plan_holds
from nozzly.kernel.adapters.unit_of_work import ReadSet, Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.observability import logger
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.orders import FIRST_ORDER_NUMBER, Order
from nozzly.reviews.adapters.purchases import PurchasesRepository
from nozzly.sales.adapters.manual_orders import ManualOrderRecord, ManualOrderRequests
from nozzly.sales.domain.checkout import CheckoutLine, ShippingChoice
from nozzly.sales.domain.checkout_start import chosen, parcel_grams, priced_lines
from nozzly.sales.domain.manual_orders import (
    ManualOrderRequest,
    check_request,
    in_person,
    manual_order_id,
    order_from_manual,
    price_lines,
)
from nozzly.sales.domain.pricing import price
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.domain.shipping_rules import default_shipping_settings
from nozzly.stores.domain.tax_rules import AppliedTax, default_tax_settings
from nozzly.stores.domain.zones import Destination
from nozzly.stores.services.tenancy import require

MIN_KEY, MAX_KEY = 8, 100
WRITE_ATTEMPTS = 5  # stock on hand changed between the read and the write: read again and judge again


@dataclass(frozen=True, slots=True)
class _Judged:
    lines: tuple[CheckoutLine, ...]
    plan: tuple[ProductHold, ...]
    shipping: ShippingChoice
    tax: AppliedTax
    products: Mapping[str, Product]


@dataclass(frozen=True)
class ManualOrders:
    members: MembersRepository
    stores: StoresRepository
    catalog: CatalogRepository
    settings: StoreSettingsRepository
    orders: OrdersRepository
    requests: ManualOrderRequests
    purchases: PurchasesRepository
    shoppers: UserDirectory
    stock: StockHoldsRepository
    clock: Callable[[], float] = field(default=time.time)

    def create(self, store_id: str, sub: str, key: str | None, request: ManualOrderRequest) -> tuple[Order, bool]:
        """The order and whether this call created it (False: a retry answered with the order its key made)."""
        require(self.members, store_id, sub, Action.ORDERS_MANAGE)
        if key is None or not MIN_KEY <= len(key) <= MAX_KEY:
            raise InvalidInput(
                f"an Idempotency-Key header of {MIN_KEY} to {MAX_KEY} characters is required", field="Idempotency-Key"
            )
        check_request(request)
        now = self.clock()
        address = request.address.address("shipping", int(now))
        order_id = manual_order_id(store_id, key)
        print_ = request.fingerprint()
        by = f"operator:{sub}"
        number: int | None = None
        for attempt in range(WRITE_ATTEMPTS):
            judged = self._judge(store_id, order_id, request, address.country)
            if isinstance(judged, ManualOrderRecord):
                return self._same(store_id, judged, print_), False
            if attempt == 0:
                self._check_customer(store_id, request)
            # Taken once, after everything was judged: a retry of the write keeps the number.
            number = number or self.settings.next_order_number(store_id, FIRST_ORDER_NUMBER)
            order = order_from_manual(
                store_id=store_id,
                order_id=order_id,
                number=number,
                request=request,
                lines=judged.lines,
                address=address,
                shipping=judged.shipping,
                tax=judged.tax,
                products=judged.products,
                by=by,
                now=now,
            )
            tx = Transaction()
            tx.add("request", self.requests.put_op(store_id, ManualOrderRecord(order_id, print_, by, int(now))))
            tx.add("order", self.orders.put_op(order))
            tx.add("stock", *self.stock.holds(store_id, judged.plan))
            tx.add("purchases", *self.purchases.recorded_ops(order))
            try:
                tx.commit()
            except WriteConflict:
                # The same key raced us (the next read finds its record), or stock on hand changed meanwhile
                # (judged again against what is there now): either way, read again.
                continue
            logger.info("manual order placed", extra={"store_id": store_id, "order_number": number, "by": by})
            return order, True  # OrderEvents announces it from the table's stream (OrderPlaced, channel)
        raise Conflict("the stock kept changing while placing the order; try again", field="lines")

    def _judge(
        self, store_id: str, order_id: str, request: ManualOrderRequest, country: str
    ) -> ManualOrderRecord | _Judged:
        """The key's earlier request if there is one, else what the order will be, from one BatchGetItem."""
        reads = ReadSet()
        store_ref = reads.add(self.stores.profile_read(store_id))
        earlier_ref = reads.add(self.requests.record_read(store_id, order_id))
        tax_ref = reads.add(self.settings.tax_rules_read(store_id))
        named = request.shipping_method
        ship_ref = reads.add(self.settings.shipping_rules_read(store_id)) if named is not None else None
        product_refs = reads.add_each(
            {x.product: self.catalog.product_read(store_id, x.product) for x in request.lines}
        )
        found = reads.fetch()
        store, earlier = found[store_ref], found[earlier_ref]
        if store is None or not store.is_open:
            raise NotFound(f"store {store_id!r} not found", field="store")
        if earlier is not None:
            return earlier
        products = found.each(product_refs)
        lines = price_lines(request.lines, products)
        a = request.address
        to = Destination(a.country, a.region, a.postal_code)
        tax = (found[tax_ref] or default_tax_settings(store.country)).applied(to)
        shipping = in_person(store.currency)
        if ship_ref is not None and named is not None:
            rules = found[ship_ref] or default_shipping_settings(store.country, store.currency)
            goods = price(priced_lines(lines, products), currency=store.currency, tax=tax, now=self.clock())
            offered = rules.options(to, subtotal=goods.subtotal, weight_grams=parcel_grams(lines, products))
            method = chosen(offered, named, a.country, country_field="shipping_address.country")
            shipping = ShippingChoice(method.method_id, method.name, method.price)
        return _Judged(lines, plan_holds(lines, products), shipping, tax, products)

    def _same(self, store_id: str, earlier: ManualOrderRecord, print_: str) -> Order:
        if earlier.fingerprint != print_:
            raise Conflict(
                "this Idempotency-Key was used for a different order; use a new key", field="Idempotency-Key"
            )
        order = self.orders.get(store_id, earlier.order_id)
        if order is None:  # written in one transaction with the record: never apart
            raise NotFound("no such order", field="order")
        return order

    def _check_customer(self, store_id: str, request: ManualOrderRequest) -> None:
        """A named customer is a shopper account of this store, and the email is that account's."""
        if request.customer is None:
            return
        account = self.shoppers.get(Realm(store_id=store_id).username(request.email))
        if account is None or account.sub != request.customer:
            raise InvalidInput("no shopper account of this store has this id and email address", field="customer_id")
