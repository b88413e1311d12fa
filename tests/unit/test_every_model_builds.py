"""HTTP functions defer every pydantic model's build to its first use (nozzly.boot), so a model pydantic cannot
build would fail a shopper's request rather than the cold start. Here every model of the common layer and of the
functions' own code is built, in an interpreter booted as a function is, so such a model fails the tests first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from localcloud.template import ROOT
from localcloud.workers import LAYER_DIR

CHILD = """
import importlib, json, pkgutil, runpy, sys
sys.path[:0] = [sys.argv[1]]
import nozzly.boot
import nozzly
from pydantic import BaseModel

modules = [info.name for info in pkgutil.walk_packages(nozzly.__path__, "nozzly.")]
for name in modules:
    importlib.import_module(name)
for app in sys.argv[2:]:
    runpy.run_path(app, run_name="app_" + app.split("/")[-2])


def subclasses(cls):
    return [cls, *(model for sub in cls.__subclasses__() for model in subclasses(sub))]


own = [model for model in subclasses(BaseModel) if model.__module__.startswith(("nozzly.", "app_"))]
deferred = [model for model in own if not model.__pydantic_complete__]
broken = {}
for model in own:
    try:
        model.model_rebuild(raise_errors=True)
        model.model_json_schema()
    except Exception as error:
        broken[model.__module__ + "." + model.__qualname__] = repr(error)[:300]
json.dump({"modules": len(modules), "models": len(own), "deferred": len(deferred), "broken": broken,
           "unbuilt": [model.__qualname__ for model in own if not model.__pydantic_complete__]}, sys.stdout)
"""


def test_every_model_builds_once_its_first_use_asks() -> None:
    apps = sorted(str(path) for path in (ROOT / "functions").glob("*/app.py") if "BaseModel" in path.read_text())
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(LAYER_DIR), *apps],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(apps[0]).parent,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout)
    assert found["modules"] > 300 and found["models"] > 200, found
    assert found["deferred"] > found["models"] // 2, "the boot no longer defers the models: this test proves little"
    assert found["broken"] == {}
    assert found["unbuilt"] == []
