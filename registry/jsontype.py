"""A JSON column type: JSONB on PostgreSQL, JSON text on SQLite."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
