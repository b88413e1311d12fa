"""Product research: the daily run's steps, the analyst, operators' research routes and bulk import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nozzly.wiring import factory
from nozzly.wiring.billing import plan_guard

if TYPE_CHECKING:
    from nozzly.research.adapters.research_results import ResearchResultsRepository
    from nozzly.research.adapters.research_settings import ResearchSettingsRepository
    from nozzly.research.domain.research_settings import ResearchSettings
    from nozzly.research.domain.sources import ResearchSource
    from nozzly.research.services.analyst import Analyst
    from nozzly.research.services.bulk_imports import BulkImports, BulkTally
    from nozzly.research.services.daily_report import DailyReports
    from nozzly.research.services.research_admin import ResearchAdmin
    from nozzly.research.services.research_run import ResearchRun
    from nozzly.settings import ResearchFunctionSettings


def _settings() -> ResearchFunctionSettings:
    from nozzly.settings import ResearchFunctionSettings, load

    return load(ResearchFunctionSettings)


@factory
def results() -> ResearchResultsRepository:
    from nozzly.research.adapters.research_results import ResearchResultsRepository

    return ResearchResultsRepository(_settings().research_table)


@factory
def settings_repo() -> ResearchSettingsRepository:
    from nozzly.research.adapters.research_settings import ResearchSettingsRepository

    return ResearchSettingsRepository(_settings().stores_table)


def sources_for(settings: ResearchSettings) -> Sequence[ResearchSource]:
    """The store's sources: its supplier feeds, and Reddit when it is on (credentials read per run, cached)."""
    from nozzly.imports.adapters.safe_download import SafeDownloader
    from nozzly.kernel.adapters.secrets import secret
    from nozzly.research.adapters.reddit_trends import RedditTrends
    from nozzly.research.adapters.supplier_feeds import SupplierFeeds

    s = _settings()
    found: list[ResearchSource] = []
    if settings.feeds:
        found.append(SupplierFeeds(SafeDownloader(allow_loopback_http=s.import_allow_loopback_http), settings.feeds))
    if settings.reddit and s.reddit_credentials_parameter:
        credentials = secret(s.reddit_credentials_parameter)
        found.append(RedditTrends(credentials, oauth_url=s.reddit_api_url, reddit_url=s.reddit_api_url))
    return found


@factory
def research_run() -> ResearchRun:
    from nozzly.research.services.research_run import ResearchRun
    from nozzly.stores.adapters.stores import StoresRepository

    return ResearchRun(StoresRepository(_settings().stores_table), settings_repo(), results(), sources_for)


@factory
def analyst() -> Analyst:
    from nozzly.imports.adapters.ai_budget import AiBudgetRepository
    from nozzly.imports.adapters.bedrock import BedrockConverse
    from nozzly.research.services.analyst import Analyst
    from nozzly.stores.adapters.stores import StoresRepository

    s = _settings()
    return Analyst(
        stores=StoresRepository(s.stores_table),
        settings=settings_repo(),
        results=results(),
        bedrock=BedrockConverse(s.bedrock_model_id, endpoint_url=s.bedrock_endpoint_url),
        budget=AiBudgetRepository(s.stores_table),
        daily_tokens=s.ai_daily_tokens,
        retry_wait_seconds=s.ai_retry_wait_seconds,
    )


@factory
def daily_reports() -> DailyReports:
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.research.adapters.report_claims import ReportClaims
    from nozzly.research.services.daily_report import DailyReports
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository

    s = _settings()
    return DailyReports(
        stores=StoresRepository(s.stores_table),
        settings=settings_repo(),
        results=results(),
        claims=ReportClaims(s.research_table),
        members=MembersRepository(s.stores_table),
        operators=UserDirectory(s.operator_user_pool_id) if s.operator_user_pool_id else None,
        store_settings=StoreSettingsRepository(s.stores_table, images_bucket=s.images_bucket, images_url=s.images_url),
        mailer=Mailer(s.email_from),
        console_url=s.console_url,
    )


@factory
def research_admin() -> ResearchAdmin:
    from nozzly.kernel.adapters.resolver import resolve
    from nozzly.research.services.research_admin import ResearchAdmin
    from nozzly.stores.adapters.store_members import MembersRepository

    s = _settings()
    return ResearchAdmin(
        members=MembersRepository(s.stores_table),
        results=results(),
        settings_repo=settings_repo(),
        resolve=resolve,
        allow_loopback_http=s.import_allow_loopback_http,
    )


@factory
def bulk_imports() -> BulkImports:
    from nozzly.catalog.adapters.catalog_admin import CatalogAdminRepository
    from nozzly.imports.adapters.ai_budget import AiBudgetRepository
    from nozzly.imports.adapters.import_runs import ImportRunsRepository
    from nozzly.imports.adapters.import_workflow import ImportWorkflow
    from nozzly.imports.services.import_requests import ImportRequests
    from nozzly.kernel.adapters.resolver import resolve
    from nozzly.research.adapters.bulk_workflow import BulkImportWorkflow
    from nozzly.research.services.bulk_imports import BulkImports
    from nozzly.stores.adapters.store_members import MembersRepository

    s = _settings()
    members = MembersRepository(s.stores_table)
    requests = ImportRequests(
        members=members,
        runs=ImportRunsRepository(s.stores_table),
        catalog=CatalogAdminRepository(s.catalog_table),
        budget=AiBudgetRepository(s.stores_table),
        workflow=ImportWorkflow(s.product_import_state_machine_arn),
        resolve=resolve,
        daily_tokens=s.ai_daily_tokens,
        plan=plan_guard(),
        allow_loopback_http=s.import_allow_loopback_http,
    )
    return BulkImports(members, results(), requests, BulkImportWorkflow(s.bulk_import_state_machine_arn))


@factory
def bulk_tally() -> BulkTally:
    from nozzly.imports.adapters.import_runs import ImportRunsRepository
    from nozzly.research.services.bulk_imports import BulkTally

    return BulkTally(ImportRunsRepository(_settings().stores_table))
