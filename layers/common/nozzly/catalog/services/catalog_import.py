"""The catalog import steps: turn validated import payloads into domain objects and store them."""

from __future__ import annotations

from dataclasses import replace

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.accounts.domain.accounts import normalise_email
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.contracts.catalog_import import ProductStep, StoreStep
from nozzly.catalog.domain.catalog import Category, Product, ProductStatus, Store, Variant
from nozzly.catalog.domain.catalog_rules import category_path
from nozzly.catalog.services.catalog_writes import PRODUCT_CREATED, PRODUCT_UPDATED, announce_changes
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.media.adapters.images import ProductImages
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Membership, Role
from nozzly.stores.domain.store_defaults import store_defaults


def import_store(
    step: StoreStep,
    stores: StoresRepository,
    catalog: CatalogRepository,
    members: MembersRepository,
    operators: UserDirectory,
    *,
    settings: StoreSettingsRepository,
) -> dict[str, object]:
    """Store profile, its owner, catalog root and categories in one transaction: all of them or none. Then the
    settings an opened store gets from provisioning (tax rate, shipping, order numbers, email), where missing."""
    s = step.store
    store = Store(
        store_id=s.id, name=s.name, currency=s.currency, country=s.country, niche=s.niche, description=s.description
    )
    slugs = {c.slug for c in step.categories}
    for c in step.categories:
        if c.parent is not None and c.parent not in slugs:
            raise InvalidInput(f"category {c.slug!r} has unknown parent {c.parent!r}", field="categories")
    categories = [
        Category(
            store_id=s.id, slug=c.slug, name=c.name, description=c.description, position=c.position, parent=c.parent
        )
        for c in step.categories
    ]
    tx = Transaction().add("profile", stores.import_profile_op(store))
    if s.owner_email:
        owner = operators.get(normalise_email(s.owner_email))
        if owner is None:
            raise InvalidInput("no operator account has this email", field="store.owner_email")
        tx.add("owner", members.add_op(Membership(s.id, owner.sub, Role.OWNER, store_name=s.name), replace=True))
    tx.add("catalog", *catalog.upsert_categories_ops(s.id, categories))
    try:
        tx.commit()
    except WriteConflict as clash:
        if "profile" in clash.failed:  # the profile's condition: the store is not an imported one
            raise Conflict(
                f"store {s.id!r} belongs to an operator or was deleted; it cannot be imported over"
            ) from None
        raise
    settings.ensure_defaults(s.id, store_defaults(s.id, s.name, s.niche, s.currency, s.country))
    return {"store_id": s.id, "currency": s.currency, "categories": sorted(slugs)}


def import_product(
    step: ProductStep, catalog: CatalogRepository, images: ProductImages, events: EventPublisher
) -> dict[str, str]:
    """Validate the whole product first, so a rejected one leaves no image behind; then copy, then write, then
    tell integrators (product.created, or product.updated when a re-import changed it; a retried step that
    wrote the same item announces nothing)."""
    p = step.product
    # Its ancestors too, so subtree filters and category coupons need no read of the tree later.
    try:
        path = category_path({c.slug: c for c in catalog.list_categories(step.store_id)}, p.category)
    except NotFound:  # no catalog root yet (a product step run on its own): the category alone
        path = (p.category,)
    product = Product(
        store_id=step.store_id,
        slug=p.slug,
        title=p.title,
        description=p.description,
        category=p.category,
        category_path=path,
        status=ProductStatus(p.status),
        price=p.price.to_domain(),
        compare_at_price=p.compare_at_price.to_domain() if p.compare_at_price else None,
        tags=tuple(p.tags),
        images=(),
        variants=tuple(
            Variant(
                variant_id=v.id,
                sku=v.sku,
                title=v.title,
                stock_on_hand=v.stock_on_hand,
                low_stock_threshold=v.low_stock_threshold,
                price=v.price.to_domain() if v.price else None,
                weight_grams=v.weight_grams,
            )
            for v in p.variants
        ),
    )
    adopted = tuple(
        images.adopt_staged(step.store_id, p.slug, position, image.source_key, image.alt)
        for position, image in enumerate(p.images)
    )
    imported = replace(product, images=adopted)
    outcome = catalog.put_product(imported)
    if outcome != "unchanged":
        kind = PRODUCT_CREATED if outcome == "created" else PRODUCT_UPDATED
        announce_changes(events, step.store_id, [(kind, imported)], recount=False)
    return {"slug": product.slug}
