"""Reddit as a trends source, through its official client `praw` (application-only OAuth, read-only).

Each of the store's keywords is searched across Reddit for the past week, newest first; every post is a
signal (title, upvotes, comments, age). `oauth_url` and `reddit_url` are praw's own site options: empty on
AWS (Reddit's), the local Reddit API peer in the local cloud (localcloud/reddit_peer.py), so the same praw
code path runs against both. Credentials are "client_id:client_secret", an SSM SecureString.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from nozzly.research.domain.candidates import TrendSignal
from nozzly.research.domain.sources import Harvest, SourceQuery

POSTS_PER_KEYWORD: Final = 50
USER_AGENT: Final = "server:dev.nozzly.research:1.0 (product research)"


@dataclass(frozen=True, slots=True)
class RedditTrends:
    credentials: str  # "client_id:client_secret"; empty: the source is not configured and yields nothing
    oauth_url: str = ""
    reddit_url: str = ""
    timeout: int = 10
    name: str = "reddit"

    def _client(self) -> Any:
        import praw

        client_id, _, client_secret = self.credentials.partition(":")
        options: dict[str, Any] = {
            "client_id": client_id,
            "client_secret": client_secret,
            "user_agent": USER_AGENT,
            "check_for_updates": False,
            "timeout": self.timeout,
        }
        options |= {k: v for k, v in {"oauth_url": self.oauth_url, "reddit_url": self.reddit_url}.items() if v}
        return praw.Reddit(**options)

    def fetch(self, query: SourceQuery) -> Harvest:
        from prawcore.exceptions import PrawcoreException

        harvest = Harvest()
        if not query.keywords:
            return harvest
        if ":" not in self.credentials:
            harvest.failures.append("reddit: no app credentials (the providers/reddit-credentials parameter)")
            return harvest
        reddit = self._client()
        for keyword in query.keywords:
            try:
                for post in reddit.subreddit("all").search(
                    keyword, sort="new", time_filter="week", limit=POSTS_PER_KEYWORD
                ):
                    age = max(query.now - float(post.created_utc), 0.0) / 3600
                    harvest.signals.append(TrendSignal(post.title, int(post.score), int(post.num_comments), age))
            except PrawcoreException as failure:
                harvest.failures.append(f"reddit {keyword!r}: {type(failure).__name__}: {failure}"[:300])
        return harvest
