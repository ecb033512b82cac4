"""URL converters: ``<id:...>`` accepts only ids a database integer column can hold (others are 404s)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, map, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
