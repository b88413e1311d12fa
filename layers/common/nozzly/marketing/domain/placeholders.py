"""Owners' email words with placeholders: `{store_name}` and the like, from a small fixed set per flow.

Pure. Owners never write Jinja (a template language runs code paths they choose); their text is parsed with
the standard library's format grammar only to find the placeholders, and every one must be a bare name from
the flow's set: no attribute or index access (`{store.name}`), no positional fields, no conversions or format
specs. Rendering is plain replacement of the parsed pieces, so nothing in the text is ever evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from nozzly.kernel.domain.errors import InvalidInput

_PARSER = Formatter()


def pieces(text: str, allowed: frozenset[str], field: str) -> list[tuple[str, str | None]]:
    """The text as (literal, placeholder or None) pairs; InvalidInput naming `field` for anything unsafe."""
    try:
        parsed = list(_PARSER.parse(text))
    except ValueError as bad:  # a lone "{" or "}"
        raise InvalidInput(f"{field}: {bad}; write {{{{ or }}}} for a literal brace", field=field) from bad
    out: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            out.append((literal, None))
            continue
        if spec or conversion or name not in allowed:
            known = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise InvalidInput(f"{field}: unknown placeholder {shown}; this flow knows {known}", field=field)
        out.append((literal, name))
    return out


def check(text: str, allowed: frozenset[str], field: str) -> str:
    pieces(text, allowed, field)
    return text


def fill(text: str, allowed: frozenset[str], values: Mapping[str, str]) -> str:
    """The text with each placeholder replaced by its value (a missing value reads as empty)."""
    return "".join(literal + (values.get(name, "") if name else "") for literal, name in pieces(text, allowed, "text"))
