"""Marketing: the store's automated email flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.marketing.services.email_flows import EmailFlows


@factory
def email_flows_repository() -> EmailFlowsRepository:
    from nozzly.marketing.adapters.email_flows import EmailFlowsRepository
    from nozzly.settings import get_settings

    return EmailFlowsRepository(get_settings().stores_table)


@factory
def email_flows() -> EmailFlows:
    from nozzly.marketing.services.email_flows import EmailFlows
    from nozzly.settings import get_settings
    from nozzly.stores.adapters.store_members import MembersRepository
    from nozzly.stores.adapters.stores import StoresRepository

    table = get_settings().stores_table
    return EmailFlows(
        members=MembersRepository(table), flows_repo=email_flows_repository(), stores=StoresRepository(table)
    )
