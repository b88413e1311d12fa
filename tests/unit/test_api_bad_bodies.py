"""A JSON route given a body it cannot read answers 400 in the one error shape, never 422 or 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import APIRouter
from mangum import Mangum
from pydantic import BaseModel

from localcloud.apigw import build_event
from localcloud.routes import Match
from localcloud.template import Route
from nozzly.api import build_app

pytestmark = pytest.mark.unit


class Thing(BaseModel):
    name: str


router = APIRouter()


@router.post("/things")
def create_thing(body: Thing) -> dict[str, str]:
    return {"name": body.name}


HANDLER = Mangum(build_app("things", [router]), lifespan="off")


def post(body: bytes, content_type: str | None = "application/json") -> tuple[int, Any]:
    headers = [("content-type", content_type)] if content_type is not None else []
    event = build_event(
        Match(Route("POST", "/things", "Things"), {}),
        method="POST",
        raw_path="/things",
        raw_query="",
        headers=headers,
        body=body,
        source_ip="127.0.0.1",
        host="127.0.0.1:3000",
        request_id="REQ1",
    )
    result = HANDLER(event, None)  # type: ignore[arg-type]
    return int(result["statusCode"]), json.loads(result["body"])


def assert_invalid_body(status: int, body: Any) -> None:
    assert status == 400
    error = body["error"]
    assert error["code"] == "invalid_body"
    assert "JSON" in error["message"]
    assert error["fields"] == [{"field": "body", "message": error["message"]}]
    assert error["request_id"] == "REQ1"


@pytest.mark.parametrize("body", [b'{"name": "\xff\xfe"}', b"\x80\x81\x82", "{'name': 'é'}".encode("latin-1")])
def test_a_body_that_is_not_utf8_is_invalid_body(body: bytes) -> None:
    assert_invalid_body(*post(body))


@pytest.mark.parametrize("body", [b'{"name":', b"hello", b"", b"[1, 2]", b'"name"', b"null"])
def test_a_body_that_is_not_a_json_object_is_invalid_body(body: bytes) -> None:
    status, answer = post(body)
    if body == b"":  # no body at all: the field is missing, named as any missing field
        assert status == 400
        assert answer["error"]["code"] == "validation_error"
        return
    assert_invalid_body(status, answer)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "image/png", None])
def test_a_json_body_with_another_content_type_is_invalid_body(content_type: str | None) -> None:
    assert_invalid_body(*post(b'{"name": "lamp"}', content_type))


def test_a_valid_body_still_works_and_a_bad_field_is_still_named() -> None:
    assert post(b'{"name": "lamp"}') == (200, {"name": "lamp"})
    status, answer = post(b'{"name": 5}')
    assert status == 400
    assert answer["error"]["code"] == "validation_error"
    assert answer["error"]["fields"][0]["field"] == "name"
