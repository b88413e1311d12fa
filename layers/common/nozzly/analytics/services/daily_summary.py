"""The owner's daily summary job (DailySummary, hourly): every store that opted in gets yesterday's sales once
its local morning has come (analytics/domain/daily_summary.py says when), once per store and day.

DynamoDB calls per store and run: one Scan page for the store ids (shared), one BatchGetItem (profile, general
settings); only for a store due now: the claim's PutItem (a failed condition ends there: sent already), then
the owner's membership Query (+ AdminGetUser when the membership has no email), one Query of two days' counters,
the attention reads (Dashboard.attention), one BatchGetItem of the top sellers' titles, the email settings'
BatchGetItem, SES SendEmail and the claim's UpdateItem. A failed send gives the claim back (the next hourly run
tries again, until the local day ends); for a store without an owner's address the claim is kept as skipped
(nobody to tell; retrying hourly would not find one), logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from nozzly.accounts.adapters.users import UserDirectory
from nozzly.analytics.adapters.sales_aggregates import SalesAggregates
from nozzly.analytics.adapters.summary_claims import SummaryClaims
from nozzly.analytics.domain.calendar import zone
from nozzly.analytics.domain.daily_summary import daily_summary, summarised_day
from nozzly.analytics.domain.dashboard import Attention
from nozzly.analytics.domain.sales_figures import DayFigures
from nozzly.analytics.emails import daily_summary as summary_email
from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Store
from nozzly.kernel.adapters.batch import read_together
from nozzly.messaging.adapters.email import Mailer
from nozzly.messaging.domain.outgoing_email import OutgoingEmail
from nozzly.messaging.emails.render import render
from nozzly.observability import logger
from nozzly.stores.adapters.settings_sections import SettingsSectionsRepository
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.adapters.store_settings import StoreSettingsRepository
from nozzly.stores.adapters.stores import StoresRepository
from nozzly.stores.domain import general_settings
from nozzly.stores.domain.permissions import Role

AttentionOf = Callable[[str, int], list[Attention]]  # Dashboard.attention


@dataclass
class RunReport:
    sent: int = 0
    skipped: int = 0  # opted out, closed, not morning yet, sent already, no owner address
    failed: int = 0  # the send (or its figures) failed: the claim was given back for the next run
    complete: bool = True  # False: time ran out; the next run carries on

    def as_dict(self) -> dict[str, int | bool]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed, "complete": self.complete}


@dataclass(frozen=True)
class DailySummarySender:
    stores: StoresRepository
    sections: SettingsSectionsRepository
    settings: StoreSettingsRepository
    members: MembersRepository
    operators: UserDirectory
    aggregates: SalesAggregates
    catalog: CatalogRepository
    attention: AttentionOf
    claims: SummaryClaims
    mailer: Mailer

    def run(self, now: float, out_of_time: Callable[[], bool] = lambda: False) -> RunReport:
        report = RunReport()
        for store_id in self.stores.list_store_ids():
            if out_of_time():
                report.complete = False
                return report
            try:
                self._one(store_id, now, report)
            except Exception:  # one store's failure (a throttled read, SES) never keeps the others' summaries
                logger.exception("daily summary not sent; the next run tries again", extra={"store_id": store_id})
                report.failed += 1
        return report

    def _one(self, store_id: str, now: float, report: RunReport) -> None:
        store, general = read_together(
            [self.stores.profile_read(store_id), self.sections.read(store_id, general_settings.SECTION)]
        )
        data = general.data if general else {}
        day = summarised_day(now, zone(str(data.get("timezone") or "UTC")))
        if store is None or not store.is_open or data.get("daily_summary") is not True or day is None:
            report.skipped += 1
            return
        if not self.claims.claim(store_id, day, now):
            report.skipped += 1
            return
        try:
            to = self._owner_email(store)
            if not to:
                logger.warning("daily summary: the store's owner has no email address", extra={"store_id": store_id})
                self.claims.skipped(store_id, day, "no owner email")
                report.skipped += 1
                return
            message_id = self.mailer.send(to, self._email(store, day, now))
        except Exception:
            self.claims.release(store_id, day, now)
            raise
        self.claims.sent(store_id, day, to, message_id)
        report.sent += 1
        logger.info("daily summary sent", extra={"store_id": store_id, "day": day.isoformat()})

    def _email(self, store: Store, day: date, now: float) -> OutgoingEmail:
        figures = [
            DayFigures.of(d.day, d.counters) for d in self.aggregates.days(store.store_id, day - timedelta(days=1), day)
        ]
        summary = daily_summary(day, store.currency, figures, self.attention(store.store_id, int(now)))
        titles = self.catalog.titles(store.store_id, [p.product for p in summary.top])
        context = summary_email.daily_summary(summary, store, self.settings.email_settings(store.store_id), titles)
        return render(summary_email.TEMPLATE, context)

    def _owner_email(self, store: Store) -> str:
        """The owner's address: their membership's, else their operator account's (owners open stores with a
        token that carries no email, as stock alerts find them too)."""
        owners = [m for m in self.members.of_store(store.store_id) if m.role is Role.OWNER and not m.store_deleted]
        for member in owners:
            if member.email:
                return member.email
            user = self.operators.get(member.sub)
            if user and user.email:
                return user.email
        return ""
