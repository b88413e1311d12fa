"""Supplier product feeds as a research source: each feed downloaded with the product import's SSRF-safe
downloader (https only on AWS, public addresses only, every redirect judged again, size, type and time
limits), read in its format and mapped to candidates. A feed that fails is named in the harvest; the others
still count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from nozzly.imports.adapters.safe_download import SafeDownloader
from nozzly.imports.domain.download_rules import DownloadLimits, TransientError
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.research.adapters.feed_formats import UnreadableFeed, rows
from nozzly.research.domain.feeds import Feed, candidates
from nozzly.research.domain.sources import Harvest, SourceQuery

FEED_LIMITS: Final = DownloadLimits(
    8 * 1024 * 1024,
    frozenset({"text/csv", "application/csv", "text/plain", "application/json", "application/xml", "text/xml"}),
    20.0,
)


@dataclass(frozen=True, slots=True)
class SupplierFeeds:
    downloader: SafeDownloader
    feeds: Sequence[Feed]
    name: str = "supplier feeds"

    def fetch(self, query: SourceQuery) -> Harvest:
        harvest = Harvest()
        for feed in self.feeds:
            try:
                body = self.downloader.get(feed.url, FEED_LIMITS).body
                harvest.candidates += candidates(feed, rows(body, feed.format), query.currency)
            except (InvalidInput, TransientError, UnreadableFeed) as failure:
                harvest.failures.append(f"feed {feed.id}: {failure}"[:300])
        return harvest
