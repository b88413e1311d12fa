"""Where a store's pages live: under /shop/{store} on the platform's own address, or at the root of its domain.

On AWS, CloudFront (template.yaml, StorefrontDistribution) serves `{store}.{PlatformDomain}`: its viewer-request
function rewrites the path to /shop/{store}/... and names the public host in `x-nozzly-shop-host`, so links
drop the prefix there. Locally a store is found by path: http://127.0.0.1:3000/shop/{store}/.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

SHOP_HOST_HEADER = "x-nozzly-shop-host"


@dataclass(frozen=True, slots=True)
class Site:
    store_id: str
    base: str  # the path prefix of the store's pages ("" on the store's own domain)
    origin: str  # scheme://host[:port] as the shopper's browser sees it
    secure: bool

    def url(self, path: str = "/", **query: object) -> str:
        """A link to one of the store's pages; `path` starts with "/"; None and "" query values are left out."""
        kept = {k: v for k, v in query.items() if v not in (None, "")}
        return (self.base + path) + (("?" + urlencode(kept)) if kept else "")

    def absolute(self, path: str = "/", **query: object) -> str:
        return self.origin + self.url(path, **query)

    @property
    def cookie_path(self) -> str:
        return self.base or "/"


def site_of(request: Request, store_id: str) -> Site:
    host = request.headers.get(SHOP_HOST_HEADER)
    if host:
        return Site(store_id, "", f"https://{host}", True)
    context = (request.scope.get("aws.event") or {}).get("requestContext", {})
    seen = str(context.get("domainName") or request.headers.get("host") or "localhost")
    loopback = seen.split(":", maxsplit=1)[0] in ("127.0.0.1", "localhost")
    scheme = request.headers.get("x-forwarded-proto") or ("http" if loopback else "https")
    if loopback and ":" not in seen and request.headers.get("host"):
        seen = request.headers["host"]  # the local gateway's port
    return Site(store_id, f"/shop/{store_id}", f"{scheme}://{seen}", scheme == "https")
