"""Imported first by every HTTP function's app.py, before FastAPI (isort's `boot` section in pyproject.toml).

Three costs of every HTTP function's cold start that buy nothing on Lambda:
- FastAPI builds about 40 pydantic models for its OpenAPI document while it is imported, a quarter of the cold
  start. A function needs them only when its /openapi.json is asked for, so they are built then (pydantic's
  defer_build). Only the models defined during this import are deferred: Nozzly's own request and response models,
  defined later, are built at import as before, so a bad model still fails the cold start, not a request.
- For every route, FastAPI asks whether a type is a pydantic.v1 model, importing pydantic.v1 (40 ms) to find out.
  No class or instance can be a v1 model before pydantic.v1 is imported, so the question imports nothing: the answer
  is the same. (The Square SDK imports pydantic.v1 itself where it is used; the check then sees it.)
- For every parameter, body and response of every route, FastAPI builds a pydantic TypeAdapter at import: Carts'
  23 routes hold 164 of them, about 100 ms. An invocation runs one route, so each adapter is built, by FastAPI's
  own code, the first time it is used: by a request to its route or by the OpenAPI document. Every function's
  document is built in the tests, so a parameter type pydantic cannot handle still fails there.
- FastAPI imports email-validator (about 25 ms of regular expressions) only to type the OpenAPI document's contact
  email, which no Nozzly function sets. It is hidden while FastAPI is imported, so FastAPI keeps its own plain
  string type for that field; the code that judges an address imports it when it first does.
"""

import sys
from typing import Any

from pydantic import BaseModel

_defaults = BaseModel.model_config
BaseModel.model_config = {**_defaults, "defer_build": True}  # inherited by each model the imports below define
_validator = sys.modules.get("email_validator")
sys.modules["email_validator"] = None  # type: ignore[assignment]  # None in sys.modules: its import raises ImportError
try:
    import fastapi.encoders
    import fastapi.openapi.models
    from fastapi._compat import shared, v2
finally:
    BaseModel.model_config = _defaults
    if _validator is None:
        del sys.modules["email_validator"]
    else:
        sys.modules["email_validator"] = _validator


def is_pydantic_v1_model_class(cls: Any) -> bool:
    v1 = sys.modules.get("pydantic.v1")
    return v1 is not None and shared.lenient_issubclass(cls, v1.BaseModel)


def is_pydantic_v1_model_instance(obj: Any) -> bool:
    v1 = sys.modules.get("pydantic.v1")
    return v1 is not None and isinstance(obj, v1.BaseModel)


# FastAPI looks both up as module globals when it asks (tests/unit/test_http_function_boot.py checks they are used).
shared.is_pydantic_v1_model_class = is_pydantic_v1_model_class
fastapi.encoders.is_pydantic_v1_model_instance = is_pydantic_v1_model_instance  # type: ignore[attr-defined]


_build_type_adapter = v2.ModelField.__post_init__


def _type_adapter(field: v2.ModelField) -> Any:
    try:
        return field.__dict__["_built_type_adapter"]
    except KeyError:
        _build_type_adapter(field)  # FastAPI's own build, which assigns through the setter below
        return field.__dict__["_built_type_adapter"]


def _keep_type_adapter(field: v2.ModelField, adapter: Any) -> None:
    field.__dict__["_built_type_adapter"] = adapter


def _build_nothing_yet(field: v2.ModelField) -> None:
    """ModelField's __post_init__ only builds the adapter, which the property builds on first use instead."""


v2.ModelField._type_adapter = property(_type_adapter, _keep_type_adapter)  # type: ignore[assignment]
v2.ModelField.__post_init__ = _build_nothing_yet  # type: ignore[method-assign,assignment]
