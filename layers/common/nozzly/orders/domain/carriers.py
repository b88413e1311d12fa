"""Parcel carriers: a shopper's tracking link from the carrier and the tracking number. Pure Python.

Well-known carriers get their public tracking page; for any other carrier the operator gives the URL.
"""

from __future__ import annotations

import re
from urllib.parse import quote

TRACKING_PAGES: dict[str, str] = {
    "ups": "https://www.ups.com/track?tracknum={n}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={n}",
    "dhl": "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={n}",
    "royal_mail": "https://www.royalmail.com/track-your-item#/tracking-results/{n}",
    "dpd": "https://tracking.dpd.de/status/en_US/parcel/{n}",
    "canada_post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={n}",
    "australia_post": "https://auspost.com.au/mypost/track/details/{n}",
}


def carrier_key(carrier: str) -> str:
    """ "Royal Mail", "royal-mail" and "ROYAL_MAIL" all name royal_mail."""
    return re.sub(r"[\s\-]+", "_", carrier.strip().lower())


def tracking_url(carrier: str | None, tracking_number: str | None, given: str | None = None) -> str | None:
    """The URL the operator gave, else the carrier's tracking page for the number, else none."""
    if given:
        return given
    if not carrier or not tracking_number:
        return None
    page = TRACKING_PAGES.get(carrier_key(carrier))
    return page.format(n=quote(tracking_number.strip(), safe="")) if page else None
