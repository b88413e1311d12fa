"""The merged OpenAPI document without a running cloud: each HTTP function's app imported in this process.

The gateway serves the same document at /openapi.json (each function's `app.openapi()` from its sandbox, merged by
`docs.merge`). This one is for linters and tests: `python -m localcloud.openapi_export [FILE]` (stdout by default).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from localcloud import docs
from localcloud.template import ROOT, http_routes, load_sam

LAYER = ROOT / "layers" / "common"


def load_app_module(folder: Path) -> ModuleType:
    """functions/<folder>/app.py as module `functions.<folder>.app` (every function's module is `app` on Lambda)."""
    name = f"functions.{folder.name}.app"
    loaded = sys.modules.get(name)
    if loaded is not None and Path(loaded.__file__ or "").resolve() == (folder / "app.py").resolve():
        return loaded
    spec = importlib.util.spec_from_file_location(name, folder / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def function_documents(sam: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Each HTTP function's own OpenAPI document, by logical id."""
    if str(LAYER) not in sys.path:
        sys.path.insert(0, str(LAYER))
    documents: dict[str, dict[str, Any] | None] = {}
    for function in sorted({r.function for r in http_routes(sam) if not docs.is_page(r)}):
        code_uri = sam["Resources"][function]["Properties"]["CodeUri"]
        app = getattr(load_app_module(ROOT / str(code_uri)), "app", None)
        documents[function] = None if app is None else app.openapi()
    return documents


def merged_document() -> dict[str, Any]:
    sam = load_sam()
    return docs.merge(http_routes(sam), function_documents(sam))


def main(argv: list[str]) -> None:
    text = json.dumps(merged_document(), indent=2) + "\n"
    if argv:
        Path(argv[0]).parent.mkdir(parents=True, exist_ok=True)
        Path(argv[0]).write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
