"""Stores: administration, staff, provisioning."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nozzly.wiring import billing, factory

if TYPE_CHECKING:
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.stores.services.attention import AttentionDesk
    from nozzly.stores.services.staff import StaffService
    from nozzly.stores.services.store_provisioning import Provisioning
    from nozzly.stores.services.store_settings import StoreSettings
    from nozzly.stores.services.stores import StoreAdmin


@factory
def stores_repository() -> StoresRepository:
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.stores import StoresRepository

    return StoresRepository(get_settings().stores_table)


@factory
def store_admin() -> StoreAdmin:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.settings import StoreAdminSettings, load
    from nozzly.stores.adapters.provisioning import ProvisioningWorkflow
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.stores.services.stores import StoreAdmin

    s = load(StoreAdminSettings)
    return StoreAdmin(
        stores=StoresRepository(s.stores_table),
        members=MembersRepository(s.stores_table),
        catalog=CatalogRepository(s.catalog_table),
        workflow=ProvisioningWorkflow(s.store_provisioning_state_machine_arn),
        plan=billing.plan_guard(),
    )


@factory
def staff() -> StaffService:
    from nozzly.accounts.adapters.throttle import Throttle
    from nozzly.accounts.adapters.users import UserDirectory
    from nozzly.messaging.adapters.email import Mailer
    from nozzly.settings import StaffSettings, load
    from nozzly.stores.adapters.invitations import InvitationsRepository
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.stores.services.staff import StaffService

    s = load(StaffSettings)
    return StaffService(
        members=MembersRepository(s.stores_table),
        invitations=InvitationsRepository(s.stores_table),
        stores=StoresRepository(s.stores_table),
        users=UserDirectory(s.user_pool_id, s.user_pool_client_id),
        throttle=Throttle(s.identity_table),
        mailer=Mailer(s.email_from),
        plan=billing.plan_guard(),
        console_url=s.console_url,
    )


@factory
def provisioning() -> Provisioning:
    from nozzly.catalog.adapters.catalog import CatalogRepository
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.stores.services.store_provisioning import Provisioning

    s = get_settings()
    return Provisioning(
        StoresRepository(s.stores_table), StoreSettingsRepository(s.stores_table), CatalogRepository(s.catalog_table)
    )


@factory
def store_settings() -> StoreSettings:
    from nozzly.media.adapters.image_files import ImageFiles
    from nozzly.media.services.logo_uploads import LogoUploads
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository
    from nozzly.stores.domain.branding_settings import SECTION as BRANDING
    from nozzly.stores.services.store_settings import StoreSettings

    s = get_settings()
    members = MembersRepository(s.stores_table)
    logos = LogoUploads(members, ImageFiles(s.images_bucket))
    sections = SettingsSectionsRepository(s.stores_table)
    return StoreSettings(members, sections, StoresRepository(s.stores_table), {BRANDING: logos.check_change})


@factory
def order_number_prefix() -> Callable[[str], str]:
    """A store's order-number prefix, for every answer that shows an order's number."""
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_settings import StoreSettingsRepository

    return StoreSettingsRepository(get_settings().stores_table).order_number_prefix


@factory
def attention_desk() -> AttentionDesk:
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.attention import AttentionList
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.services.attention import AttentionDesk

    s = get_settings()
    return AttentionDesk(MembersRepository(s.stores_table), AttentionList(s.stores_table))
