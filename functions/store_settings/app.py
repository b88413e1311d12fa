"""Operators' store settings: every section, one section read and changed (versioned), its history, and the
logo's upload link.

One GET/PUT/history route per section, each with its section's typed body, made from the contracts' registry
(stores/contracts/store_settings.CONTRACTS). The store comes from the path and the caller from the verified
token; services.tenancy decides (settings.manage: admins and the owner).
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.contracts import store_settings as c
from nozzly.wiring import media, stores

OPERATORS = Realm()
router = APIRouter(
    prefix="/admin/stores/{store}/settings",
    tags=["settings"],
    responses={s: {"model": ErrorResponse} for s in (401, 403, 404, 409)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
Cursor = Annotated[str | None, Query(max_length=2048)]
Limit = Annotated[int, Query(ge=1, le=100)]


def _me(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


def _url_of(key: str) -> str:
    return media.product_images().url(key)


IfMatch = Annotated[
    str | None, Header(max_length=40, description="Optional: the ETag read; must name the body's `version`.")
]


def _if_match(given: str | None, version: int) -> None:
    """An If-Match (the ETag read) must name the same version as the body, which stays the contract."""
    if given is not None and given.strip().removeprefix("W/").strip('"') != str(version):
        raise InvalidInput(f"If-Match {given!r} names another version than the body's {version}", field="If-Match")


def _etag(response: Response, version: int) -> None:
    # The body's `version` is the contract; the ETag lets HTTP tooling see the same thing.
    response.headers["etag"] = f'"{version}"'
    response.headers["cache-control"] = "no-store"


@router.get("", response_model=c.StoreSettingsOut)
def get_store_settings(store: StoreId, request: Request) -> Any:
    sections = stores.store_settings().all(store, _me(request))
    return c.StoreSettingsOut.model_validate({s.section: c.CONTRACTS[s.section].answer(s, _url_of) for s in sections})


@router.post("/branding/logo", status_code=201, response_model=c.LogoUploadOut)
def start_logo_upload(store: StoreId, body: c.LogoUploadIn, request: Request, response: Response) -> c.LogoUploadOut:
    from nozzly.media.domain.image_checks import MAX_UPLOAD_BYTES

    started = media.logo_uploads().start(store, _me(request), body.content_type)
    response.headers["cache-control"] = "no-store"  # the link is a credential
    return c.LogoUploadOut(
        url=started.url,
        fields=started.fields,
        max_bytes=MAX_UPLOAD_BYTES,
        expires_at=started.expires_at,
        logo=started.logo,
    )


def _section_routes(name: str, contract: c.SectionContract) -> None:
    def read_section(store: StoreId, request: Request, response: Response) -> Any:
        state = stores.store_settings().get(store, _me(request), name)
        _etag(response, state.version)
        return contract.answer(state, _url_of)

    def change_section(
        store: StoreId, body: BaseModel, request: Request, response: Response, if_match: IfMatch = None
    ) -> Any:
        _if_match(if_match, contract.version(body))
        settings = stores.store_settings()
        state = settings.change(store, _me(request), name, contract.version(body), contract.data(body))
        _etag(response, state.version)
        return contract.answer(state, _url_of)

    def section_history(store: StoreId, request: Request, *, cursor: Cursor = None, limit: Limit = 50) -> Any:
        page = stores.store_settings().history(store, _me(request), name, cursor=cursor, limit=limit)
        return c.history_page(name, page.changes, page.next_cursor)

    change_section.__annotations__["body"] = contract.body  # the section's own body type in the OpenAPI document
    router.add_api_route(
        f"/{name}", read_section, methods=["GET"], response_model=contract.out, name=f"get_{name}_settings"
    )
    router.add_api_route(
        f"/{name}", change_section, methods=["PUT"], response_model=contract.out, name=f"change_{name}_settings"
    )
    router.add_api_route(
        f"/{name}/history",
        section_history,
        methods=["GET"],
        response_model=c.HISTORY[name],
        name=f"{name}_settings_history",
    )


for _name, _contract in c.CONTRACTS.items():
    _section_routes(_name, _contract)

app = build_app("Nozzly store settings", [router])
handler = http_handler(app)
