"""Carts of a store's guests (by guest session id) and shoppers (by account): read, change, coupon, merge.

What a cart shows is recomputed on every read from the catalog as it is now: each line's availability,
whether its price changed since it was added, and the totals at today's prices for the lines still sold.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from nozzly.adapters.carts import CartsRepository
from nozzly.adapters.catalog import CatalogRepository
from nozzly.adapters.coupons import CouponsRepository
from nozzly.adapters.store_settings import StoreSettingsRepository
from nozzly.adapters.stores import StoresRepository
from nozzly.domain.carts import Cart, CartOf, CartOwner, CartSnapshot, LineState, LineView, view_line
from nozzly.domain.catalog import Product, Store, Variant
from nozzly.domain.checkout import coupon_user
from nozzly.domain.coupons import Coupon, CouponNotApplicable, eligible_subtotal, normalise_code
from nozzly.domain.errors import InvalidInput, NotFound
from nozzly.domain.money import Money
from nozzly.domain.pricing import totals

SessionCheck = Callable[[str, str], bool]  # (store id, guest session id) -> live?


@dataclass(frozen=True)
class CartService:
    carts: CartsRepository
    catalog: CatalogRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    coupons: CouponsRepository
    guest_session_is_live: SessionCheck
    clock: Callable[[], float] = field(default=time.time)

    # ---- reads
    def view(self, store_id: str, whose: CartOf) -> CartSnapshot:
        store = self._store(store_id, whose)
        return self._snapshot(store, whose, self._load(store, whose))

    # ---- changes
    def add(
        self, store_id: str, whose: CartOf, product_slug: str, variant_id: str | None, quantity: int
    ) -> CartSnapshot:
        store = self._store(store_id, whose)
        cart = self._load(store, whose)
        product = self._product(store_id, product_slug)
        variant = _variant(product, variant_id)
        return self._save(store, whose, cart.with_added(product, variant, quantity, self.clock()))

    def set_quantity(self, store_id: str, whose: CartOf, item: str, quantity: int) -> CartSnapshot:
        store = self._store(store_id, whose)
        cart = self._load(store, whose)
        line = cart.line(item)
        if line is None:
            raise NotFound("this item is not in the cart", field="item")
        now = self.clock()
        if quantity == 0:
            return self._save(store, whose, cart.without(item, now))
        product = self.catalog.products_by_slug(store_id, {line.product_slug}).get(line.product_slug)
        view = view_line(line, product)
        if view.state is LineState.UNAVAILABLE or product is None:
            raise NotFound("this item is no longer for sale; remove it", field="item")
        return self._save(store, whose, cart.with_quantity(item, _variant(product, line.variant_id), quantity, now))

    def remove(self, store_id: str, whose: CartOf, item: str) -> CartSnapshot:
        store = self._store(store_id, whose)
        cart = self._load(store, whose)
        return self._save(store, whose, cart.without(item, self.clock()))

    def clear(self, store_id: str, whose: CartOf) -> CartSnapshot:
        store = self._store(store_id, whose)
        cart = self._load(store, whose)
        return self._save(store, whose, cart.cleared(self.clock()))

    def apply_coupon(self, store_id: str, whose: CartOf, raw_code: str) -> CartSnapshot:
        """Only a code that gives this cart a discount now is applied; otherwise 400 says why."""
        store = self._store(store_id, whose)
        cart = self._load(store, whose)
        code = normalise_code(raw_code)
        coupon = self.coupons.get(store_id, code)
        if coupon is None:
            raise CouponNotApplicable("no such code", field="code")
        applied = cart.with_coupon(code, self.clock())
        snapshot = self._snapshot(store, whose, applied)
        if snapshot.coupon_problem:
            raise CouponNotApplicable(snapshot.coupon_problem, field="code")
        return self._save(store, whose, applied)

    def remove_coupon(self, store_id: str, whose: CartOf) -> CartSnapshot:
        store = self._store(store_id, whose)
        cart = self._load(store, whose)
        return self._save(store, whose, cart.with_coupon(None, self.clock()))

    def merge(self, store_id: str, shopper: str, session_id: str) -> CartSnapshot:
        """The guest cart joins the shopper's (quantities add up, capped by stock) and is gone."""
        mine = CartOf(CartOwner.SHOPPER, shopper)
        store = self._store(store_id, mine)
        guest_of = CartOf(CartOwner.GUEST, session_id)
        self._check_guest(store_id, guest_of)
        guest = self._load(store, guest_of)
        cart = self._load(store, mine)
        if not guest.lines and not guest.coupon:
            return self._snapshot(store, mine, cart)
        products = self.catalog.products_by_slug(store_id, {line.product_slug for line in guest.lines})
        available = {
            view.line.item_id: view.available
            for view in (view_line(line, products.get(line.product_slug)) for line in guest.lines)
            if view.state is not LineState.UNAVAILABLE
        }
        snapshot = self._save(store, mine, cart.merged(guest, available, self.clock()))
        if guest.version:
            self.carts.delete(guest)
        return snapshot

    # ---- shared steps
    def _store(self, store_id: str, whose: CartOf) -> Store:
        store = self.stores.get(store_id)  # 404 for an unknown or deleted store
        if whose.owner is CartOwner.GUEST:
            self._check_guest(store_id, whose)
        return store

    def _check_guest(self, store_id: str, whose: CartOf) -> None:
        if not self.guest_session_is_live(store_id, whose.owner_id):
            raise NotFound("no such guest session: start one with POST /stores/{store}/sessions", field="session")

    def _load(self, store: Store, whose: CartOf) -> Cart:
        stored = self.carts.get(store.store_id, whose.owner, whose.owner_id)
        empty = Cart.empty(store.store_id, whose.owner, whose.owner_id, store.currency)
        if stored is None:
            return empty
        if stored.is_expired(self.clock()):
            return replace(empty, version=stored.version)  # starts afresh; the next write replaces it
        return stored

    def _save(self, store: Store, whose: CartOf, cart: Cart) -> CartSnapshot:
        return self._snapshot(store, whose, self.carts.save(cart))

    def _product(self, store_id: str, slug: str) -> Product:
        product = self.catalog.products_by_slug(store_id, {slug}).get(slug)
        if product is None or not product.is_published:
            raise NotFound("no such product for sale", field="product")
        return product

    def _snapshot(self, store: Store, whose: CartOf, cart: Cart) -> CartSnapshot:
        products = self.catalog.products_by_slug(store.store_id, {line.product_slug for line in cart.lines})
        views = [view_line(line, products.get(line.product_slug)) for line in cart.lines]
        sold = [(v, products[v.line.product_slug]) for v in views if v.current_price is not None]
        subtotal = Money.zero(cart.currency)
        for view, _ in sold:
            subtotal += _line_total(view)
        coupon, problem, discount = self._discount(store, whose, cart, sold, subtotal)
        tax = self.settings.tax_basis_points(store.store_id, store.country) or 0
        return CartSnapshot(
            cart=cart,
            lines=views,
            coupon=coupon,
            coupon_problem=problem,
            totals=totals(subtotal, discount=discount, shipping=Money.zero(cart.currency), tax_basis_points=tax),
        )

    def _discount(
        self, store: Store, whose: CartOf, cart: Cart, sold: list[tuple[LineView, Product]], subtotal: Money
    ) -> tuple[Coupon | None, str | None, Money]:
        none = Money.zero(cart.currency)
        if cart.coupon is None:
            return None, None, none
        coupon = self.coupons.get(store.store_id, cart.coupon)
        if coupon is None:
            return None, "this code no longer exists", none
        try:
            uses = (
                self.coupons.shopper_uses(store.store_id, coupon.code, coupon_user(whose, ""))
                if whose.owner is CartOwner.SHOPPER and coupon.max_uses_per_shopper is not None
                else 0
            )
            coupon.check_usable(self.clock(), shopper_uses=uses)
            lines = [(_line_total(v), p.slug, p.category_path or (p.category,)) for v, p in sold]
            return coupon, None, coupon.discount(subtotal, eligible_subtotal(coupon, lines))
        except InvalidInput as problem:
            return coupon, problem.message, none


def _line_total(view: LineView) -> Money:
    assert view.current_price is not None
    return view.current_price * view.line.quantity


def _variant(product: Product, variant_id: str | None) -> Variant:
    if variant_id is None:
        if len(product.variants) == 1:
            return product.variants[0]
        raise InvalidInput("this product has several variants: say which", field="variant_id")
    variant = next((v for v in product.variants if v.variant_id == variant_id), None)
    if variant is None:
        raise NotFound("no such variant of this product", field="variant_id")
    return variant
