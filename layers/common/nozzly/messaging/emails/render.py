"""Rendering an email from its templates: `{name}.subject.j2`, `{name}.txt.j2` and `{name}.html.j2`.

HTML is autoescaped (store and product names come from store owners and shoppers); undefined variables
fail loudly instead of rendering blanks. Jinja2 is imported on first use: not a cold-start cost.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nozzly.messaging.domain.outgoing_email import OutgoingEmail

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, context: dict[str, Any]) -> OutgoingEmail:
    env = _environment()
    subject = env.get_template(f"{name}.subject.j2").render(context).strip()
    brand = context.get("brand") or {}
    return OutgoingEmail(
        subject=" ".join(subject.split()),  # one line, whatever the template's layout
        text=env.get_template(f"{name}.txt.j2").render(context),
        html=env.get_template(f"{name}.html.j2").render(context),
        sender_name=brand.get("name"),
        reply_to=brand.get("reply_to"),
    )
