"""Pagination with a bounded number of queries: one count, one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total - 1) // self.per_page + 1, 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, stmt: sa.Select, *, page: int, per_page: int, scalars: bool = True) -> Page:
    """One page of ``stmt`` and the total. The count keeps the statement's FROM and WHERE but none of its
    columns (no correlated subqueries evaluated per row); ``stmt`` must not use GROUP BY."""
    page = max(page, 1)
    count = stmt.with_only_columns(sa.func.count(), maintain_column_froms=True).order_by(None)
    total = session.scalar(count) or 0
    result = session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars()) if scalars else list(result.all())
    return Page(items, total, page, per_page)
