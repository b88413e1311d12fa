"""Imported first by every HTTP function's app.py, before FastAPI (isort's `boot` section in pyproject.toml).

Costs of every HTTP function's cold start that buy nothing on Lambda:
- The garbage collector walks every tracked object again and again while a cold start creates some 85,000 that live
  as long as the instance (classes, functions, models, routes): about 25 ms of collections that found some 800
  unreachable objects. Collection is paused from here to the end of the init (`end_of_init`, called when the
  handler is built), which freezes what the init made (`gc.freeze`: never walked again) and turns collection back on.
  Only a function's instance pauses, and only once.
- Every pydantic model is built (its validator and serialiser compiled) when its class is defined, so a function
  paid at import for all the models its modules define, FastAPI's and Nozzly's: Carts about 60, of which one
  request uses two or three. Here every model defined after this import defers its build to its first use
  (pydantic's defer_build), so an invocation builds only the models it uses. A model pydantic cannot build would
  then fail at its first use, not at import: tests/unit/test_every_model_builds.py builds every Nozzly model.
- FastAPI's OpenAPI models (about 40, a quarter of the cold start) end their module by rebuilding three of them
  (Schema, Operation, Encoding), which builds them and most of the others despite defer_build. Those three
  rebuilds are left to the models' first use: a function needs them only when its /openapi.json is asked for.
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

import gc
import os
import sys
from typing import Any

# Only in a function's instance (Lambda and the local cloud set the name), where importing the handler is the init:
# a test or a tool that imports nozzly.api builds no handler, and its collector would stay off.
_pausing = [gc.isenabled() and "AWS_LAMBDA_FUNCTION_NAME" in os.environ]  # emptied when the pause ends
if _pausing[0]:
    gc.disable()


def end_of_init() -> None:
    """What the init made lives as long as the instance: frozen, and collection on again (once per process)."""
    if _pausing and _pausing.pop():
        gc.freeze()
        gc.enable()


from pydantic import BaseModel  # noqa: E402  # after the pause: pydantic's own import is a quarter of the objects

BaseModel.model_config = {**BaseModel.model_config, "defer_build": True}  # inherited by every model defined later
_model_rebuild = BaseModel.__dict__["model_rebuild"]
MODELS_MODULE = "fastapi.openapi.models"


def _rebuild_unless_fastapi_asks(cls: type[BaseModel], /, **options: Any) -> bool | None:
    """The rebuilds written at the end of FastAPI's models module wait for the model's first use; any other goes on."""
    if sys._getframe(1).f_globals.get("__name__") == MODELS_MODULE and not cls.__pydantic_complete__:
        return None
    return _model_rebuild.__func__(cls, **options)  # type: ignore[no-any-return]


BaseModel.model_rebuild = classmethod(_rebuild_unless_fastapi_asks)  # type: ignore[assignment,method-assign]
_validator = sys.modules.get("email_validator")
sys.modules["email_validator"] = None  # type: ignore[assignment]  # None in sys.modules: its import raises ImportError
try:
    import fastapi.encoders
    import fastapi.openapi.models
    from fastapi._compat import shared, v2
finally:
    BaseModel.model_rebuild = _model_rebuild  # type: ignore[method-assign]
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
