"""The console as the CDN serves it: `/console/...` answered with the site's objects.

In AWS the ConsoleDistribution serves these from the ConsoleBucket, where the ConsoleFiles custom resource
(function Console) published them. Locally the same objects (same keys, types, caching and CSP substitution, from
nozzly.console.domain.site_files) are built from the working tree on each request, so an edit shows on
the next reload, as a function's code does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from localcloud import apigw
from localcloud.ports import emulator_url, websocket_port
from localcloud.template import ROOT

# The rules come from the layer the publishing function uses, as Lambda puts it on the path.
if str(ROOT / "layers" / "common") not in sys.path:
    sys.path.append(str(ROOT / "layers" / "common"))
from nozzly.console.domain import site_files

SITE = ROOT / "functions" / "console" / "site"


def answer(method: str, path: str, if_none_match: str | None, site: Path = SITE) -> apigw.HttpResponse | None:
    """None when the path is not the console's; otherwise what the CDN would answer."""
    relative = site_files.relative_of(path)
    if relative is None:
        return None if not path.startswith(f"/{site_files.PREFIX}") else _missing()
    if method not in ("GET", "HEAD"):
        return apigw.HttpResponse(405, [("allow", "GET, HEAD")])
    file = site / relative
    if not file.is_file():
        return _missing()
    urls = site_files.StackUrls(emulator_url(), f"ws://127.0.0.1:{websocket_port()}")
    [found, *_] = site_files.objects_for(relative, file.read_bytes(), urls)
    etag = f'"{hash(found.body) & 0xFFFFFFFFFFFF:x}"'
    headers = [("content-type", found.content_type), ("cache-control", found.cache_control), ("etag", etag)]
    headers += list(site_files.SECURITY_HEADERS)
    if if_none_match == etag:
        return apigw.HttpResponse(304, headers)
    return apigw.HttpResponse(200, headers, b"" if method == "HEAD" else found.body)


def _missing() -> apigw.HttpResponse:
    # S3 behind an origin access control answers a missing key with 403 AccessDenied (no ListBucket).
    return apigw.HttpResponse(403, [("content-type", "application/xml")], b"<Error><Code>AccessDenied</Code></Error>")
