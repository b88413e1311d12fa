"""The product import workflow's steps (ProductImportStateMachine): fetch, copy, images, price, create, and the
compensation that removes what a failed run wrote.

Every step may run twice (Step Functions retries): fetching and pricing write nothing but the run's progress,
the copy step spends from the budget only what Bedrock reports, images are written under keys fixed by the
run (a second write replaces the first), and the product is created with `attribute_not_exists` and found
again by its provenance on a retry. Nothing is visible to shoppers: the product is a draft.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
from nozzly.catalog.adapters.catalog_codec import PRODUCT_PREFIX
from nozzly.catalog.domain import catalog_rules as rules
from nozzly.catalog.domain.catalog import Product, ProductImage, ProductSource, ProductStatus, Variant
from nozzly.catalog.services.catalog_writes import PRODUCT_CREATED, announce_changes
from nozzly.imports.adapters.import_runs import ImportRunsRepository
from nozzly.imports.adapters.safe_download import SafeDownloader
from nozzly.imports.adapters.store_pricing import StorePricing
from nozzly.imports.contracts import import_steps as c
from nozzly.imports.contracts.supplier_product import MAX_IMAGES, SupplierProduct
from nozzly.imports.domain.download_rules import PRODUCT_IMAGE, PRODUCT_JSON, DownloadRefused
from nozzly.imports.domain.import_runs import STEPS, StepState
from nozzly.imports.domain.listing_copy import SourceFacts
from nozzly.imports.domain.pricing import DEFAULT_RULES, quote
from nozzly.imports.services.ai_copy import AiCopywriter
from nozzly.kernel.adapters.events import EventPublisher
from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money
from nozzly.kernel.domain.slugs import slugify
from nozzly.media.adapters.image_files import ImageFiles
from nozzly.stores.adapters.stores import StoresRepository


def image_prefix(store_id: str, slug: str, import_id: str, position: int) -> str:
    """Where an imported image's files go: fixed by the run, so a retried step overwrites, never adds."""
    return f"stores/{store_id}/products/{slug}/images/{import_id}-{position}/"


@dataclass(frozen=True, slots=True)
class ImportSteps:
    runs: ImportRunsRepository
    stores: StoresRepository
    catalog: CatalogAdminRepository
    files: ImageFiles
    downloader: SafeDownloader
    copywriter: AiCopywriter
    events: EventPublisher
    pricing: StorePricing | None = None  # None: DEFAULT_RULES for every store
    clock: Callable[[], float] = field(default=time.time)

    def fetch(self, step: c.FetchStep) -> dict[str, object]:
        document = self.downloader.get(step.source_url, PRODUCT_JSON)
        try:
            product = SupplierProduct.model_validate_json(document.body)
        except ValueError as invalid:
            raise DownloadRefused(f"the source is not a supplier product: {str(invalid)[:300]}") from None
        store = self.stores.find(step.store_id)
        if store is None:
            raise NotFound(f"store {step.store_id!r} not found", field="store")
        if product.cost.currency != store.currency:
            raise InvalidInput(
                f"the supplier's cost is in {product.cost.currency}; the store sells in {store.currency}"
            )
        base = slugify(product.title)
        taken = self.catalog.taken_slugs(step.store_id, PRODUCT_PREFIX, base) if base else set()
        existing = self.catalog.find_product(step.store_id, base) if base else None
        mine = existing is not None and existing.source is not None and existing.source.import_id == step.import_id
        slug = base if mine else rules.unique_slug(product.title, taken, what="product")
        self.runs.mark_step(step.store_id, step.import_id, "fetch", product_slug=slug)
        return {"product": product.model_dump(mode="json"), "slug": slug}

    def copy(self, step: c.CopyStep) -> dict[str, object]:
        store = self.stores.find(step.store_id)
        p = step.product
        facts = SourceFacts(p.title, p.description, tuple(p.features), len(p.images))
        outcome = self.copywriter.write(
            step.store_id, facts, step.language, store.name if store else step.store_id, store.niche if store else ""
        )
        self.runs.mark_step(
            step.store_id, step.import_id, "copy", needs_copy=outcome.copy.needs_copy, ai_tokens=outcome.tokens
        )
        copy = outcome.copy
        return {
            "seo_title": copy.seo_title,
            "description_html": copy.description_html,
            "meta_description": copy.meta_description,
            "keywords": list(copy.keywords),
            "image_alts": list(copy.image_alts),
            "needs_copy": copy.needs_copy,
            "ai_tokens": outcome.tokens,
        }

    def images(self, step: c.ImagesStep) -> dict[str, object]:
        from nozzly.media.domain.image_checks import Rejected
        from nozzly.media.domain.image_decoding import decode, renditions  # Pillow: only on this path

        made = []
        for position, url in enumerate(step.product.images):
            data = self.downloader.get(url, PRODUCT_IMAGE).body
            try:
                decoded = decode(data)
            except Rejected as refused:
                raise DownloadRefused(f"image {position + 1}: {refused.reason}") from None
            prefix = image_prefix(step.store_id, step.slug, step.import_id, position)
            original = self.files.put_original(prefix, data, decoded.content_type)
            widths = {str(w): self.files.put_rendition(prefix, w, webp) for w, webp in renditions(decoded)}
            alt = step.alts[position] if position < len(step.alts) else step.product.title
            made.append(
                {
                    "image_id": f"{step.import_id}-{position}",
                    "key": original,
                    "alt": alt,
                    "content_type": decoded.content_type,
                    "renditions": widths,
                }
            )
        self.runs.mark_step(step.store_id, step.import_id, "images")
        return {"images": made}

    def price(self, step: c.PriceStep) -> dict[str, object]:
        p = step.product
        rules = self.pricing.rules(step.store_id) if self.pricing else DEFAULT_RULES
        got = quote(rules, p.cost.to_domain(), p.shipping.to_domain() if p.shipping else None)
        self.runs.mark_step(step.store_id, step.import_id, "price")
        return {
            "price": _money(got.price),
            "compare_at_price": _money(got.compare_at) if got.compare_at else None,
            "margin_bp": got.margin_bp,
            "guarded": got.guarded,
        }

    def create(self, step: c.CreateStep) -> dict[str, object]:
        found = self.catalog.find_product(step.store_id, step.slug)
        if found is not None and found.source is not None and found.source.import_id == step.import_id:
            self.runs.mark_step(step.store_id, step.import_id, "create", product_slug=step.slug)
            return {"product_slug": step.slug}  # a retried step: the first attempt wrote it
        product = self._draft(step)
        categories = self.catalog.categories(step.store_id)
        product = replace(product, category_path=rules.category_path(categories, step.category))
        tx = Transaction().add("product", self.catalog.product_put_op(product, None))
        tx.add("path", *(self.catalog.category_unchanged_op(categories[s]) for s in product.category_path))
        tx.add("sku", self.catalog.sku_claim_op(step.store_id, step.slug, product.variants[0].sku))
        try:
            tx.commit()
        except WriteConflict as clash:
            if "sku" in clash.failed:
                raise Conflict(f"the store already sells SKU {product.variants[0].sku!r}", field="sku") from None
            raise Conflict(f"product {step.slug!r} was created meanwhile, or its category moved") from None
        # Only the attempt that wrote it announces it (a retried step found it above): product.created once.
        announce_changes(self.events, step.store_id, [(PRODUCT_CREATED, product)])
        self.runs.mark_step(step.store_id, step.import_id, "create", product_slug=step.slug)
        return {"product_slug": step.slug}

    def _draft(self, step: c.CreateStep) -> Product:
        p, copy = step.product, step.copy_
        return Product(
            store_id=step.store_id,
            slug=step.slug,
            title=p.title,
            description=copy.description_html,
            category=step.category,
            status=ProductStatus.DRAFT,
            price=step.price.price.to_domain(),
            compare_at_price=step.price.compare_at_price.to_domain() if step.price.compare_at_price else None,
            cost=p.cost.to_domain(),
            tags=tuple(copy.keywords),
            seo_title=copy.seo_title,
            seo_description=copy.meta_description,
            images=tuple(
                ProductImage(
                    key=i.key,
                    alt=i.alt,
                    content_type=i.content_type,
                    image_id=i.image_id,
                    renditions=tuple(sorted((int(w), k) for w, k in i.renditions.items())),
                )
                for i in step.images.images
            ),
            variants=(Variant("default", p.sku, "Default", p.stock, 0, 3, None, weight_grams=p.weight_grams),),
            source=ProductSource(step.source_url, p.sku, step.import_id, copy.needs_copy),
            created_at=int(self.clock()),
            version=1,
        )

    def fail(self, step: c.FailStep) -> dict[str, object]:
        """Compensation: the run's image files go, the run is marked failed with the cause for the owner."""
        run = self.runs.get(step.store_id, step.import_id)
        if run is None:
            return {"status": "failed"}
        made = self.catalog.find_product(step.store_id, run.product_slug) if run.product_slug else None
        if made is not None and made.source is not None and made.source.import_id == step.import_id:
            # The draft was written whole (one transaction) and only the progress mark failed: keep it.
            self.runs.mark_step(step.store_id, step.import_id, "create", product_slug=made.slug)
            return {"status": "succeeded"}
        if run.product_slug:  # chosen by fetch: the images step writes only under it
            for position in range(MAX_IMAGES):
                self.files.delete_prefix(image_prefix(step.store_id, run.product_slug, step.import_id, position))
        cause = str(step.error.get("Cause") or step.error.get("Error") or "the import failed")
        failed_step = next((s for s, state in run.steps.items() if state is StepState.PENDING), STEPS[-1])
        self.runs.fail(step.store_id, step.import_id, failed_step, _readable(cause))
        return {"status": "failed"}


def _money(money: Money) -> dict[str, object]:
    return {"amount": money.amount, "currency": money.currency}


def _readable(cause: str) -> str:
    """A Lambda error's Cause is JSON with errorMessage; the owner sees the message alone."""
    import json

    try:
        parsed = json.loads(cause)
    except ValueError:
        return cause
    return str(parsed.get("errorMessage", cause)) if isinstance(parsed, dict) else cause
