"""The owner's daily research report, the research workflow's last step per store (after the AI analysis).

For a store whose research settings have `report_email` on and whose day has results: the day's claim first (a
conditional Put: a retried step or a second run of the day finds it and sends nothing), then the owner's
address (their membership's, else their operator account's), the store's branding (one BatchGetItem) and one
SES email listing the best results with their scores and verdicts and a link to the console's import page. A
failed send gives the claim back and raises, so the step's retry sends it; a store without an owner's address
keeps its claim as skipped (retrying would not find one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.research.adapters.report_claims import ReportClaims
from nozzly.research.adapters.research_results import ResearchResultsRepository
from nozzly.research.adapters.research_settings import ResearchSettingsRepository
from nozzly.research.domain.report import ReportOutcome, console_link, top_results
from nozzly.research.emails import daily_report as report_email
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain.permissions import Role


@dataclass(frozen=True)
class DailyReports:
    stores: StoresRepository
    settings: ResearchSettingsRepository
    results: ResearchResultsRepository
    claims: ReportClaims
    members: MembersRepository
    operators: UserDirectory | None
    store_settings: StoreSettingsRepository
    mailer: Mailer
    console_url: str = ""
    clock: Callable[[], float] = field(default=time.time)

    def send(self, store_id: str, day: str) -> ReportOutcome:
        if not self.settings.settings(store_id).report_email:
            return ReportOutcome.OFF
        results = self.results.day(store_id, day)
        if not results:
            return ReportOutcome.EMPTY
        now = self.clock()
        if not self.claims.claim(store_id, day, now):
            return ReportOutcome.ALREADY
        try:
            to = self._owner_email(store_id)
            if not to:
                logger.warning("research report: the store's owner has no email address", extra={"store_id": store_id})
                self.claims.skipped(store_id, day, "no owner email")
                return ReportOutcome.NO_OWNER
            store = self.stores.get(store_id)
            context = report_email.daily_report(
                day,
                top_results(results),
                len(results),
                store,
                self.store_settings.email_settings(store_id),
                link=console_link(self.console_url, store_id),
            )
            message_id = self.mailer.send(to, render(report_email.TEMPLATE, context))
        except Exception:
            self.claims.release(store_id, day, now)
            raise
        self.claims.sent(store_id, day, to, message_id)
        logger.info("research report sent", extra={"store_id": store_id, "day": day})
        return ReportOutcome.SENT

    def _owner_email(self, store_id: str) -> str:
        for member in self.members.of_store(store_id):
            if member.role is not Role.OWNER or member.store_deleted:
                continue
            if member.email:
                return member.email
            user = self.operators.get(member.sub) if self.operators else None
            if user and user.email:
                return user.email
        return ""
