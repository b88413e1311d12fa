"""Carts of a store's guests (by guest session id) and shoppers (by account): read, change, coupon, merge.

What a cart shows is recomputed on every read from the catalog as it is now: each line's availability,
whether its price changed since it was added, and the totals at today's prices for the lines still sold.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
from nozzly.accounts.domain.accounts import checked_email
from nozzly.accounts.services.guest_sessions import looks_like_session_id
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product, Store, Variant
from nozzly.kernel.adapters.unit_of_work import Fetched, ReadSet
from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupons import Coupon, CouponNotApplicable, normalise_code
from nozzly.sales.adapters.cart_reminders import CartRemindersRepository
from nozzly.sales.adapters.carts import CartsRepository
from nozzly.sales.domain.cart_recovery import Restoration, restore
from nozzly.sales.domain.cart_reminders import Reminder
from nozzly.sales.domain.cart_reminders import snapshot as reminder_snapshot
from nozzly.sales.domain.carts import (
    Cart,
    CartLine,
    CartOf,
    CartOwner,
    CartQuote,
    CartSnapshot,
    LineState,
    LineView,
    QuotedMethod,
    view_line,
)
from nozzly.sales.domain.checkout import coupon_user
from nozzly.sales.domain.pricing import CouponUse, PricedLine, Totals, price
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.shipping_rules import ShippingSettings, default_shipping_settings
from nozzly.stores.domain.tax_rules import AppliedTax, TaxSettings, default_tax_settings
from nozzly.stores.domain.zones import Destination

NO_SESSION = "no such guest session: start one with POST /stores/{store}/sessions"


@dataclass(frozen=True, slots=True)
class Reminding:
    """A cart's live reminder, and the address known before the read (a shopper's, a guest's new one) when it
    opted out of the store's reminders: a change of the cart writes no reminder to it."""

    stored: Reminder | None
    opted_out: str | None = None


@dataclass(frozen=True)
class CartService:
    carts: CartsRepository
    catalog: CatalogRepository
    stores: StoresRepository
    settings: StoreSettingsRepository
    coupons: CouponsRepository
    sessions: GuestSessionStore
    reminders: CartRemindersRepository
    clock: Callable[[], float] = field(default=time.time)
    announce: Callable[[Cart], None] | None = None  # after each stored change (CartAnnouncer.changed)

    # ---- reads
    def view(self, store_id: str, whose: CartOf) -> CartSnapshot:
        """Two reads: the store, the cart (its reminder, the guest's session); then the products, tax rate, code."""
        store, cart, _, _ = self._open(store_id, whose)
        return self._snapshot(store, whose, cart)

    # ---- changes (each: the reads of view, one conditional write, and the product when one is named)
    def add(
        self, store_id: str, whose: CartOf, product_slug: str, variant_id: str | None, quantity: int
    ) -> CartSnapshot:
        extra = ReadSet()
        wanted = extra.add(self.catalog.product_read(store_id, product_slug))
        store, cart, reminder, found = self._open(store_id, whose, extra)
        product = found[wanted]
        if product is None or not product.is_published:
            raise NotFound("no such product for sale", field="product")
        variant = _variant(product, variant_id)
        return self._save(store, whose, cart.with_added(product, variant, quantity, self.clock()), reminder)

    def set_quantity(self, store_id: str, whose: CartOf, item: str, quantity: int) -> CartSnapshot:
        store, cart, reminder, _ = self._open(store_id, whose)
        line = cart.line(item)
        if line is None:
            raise NotFound("this item is not in the cart", field="item")
        now = self.clock()
        if quantity == 0:
            return self._save(store, whose, cart.without(item, now), reminder)
        reads = ReadSet()
        wanted = reads.add(self.catalog.product_read(store_id, line.product_slug))
        product = reads.fetch()[wanted]
        if view_line(line, product).state is LineState.UNAVAILABLE or product is None:
            raise NotFound("this item is no longer for sale; remove it", field="item")
        changed = cart.with_quantity(item, _variant(product, line.variant_id), quantity, now)
        return self._save(store, whose, changed, reminder)

    def remove(self, store_id: str, whose: CartOf, item: str) -> CartSnapshot:
        store, cart, reminder, _ = self._open(store_id, whose)
        return self._save(store, whose, cart.without(item, self.clock()), reminder)

    def clear(self, store_id: str, whose: CartOf) -> CartSnapshot:
        store, cart, reminder, _ = self._open(store_id, whose)
        return self._save(store, whose, cart.cleared(self.clock()), reminder)

    def apply_coupon(self, store_id: str, whose: CartOf, raw_code: str) -> CartSnapshot:
        """Only a code that gives this cart a discount now is applied; otherwise 400 says why."""
        code = normalise_code(raw_code)
        store, cart, reminder, _ = self._open(store_id, whose)
        applied = cart.with_coupon(code, self.clock())
        snapshot = self._snapshot(store, whose, applied)
        if snapshot.coupon is None and snapshot.coupon_problem:
            raise CouponNotApplicable("no such code", field="code")
        if snapshot.coupon_problem:
            raise CouponNotApplicable(snapshot.coupon_problem, field="code")
        return self._save(store, whose, applied, reminder)

    def remove_coupon(self, store_id: str, whose: CartOf) -> CartSnapshot:
        store, cart, reminder, _ = self._open(store_id, whose)
        return self._save(store, whose, cart.with_coupon(None, self.clock()), reminder)

    def set_email(self, store_id: str, whose: CartOf, raw_email: str) -> CartSnapshot:
        """Where this cart's reminders go (a guest's choice; a shopper's account email needs none). Saved as a
        change of the cart, so a change racing it cannot write the reminder without the new address."""
        email = checked_email(raw_email)
        store, cart, reminder, _ = self._open(store_id, replace(whose, email=email))
        touched = cart.with_coupon(cart.coupon, self.clock())  # the same lines and code, a new life
        return self._save(store, whose, touched, reminder, email=email)

    def merge(self, store_id: str, mine: CartOf, session_id: str) -> CartSnapshot:
        """The guest cart joins the shopper's (quantities add up, capped by stock) and is gone."""
        guest_of = CartOf(CartOwner.GUEST, session_id)
        if not looks_like_session_id(session_id):
            raise NotFound(NO_SESSION, field="session")
        extra = ReadSet()
        guest_cart = extra.add(self.carts.cart_read(store_id, CartOwner.GUEST, session_id))
        session = extra.add(self.sessions.expiry_read(store_id, session_id))
        guest_reminding = extra.add(self.reminders.reminder_read(store_id, CartOwner.GUEST, session_id))
        store, cart, reminder, found = self._open(store_id, mine, extra)
        stored_guest, expiry, guest_reminder = found[guest_cart], found[session], found[guest_reminding]
        if expiry is None or expiry <= self.clock():
            raise NotFound(NO_SESSION, field="session")
        guest = self._fresh(store, guest_of, stored_guest)
        if not guest.lines and not guest.coupon:
            return self._snapshot(store, mine, cart)
        reads = ReadSet()
        refs = reads.add_each(
            {x.product_slug: self.catalog.product_read(store_id, x.product_slug) for x in guest.lines}
        )
        products = reads.fetch().each(refs)
        available = {
            view.line.item_id: view.available
            for view in (view_line(line, products.get(line.product_slug)) for line in guest.lines)
            if view.state is not LineState.UNAVAILABLE
        }
        snapshot = self._save(store, mine, cart.merged(guest, available, self.clock()), reminder)
        if guest.version:
            # The guest cart's lines now live in the shopper's: its own reminder goes with it.
            also = [self.reminders.delete_op(store_id, CartOwner.GUEST, session_id)] if guest_reminder else []
            self.carts.delete(guest, also=also)
        return snapshot

    def restore(self, store_id: str, whose: CartOf, lines: tuple[CartLine, ...]) -> tuple[CartSnapshot, Restoration]:
        """`lines` (a reminder email's) topped up into the caller's cart, judged against today's catalog: one
        read with the cart, one conditional write only when something was added (sales/domain/cart_recovery.py)."""
        extra = ReadSet()
        refs = extra.add_each({x.product_slug: self.catalog.product_read(store_id, x.product_slug) for x in lines})
        store, cart, reminder, found = self._open(store_id, whose, extra)
        restoration = restore(cart, lines, found.each(refs), self.clock())
        if not restoration.changed:
            return self._snapshot(store, whose, cart), restoration
        return self._save(store, whose, restoration.cart, reminder), restoration

    # ---- shared steps
    def _open(
        self, store_id: str, whose: CartOf, extra: ReadSet | None = None
    ) -> tuple[Store, Cart, Reminding, Fetched]:
        """The open store, the caller's cart (a fresh one if none or expired), its reminder (live ones only; and
        whether the known address opted out), read in one call with the caller's `extra` reads (what was fetched
        for them). 404 for an unknown or deleted store and for a guest session that does not exist or has ended."""
        guest = whose.owner is CartOwner.GUEST
        if guest and not looks_like_session_id(whose.owner_id):
            raise NotFound(NO_SESSION, field="session")
        reads = extra or ReadSet()
        store_ref = reads.add(self.stores.profile_read(store_id))
        cart_ref = reads.add(self.carts.cart_read(store_id, whose.owner, whose.owner_id))
        reminder_ref = reads.add(self.reminders.reminder_read(store_id, whose.owner, whose.owner_id))
        session = reads.add(self.sessions.expiry_read(store_id, whose.owner_id)) if guest else None
        opt_out = reads.add(self.reminders.opted_out_read(store_id, whose.email)) if whose.email else None
        found = reads.fetch()
        store = found[store_ref]
        if store is None or not store.is_open:
            raise NotFound(f"store {store_id!r} not found", field="store")
        if session is not None:
            expiry = found[session]
            if expiry is None or expiry <= self.clock():
                raise NotFound(NO_SESSION, field="session")
        opted_out = whose.email if opt_out is not None and found[opt_out] else None
        reminder = found[reminder_ref]
        live = reminder if reminder is not None and reminder.expires_at > self.clock() else None
        return store, self._fresh(store, whose, found[cart_ref]), Reminding(live, opted_out), found

    def _fresh(self, store: Store, whose: CartOf, stored: Cart | None) -> Cart:
        empty = Cart.empty(store.store_id, whose.owner, whose.owner_id, store.currency)
        if stored is None:
            return empty
        if stored.is_expired(self.clock()):
            return replace(empty, version=stored.version)  # starts afresh; the next write replaces it
        return stored

    def _save(
        self, store: Store, whose: CartOf, cart: Cart, reminding: Reminding, email: str | None = None
    ) -> CartSnapshot:
        """The cart's conditional write; with a known email, its reminder's snapshot in the same transaction."""
        reminder = reminding.stored
        email = email or (reminder.email if reminder else None) or whose.email
        if email is None:
            saved = self.carts.save(cart)
        elif email == reminding.opted_out:  # no snapshot for it, and the one written before it opted out goes
            also = [self.reminders.delete_op(store.store_id, whose.owner, whose.owner_id)] if reminder else []
            saved = self.carts.save(cart, also=also)
        else:
            stored = replace(cart, version=cart.version + 1)
            snapshot = reminder_snapshot(stored, email, self.clock(), previous=reminder)  # keeps its opt-out link
            saved = self.carts.save(cart, also=[self.reminders.put_op(snapshot)])
        if self.announce is not None:
            self.announce(saved)
        return self._snapshot(store, whose, saved)

    def shipping_options(self, store_id: str, whose: CartOf, to: Destination) -> CartQuote:
        """The methods the store offers this cart to this destination, each with the cart's totals there."""
        store, cart, _, _ = self._open(store_id, whose)
        facts = self._facts(store, whose, cart, quoting=True)
        snapshot = self._priced(facts, to)
        rules = facts.shipping_rules or default_shipping_settings(store.country, store.currency)
        goods = snapshot.totals.subtotal - snapshot.totals.discount
        offered = rules.options(to, subtotal=goods, weight_grams=_grams(snapshot.lines, facts.products))
        return CartQuote(
            cart=snapshot,
            options=tuple(QuotedMethod(m, self._priced(facts, to, m.price).totals) for m in offered),
        )

    def _snapshot(self, store: Store, whose: CartOf, cart: Cart) -> CartSnapshot:
        """Priced for the store's home country: no address is known before checkout."""
        return self._priced(self._facts(store, whose, cart), Destination(store.country))

    def _facts(self, store: Store, whose: CartOf, cart: Cart, *, quoting: bool = False) -> _PricingFacts:
        """One read: the lines' products, the store's tax (and shipping) rules and the cart's code with the
        shopper's uses."""
        reads = ReadSet()
        refs = reads.add_each(
            {x.product_slug: self.catalog.product_read(store.store_id, x.product_slug) for x in cart.lines}
        )
        tax_ref = reads.add(self.settings.tax_rules_read(store.store_id))
        ship_ref = reads.add(self.settings.shipping_rules_read(store.store_id)) if quoting else None
        code = reads.add(self.coupons.coupon_read(store.store_id, cart.coupon)) if cart.coupon else None
        user = coupon_user(whose, "")
        uses = reads.add(self.coupons.uses_read(store.store_id, cart.coupon, user)) if cart.coupon else None
        found = reads.fetch()
        # A guest is counted by the email given at checkout, unknown here: their own limit is judged then.
        shopper_uses = ((found[uses] if uses else None) or 0) if whose.owner is CartOwner.SHOPPER else 0
        return _PricingFacts(
            store=store,
            cart=cart,
            products=found.each(refs),
            tax_rules=found[tax_ref] or default_tax_settings(store.country),
            shipping_rules=found[ship_ref] if ship_ref else None,
            coupon=found[code] if code else None,
            shopper_uses=shopper_uses,
        )

    def _priced(self, facts: _PricingFacts, to: Destination, shipping: Money | None = None) -> CartSnapshot:
        cart, products = facts.cart, facts.products
        views = [view_line(line, products.get(line.product_slug)) for line in cart.lines]
        sold = [
            PricedLine.of(_line_total(v), products[v.line.product_slug]) for v in views if v.current_price is not None
        ]
        tax = facts.tax_rules.applied(to)
        problem, totals = self._price(cart, facts.coupon, facts.shopper_uses, sold, tax, shipping=shipping)
        return CartSnapshot(cart=cart, lines=views, coupon=facts.coupon, coupon_problem=problem, totals=totals)

    def _price(
        self,
        cart: Cart,
        coupon: Coupon | None,
        shopper_uses: int,
        sold: list[PricedLine],
        tax: AppliedTax,
        *,
        shipping: Money | None = None,
    ) -> tuple[str | None, Totals]:
        """The totals, with the code's discount when it gives one now; else without it, and why not."""
        now = self.clock()
        problem = "this code no longer exists" if cart.coupon and coupon is None else None
        if coupon is not None:
            try:
                used = CouponUse(coupon, shopper_uses)
                return None, price(sold, currency=cart.currency, tax=tax, now=now, coupon=used, shipping=shipping)
            except InvalidInput as refused:
                problem = refused.message
        return problem, price(sold, currency=cart.currency, tax=tax, now=now, shipping=shipping)


@dataclass(frozen=True, slots=True)
class _PricingFacts:
    store: Store
    cart: Cart
    products: Mapping[str, Product]
    tax_rules: TaxSettings
    shipping_rules: ShippingSettings | None
    coupon: Coupon | None
    shopper_uses: int


def _grams(views: list[LineView], products: Mapping[str, Product]) -> int:
    """The parcel's weight from the lines still for sale."""
    grams = 0
    for v in views:
        product = products.get(v.line.product_slug)
        if v.current_price is None or product is None:
            continue
        variant = next((x for x in product.variants if x.variant_id == v.line.variant_id), None)
        grams += (variant.weight_grams if variant else 0) * v.line.quantity
    return grams


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
