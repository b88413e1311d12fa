"""Analytics: the sales aggregates' stream consumer, the dashboard, reports, storefront events, activity."""

from __future__ import annotations
