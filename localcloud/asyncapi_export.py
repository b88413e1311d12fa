"""The WebSocket API's AsyncAPI 3.0 document (nozzly/realtime/contracts/asyncapi.py) as YAML:
`python -m localcloud.asyncapi_export` rewrites asyncapi.yaml at the top of the repository (`-` prints it), which
tests/static/test_asyncapi.py compares with what the code would write now."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from localcloud.template import ROOT

LAYER = ROOT / "layers" / "common"
TARGET = ROOT / "asyncapi.yaml"
HEADER = "# Written by `python -m localcloud.asyncapi_export` from nozzly/realtime/contracts: edit those, not this.\n"


def rendered() -> str:
    if str(LAYER) not in sys.path:
        sys.path.insert(0, str(LAYER))
    from nozzly.realtime.contracts.asyncapi import document

    return HEADER + str(yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=110))


def main(argv: list[str]) -> None:
    text = rendered()
    if argv[1:] == ["-"]:
        sys.stdout.write(text)
        return
    Path(argv[1] if len(argv) > 1 else TARGET).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
