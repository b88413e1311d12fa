"""The email to a store's owner when one of its webhook endpoints is disabled (once per disabling)."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Role
from nozzly.webhooks.domain.endpoints import Endpoint
from nozzly.webhooks.emails.endpoint_disabled import endpoint_disabled


@dataclass(frozen=True)
class OwnerNotice:
    members: MembersRepository
    operators: UserDirectory | None
    mailer: Mailer | None

    def endpoint_disabled(self, endpoint: Endpoint) -> None:
        to, store_name = self._owner(endpoint.store_id)
        if not to or self.mailer is None:
            logger.warning("webhook endpoint disabled, no owner address", extra={"store_id": endpoint.store_id})
            return
        self.mailer.send(to, render("webhook_disabled", endpoint_disabled(endpoint, store_name)))

    def _owner(self, store_id: str) -> tuple[str, str]:
        for member in self.members.of_store(store_id):
            if member.role is not Role.OWNER or member.store_deleted:
                continue
            if member.email:
                return member.email, member.store_name
            user = self.operators.get(member.sub) if self.operators else None
            if user and user.email:
                return user.email, member.store_name
        return "", store_id
