"""Every HTTP function imports nozzly.boot before FastAPI, so FastAPI's OpenAPI models are built when a document
is asked for rather than in every cold start, Nozzly's own models are built on first use, and FastAPI's pydantic.v1
check imports nothing. The document is the same as without the boot, and a pydantic.v1 model is still refused once
pydantic.v1 is loaded."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from localcloud.template import LOCAL_PARAMETERS, functions, http_routes, load_sam, transformed
from localcloud.workers import LAYER_DIR

HTTP_FUNCTIONS = sorted({route.function for route in http_routes(load_sam())})
CODE_DIRS = {name: spec.code_dir for name, spec in functions(transformed(parameters=LOCAL_PARAMETERS)).items()}


def imported_modules(source: str) -> list[str]:
    """The module each top-level import statement names, in order (`from x import y` is x)."""
    found: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def run_child(source: str, tmp_path: Path, *args: Path | str, env: dict[str, str] | None = None) -> Any:
    """What a fresh interpreter running `source` with `args` (paths first on sys.path, then words) wrote as JSON."""
    run = subprocess.run(
        [sys.executable, "-c", source, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("function", HTTP_FUNCTIONS)
def test_the_function_imports_the_boot_before_anything_that_brings_fastapi(function: str) -> None:
    modules = imported_modules((CODE_DIRS[function] / "app.py").read_text())
    assert "nozzly.boot" in modules, f"{function}'s app.py does not import nozzly.boot"
    before = modules[: modules.index("nozzly.boot")]
    assert all(m == "__future__" or m.split(".")[0] in sys.stdlib_module_names for m in before), before


CHILD = """
import json, sys, types
sys.path[:0] = [sys.argv[1], sys.argv[2]]
if sys.argv[3] == "plain":
    sys.modules["nozzly.boot"] = types.ModuleType("nozzly.boot")  # app.py's import of the boot then does nothing
    sys.modules["nozzly.boot"].end_of_init = lambda: None
import app
import fastapi.openapi.models as openapi_models
models = [openapi_models.Info, openapi_models.Schema, openapi_models.Operation, openapi_models.Encoding]
from pydantic import BaseModel
def subclasses(cls):
    return [cls, *(model for sub in cls.__subclasses__() for model in subclasses(sub))]
own_models = [model for model in subclasses(BaseModel) if model.__module__.split(".")[0] in ("app", "nozzly")]
built = sorted(model.__name__ for model in models + own_models if model.__pydantic_complete__)
json.dump({"built_at_import": built, "own_models": len(own_models), "document": app.app.openapi(),
           "v1_imported": "pydantic.v1" in sys.modules}, sys.stdout)
"""


@pytest.mark.parametrize("function", ["Health", "Carts"])
def test_a_booted_function_defers_its_models_and_writes_the_same_document(function: str, tmp_path: Path) -> None:
    """No model is built by the import, neither FastAPI's OpenAPI models (which their module rebuilds at its end)
    nor the function's own; the document built from the deferred models is the one FastAPI writes without the boot."""
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"}
    booted = run_child(CHILD, tmp_path, CODE_DIRS[function], LAYER_DIR, "boot", env=env)
    plain = run_child(CHILD, tmp_path, CODE_DIRS[function], LAYER_DIR, "plain", env=env)
    assert booted["built_at_import"] == [], f"built by the import: {booted['built_at_import']}"
    assert plain["built_at_import"], "without the boot the models are built at import: the check above can fail"
    assert booted["own_models"] > 0
    assert booted["document"] == plain["document"]
    assert len(booted["document"]["paths"]) >= 3
    assert not booted["v1_imported"], "FastAPI's pydantic.v1 check imported pydantic.v1"


V1_CHILD = """
import json, sys
sys.path[:0] = [sys.argv[1]]
import nozzly.boot
from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from pydantic import v1

class Old(v1.BaseModel):
    name: str

app = FastAPI()
try:
    @app.post("/old")
    def old(body: Old) -> None: ...
    refused = False
except Exception:
    refused = True
try:
    jsonable_encoder(Old(name="x"))
    encoded = True
except Exception:
    encoded = False
json.dump({"route_refused": refused, "encoded": encoded}, sys.stdout)
"""


def test_once_pydantic_v1_is_imported_fastapi_still_refuses_its_models(tmp_path: Path) -> None:
    """The boot's v1 check answers as FastAPI's own: a v1 model is refused, on a route and by the encoder."""
    assert run_child(V1_CHILD, tmp_path, LAYER_DIR) == {"route_refused": True, "encoded": False}


LAZY_CHILD = """
import json, sys
sys.path[:0] = [sys.argv[1]]
import nozzly.boot
from fastapi import FastAPI, Query
import warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
from pydantic import BaseModel

class LineIn(BaseModel):
    product: str
    quantity: int

app = FastAPI()

@app.get("/products")
def products(limit: int = Query(default=20, ge=1, le=100)) -> dict[str, int]:
    return {"limit": limit}

@app.post("/lines")
def add(line: LineIn) -> LineIn:
    return line

def built() -> list[str]:
    fields = []
    for route in app.routes:
        dependant = getattr(route, "dependant", None)
        if dependant is not None:
            fields += dependant.query_params + dependant.body_params
            if route.response_field is not None:
                fields.append(route.response_field)
    return sorted(f.name for f in fields if {"_type_adapter", "_built_type_adapter"} & set(f.__dict__))

at_import = built()
client = TestClient(app)
answers = [client.get("/products?limit=0").status_code, client.get("/products?limit=5").json()]
after_one_route = built()
bad_line = client.post("/lines", json={"product": "x"}).status_code
document = app.openapi()
json.dump({"at_import": at_import, "answers": answers, "after_one_route": after_one_route, "bad_line": bad_line,
           "limit_schema": document["paths"]["/products"]["get"]["parameters"][0]["schema"], "after_all": built()},
          sys.stdout)
"""


def test_route_adapters_are_built_on_first_use_and_still_validate(tmp_path: Path) -> None:
    """FastAPI's per-parameter TypeAdapters wait for their route (or the document); validation is unchanged."""
    found = run_child(LAZY_CHILD, tmp_path, LAYER_DIR)
    assert found["at_import"] == [], "adapters were built while the routes were declared"
    assert found["answers"] == [422, {"limit": 5}], "the lazily built adapter validated differently"
    assert found["after_one_route"] == ["Response_products_products_get", "limit"], "other routes' were built"
    assert found["bad_line"] == 422
    assert found["limit_schema"] == {"type": "integer", "maximum": 100, "minimum": 1, "default": 20, "title": "Limit"}
    assert found["after_all"] == ["Response_add_lines_post", "Response_products_products_get", "limit", "line"]


LEAN_CHILD = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app
heavy = ("email_validator", "slugify")
at_init = sorted(m for m in heavy if m in sys.modules)
from nozzly.accounts.domain.accounts import checked_email
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.slugs import slugify
try:
    checked_email("ada@🔥.com")
    refused = False
except InvalidInput:
    refused = True
json.dump({"at_init": at_init, "accepted": checked_email(" Ada@Example.TEST "), "refused": refused,
           "slug": slugify("Straße 東京"), "after_use": sorted(m for m in heavy if m in sys.modules)}, sys.stdout)
"""


@pytest.mark.parametrize("function", ["ShopAccountPages", "Carts"])
def test_email_rules_and_transliteration_load_when_first_used_and_judge_as_before(
    function: str, tmp_path: Path
) -> None:
    """email-validator and python-slugify are about 35 ms of regular expressions that most cold starts never use:
    neither FastAPI nor an import of the accounts or slug rules loads them; the first address judged or slug made
    does, with the same answers."""
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"}
    found = run_child(LEAN_CHILD, tmp_path, CODE_DIRS[function], LAYER_DIR, env=env)
    assert found["at_init"] == [], f"{found['at_init']} loaded by the cold start"
    assert found["accepted"] == "ada@example.test"
    assert found["refused"], "an address with an emoji domain was accepted"
    assert found["slug"] == "strasse-dong-jing"
    assert found["after_use"] == ["email_validator", "slugify"]


GC_CHILD = """
import gc, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import nozzly.boot
paused = not gc.isenabled()
import app
found = {"paused_by_boot": paused, "collecting_after_init": gc.isenabled(), "frozen": gc.get_freeze_count()}
gc.disable()
import nozzly.api
nozzly.boot.end_of_init()  # a second handler built in the same process changes nothing
found["second_end_collecting"] = gc.isenabled()
json.dump(found, sys.stdout)
"""


def test_the_garbage_collector_is_paused_for_the_init_and_what_it_made_is_frozen(tmp_path: Path) -> None:
    """A cold start no longer collects while it builds objects that live as long as the instance: collection is
    off from the boot until the handler is built, then on again, with the init's objects frozen (never walked)."""
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"}
    found = run_child(
        GC_CHILD, tmp_path, CODE_DIRS["Carts"], LAYER_DIR, env=env | {"AWS_LAMBDA_FUNCTION_NAME": "carts"}
    )
    assert found["paused_by_boot"], "the garbage collector ran during the init"
    assert found["collecting_after_init"], "the garbage collector stayed off after the handler was built"
    assert found["frozen"] > 50_000, "the init's objects were left for every collection to walk"
    assert found["second_end_collecting"] is False, "a second handler in one process ended the pause again"
    outside = run_child(GC_CHILD, tmp_path, CODE_DIRS["Carts"], LAYER_DIR, env=env)
    assert not outside["paused_by_boot"], "a process that is not a function's instance (a test, a tool) paused"
