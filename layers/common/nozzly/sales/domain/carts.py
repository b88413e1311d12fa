"""Carts: lines of variants with the price seen when added, a sliding 24-hour life, and merging on login.

Pure Python. A cart never holds stock: adding checks what is available now, and checkout reserves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from nozzly.catalog.domain.catalog import Product, Variant
from nozzly.catalog.domain.stock_holds import OutOfStock
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.promotions.domain.coupons import Coupon
from nozzly.sales.domain.cart_limits import CART_TTL_SECONDS, MAX_LINES, MAX_QUANTITY
from nozzly.sales.domain.pricing import Totals
from nozzly.stores.domain.shipping_rules import ShippingMethod


class CartOwner(StrEnum):
    GUEST = "guest"  # keyed by a guest session id
    SHOPPER = "shopper"  # keyed by the shopper's account id (sub)


def cart_id(owner: CartOwner, owner_id: str) -> str:
    """`guest:{session id}` or `shopper:{sub}`: one cart per session, one per shopper, in each store."""
    return f"{owner.value}:{owner_id}"


@dataclass(frozen=True, slots=True)
class CartLine:
    variant_id: str
    product_slug: str
    sku: str
    title: str  # the product's, when added
    variant_title: str
    quantity: int
    unit_price: Money  # the snapshot: what the shopper saw when adding
    added_at: int

    @property
    def item_id(self) -> str:
        """Names the line in the API: variant ids are unique only within their product."""
        return item_id(self.product_slug, self.variant_id)


def item_id(product_slug: str, variant_id: str) -> str:
    return f"{product_slug}:{variant_id}"


@dataclass(frozen=True, slots=True)
class Cart:
    store_id: str
    owner: CartOwner
    owner_id: str  # the guest session id or the shopper's sub
    currency: str
    lines: tuple[CartLine, ...] = ()
    coupon: str | None = None
    updated_at: int = 0
    expires_at: int = 0
    version: int = 0  # 0: not stored yet; every write is conditioned on the version read
    checkout_id: str | None = None  # the checkout that claimed this cart: a cart is in one live checkout at most

    @classmethod
    def empty(cls, store_id: str, owner: CartOwner, owner_id: str, currency: str) -> Cart:
        return cls(store_id=store_id, owner=owner, owner_id=owner_id, currency=currency)

    @property
    def cart_id(self) -> str:
        return cart_id(self.owner, self.owner_id)

    def is_expired(self, now: float) -> bool:
        """TTL deletes late (up to days): an expired cart is treated as absent the moment it expires."""
        return self.version > 0 and now >= self.expires_at

    def line(self, item: str) -> CartLine | None:
        return next((line for line in self.lines if line.item_id == item), None)

    @property
    def subtotal(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total += line.unit_price * line.quantity
        return total

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    # ---- changes (each returns the new cart; `touched` slides its life)
    def with_added(self, product: Product, variant: Variant, quantity: int, now: float) -> Cart:
        """Add to the line (or start it); the snapshot becomes today's price, which the shopper just saw."""
        _check_quantity(quantity, minimum=1)
        _check_sellable(product, variant)
        price = product.price_of(variant)
        if price.currency != self.currency:
            raise InvalidInput(f"the cart is in {self.currency}", field="variant_id")
        existing = self.line(item_id(product.slug, variant.variant_id))
        wanted = quantity + (existing.quantity if existing else 0)
        _check_quantity(wanted, minimum=1)
        _check_available(variant, wanted)
        line = CartLine(
            variant_id=variant.variant_id,
            product_slug=product.slug,
            sku=variant.sku,
            title=product.title,
            variant_title=variant.title,
            quantity=wanted,
            unit_price=price,
            added_at=existing.added_at if existing else int(now),
        )
        if existing is None and len(self.lines) >= MAX_LINES:
            raise Conflict(f"a cart holds at most {MAX_LINES} different items", field="variant_id")
        lines = tuple(line if x.item_id == line.item_id else x for x in self.lines)
        return self._touched(lines if existing else (*self.lines, line), now)

    def with_quantity(self, item: str, variant: Variant, quantity: int, now: float) -> Cart:
        """Set a line's quantity; 0 removes it. More than is available is refused, less never is."""
        _check_quantity(quantity, minimum=0)
        existing = self.line(item)
        if existing is None:
            raise NotFound("this item is not in the cart", field="item")
        if quantity == 0:
            return self.without(item, now)
        if quantity > existing.quantity:
            _check_available(variant, quantity)
        lines = tuple(replace(x, quantity=quantity) if x is existing else x for x in self.lines)
        return self._touched(lines, now)

    def without(self, item: str, now: float) -> Cart:
        if self.line(item) is None:
            raise NotFound("this item is not in the cart", field="item")
        return self._touched(tuple(x for x in self.lines if x.item_id != item), now)

    def cleared(self, now: float) -> Cart:
        return replace(self._touched((), now), coupon=None)

    def with_coupon(self, code: str | None, now: float) -> Cart:
        return replace(self._touched(self.lines, now), coupon=code)

    def merged(self, guest: Cart, available: Mapping[str, int], now: float) -> Cart:
        """The guest cart's lines added to this one: quantities add up, capped by what is available now
        (`available` by item id; an item missing from it is no longer sold and is dropped)."""
        lines = {line.item_id: line for line in self.lines}
        for g in guest.lines:
            if g.unit_price.currency != self.currency:
                continue
            cap = min(available.get(g.item_id, 0), MAX_QUANTITY)
            mine = lines.get(g.item_id)
            quantity = min((mine.quantity if mine else 0) + g.quantity, cap)
            if quantity <= 0:
                continue
            if mine is None and len(lines) >= MAX_LINES:
                break
            lines[g.item_id] = replace(mine or g, quantity=quantity)
        merged = self._touched(tuple(lines.values()), now)
        return merged if merged.coupon or not guest.coupon else replace(merged, coupon=guest.coupon)

    def with_lines(self, lines: tuple[CartLine, ...], now: float) -> Cart:
        """These lines, judged by the caller (a recovered cart's: sales/domain/cart_recovery.py), as a change."""
        return self._touched(lines, now)

    def _touched(self, lines: tuple[CartLine, ...], now: float) -> Cart:
        return replace(self, lines=lines, updated_at=int(now), expires_at=int(now) + CART_TTL_SECONDS)


def _check_quantity(quantity: int, *, minimum: int) -> None:
    if not minimum <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"the quantity must be between {minimum} and {MAX_QUANTITY}", field="quantity")


def _check_sellable(product: Product, variant: Variant) -> None:
    if not product.is_published:
        raise NotFound("this product is not for sale", field="variant_id")
    if variant not in product.variants:
        raise NotFound("no such variant", field="variant_id")


def _check_available(variant: Variant, wanted: int) -> None:
    if variant.available <= 0:
        raise OutOfStock(f"{variant.sku} is out of stock", field="quantity")
    if wanted > variant.available:
        raise OutOfStock(f"only {variant.available} of {variant.sku} left", field="quantity")


# ---- what the shopper sees of each line now
class LineState(StrEnum):
    AVAILABLE = "available"
    LOW_STOCK = "low_stock"  # fewer left than the line wants: checkout would fail for this line
    OUT_OF_STOCK = "out_of_stock"
    UNAVAILABLE = "unavailable"  # unpublished, deleted, or the variant is gone


@dataclass(frozen=True, slots=True)
class LineView:
    line: CartLine
    state: LineState
    available: int
    current_price: Money | None  # None when the line is no longer sold

    @property
    def price_changed(self) -> bool:
        return self.current_price is not None and self.current_price != self.line.unit_price


def view_line(line: CartLine, product: Product | None) -> LineView:
    variant = next((v for v in product.variants if v.variant_id == line.variant_id), None) if product else None
    if product is None or variant is None or not product.is_published:
        return LineView(line, LineState.UNAVAILABLE, 0, None)
    available = variant.available
    if available <= 0:
        state = LineState.OUT_OF_STOCK
    elif available < line.quantity:
        state = LineState.LOW_STOCK
    else:
        state = LineState.AVAILABLE
    return LineView(line, state, available, product.price_of(variant))


@dataclass(frozen=True, slots=True)
class CartOf:
    """Whose cart: a guest session's or a shopper's (the sub from a verified token)."""

    owner: CartOwner
    owner_id: str
    # Where the cart's reminders go when it says no other address: a shopper's account email (from the token).
    # Not part of the cart's identity.
    email: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class CartSnapshot:
    cart: Cart
    lines: list[LineView]
    coupon: Coupon | None
    coupon_problem: str | None  # the applied code no longer applies: shown, with no discount
    totals: Totals


@dataclass(frozen=True, slots=True)
class QuotedMethod:
    method: ShippingMethod
    totals: Totals  # the cart's totals with this method, taxed for the destination


@dataclass(frozen=True, slots=True)
class CartQuote:
    """What shipping the cart to one destination costs, per method the store offers there (none: no shipping)."""

    cart: CartSnapshot
    options: tuple[QuotedMethod, ...]
