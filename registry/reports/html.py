"""The Jinja environment of report templates: autoescaped, strict about undefined names, app-independent (the
same templates render in the CLI, a web request and a Huey worker)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from registry.config import PROJECT_ROOT

from .model import ensure_plain


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROJECT_ROOT / "templates")),
        autoescape=True,  # every value: brand names and message flows are user-entered text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["percent"] = lambda x, digits=2: "—" if x is None else f"{x * 100:.{digits}f} %"
    env.filters["short_hash"] = lambda h: f"{h[:12]}…{h[-6:]}" if h and len(h) > 24 else (h or "")
    env.filters["bytes"] = _human_bytes
    env.filters["css_string"] = css_string
    return env


def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string that cannot end early or smuggle anything: every character that is not
    a letter, a digit or a space becomes a hex escape (the running header is set from user-entered names)."""
    out = []
    for ch in str(value):
        out.append(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):06x} ")
    return Markup('"' + "".join(out) + '"')  # noqa: S704 (only letters, digits, spaces and escapes)


def _human_bytes(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def render_html(template: str, **context: Any) -> str:
    """Render a report template with plain-data ``context`` (checked: no ORM objects)."""
    for key, value in context.items():
        ensure_plain(value, key)
    return environment().get_template(template).render(**context)
