"""The AI-assisted product import: the request service and the workflow's steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory
from nozzly.wiring.billing import plan_guard

if TYPE_CHECKING:
    from nozzly.imports.adapters.ai_budget import AiBudgetRepository
    from nozzly.imports.adapters.import_runs import ImportRunsRepository
    from nozzly.imports.services.import_requests import ImportRequests
    from nozzly.imports.services.import_steps import ImportSteps
    from nozzly.settings import ProductImportSettings


def _settings() -> ProductImportSettings:
    from nozzly.settings import ProductImportSettings, load

    return load(ProductImportSettings)


@factory
def runs() -> ImportRunsRepository:
    from nozzly.imports.adapters.import_runs import ImportRunsRepository

    return ImportRunsRepository(_settings().stores_table)


@factory
def budget() -> AiBudgetRepository:
    from nozzly.imports.adapters.ai_budget import AiBudgetRepository

    return AiBudgetRepository(_settings().stores_table)


@factory
def import_requests() -> ImportRequests:
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.imports.adapters.import_workflow import ImportWorkflow
    from nozzly.imports.services.import_requests import ImportRequests
    from nozzly.kernel.adapters.resolver import resolve
    from nozzly.stores.adapters.store_members import MembersRepository

    s = _settings()
    return ImportRequests(
        members=MembersRepository(s.stores_table),
        runs=runs(),
        catalog=CatalogAdminRepository(s.catalog_table),
        budget=budget(),
        workflow=ImportWorkflow(s.product_import_state_machine_arn),
        resolve=resolve,
        daily_tokens=s.ai_daily_tokens,
        plan=plan_guard(),
        allow_loopback_http=s.import_allow_loopback_http,
    )


@factory
def import_steps() -> ImportSteps:
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.imports.adapters.bedrock import BedrockConverse
    from nozzly.imports.adapters.safe_download import SafeDownloader
    from nozzly.imports.adapters.store_pricing import StorePricing
    from nozzly.imports.services.ai_copy import AiCopywriter
    from nozzly.imports.services.import_steps import ImportSteps
    from nozzly.kernel.adapters.events import EventPublisher
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.stores.adapters.stores import StoresRepository

    s = _settings()
    bedrock = BedrockConverse(s.bedrock_model_id, endpoint_url=s.bedrock_endpoint_url)
    return ImportSteps(
        runs=runs(),
        stores=StoresRepository(s.stores_table),
        catalog=CatalogAdminRepository(s.catalog_table),
        files=ImageFiles(s.images_bucket),
        downloader=SafeDownloader(allow_loopback_http=s.import_allow_loopback_http),
        copywriter=AiCopywriter(bedrock, budget(), s.ai_daily_tokens, retry_wait_seconds=s.ai_retry_wait_seconds),
        events=EventPublisher(s.event_bus_name),  # product.created for integrators' webhooks
        pricing=StorePricing(s.stores_table),  # the research settings' markup rules
    )
