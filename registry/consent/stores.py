"""The database side of appending consent events (``registry.consent.writer``): one store per dialect.

Every step is one statement (or one COPY) per batch, whatever its size, and every lookup goes through an index
on an equality (idempotency key, (campaign, phone)), so a batch costs the same against an empty table as
against one of ten million rows:

- PostgreSQL: events and new subscriptions arrive by binary ``COPY`` (psycopg's C dumpers write the wire
  format; the server parses no text), changed subscriptions by binary ``COPY`` into a temporary staging table
  and one ``UPDATE … FROM``; key lists travel as one text parameter split on the server
  (``string_to_array``), not as a parameter array psycopg would have to dump element by element.
- SQLite: ``executemany`` with prepared tuples in the batch's transaction; lookups are written so that SQLite
  picks the idempotency-key and phone indexes (without statistics it would otherwise walk the organization's
  ``(organization_id, seq)`` index, which grows with every batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from .chain import GENESIS

if TYPE_CHECKING:
    from .writer import Recorder, Written

EVENT_COLUMNS = ("organization_id", "seq", "campaign_id", "phone", "kind", "occurred_at", "recorded_at", "method",
                 "source", "disclosure_id", "ip", "user_agent", "evidence_sha256", "evidence_name", "message_text",
                 "reply_text", "inbound_id", "import_id", "recorded_by_id", "recorded_by", "dedupe_key", "prev_hash",
                 "hash")
SUBSCRIPTION_COLUMNS = ("campaign_id", "phone", "state", "state_at", "state_seq", "state_kind", "state_method",
                        "disclosure_id", "organization_id", "updated_at")
#: (state, state_at, state_seq, state_kind, state_method, disclosure_id) per (campaign_id, phone)
Subscriptions = dict[tuple[int, str], list[Any]]


def store_for(session: Session) -> Store:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return PostgresStore(connection)
    return SQLiteStore(connection)


class Store:
    mark = "?"

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.raw = connection.connection.driver_connection

    # subclasses: known_keys, insert_events, subscriptions (and upsert_subscriptions where it pays)

    def head(self, organization_id: int) -> tuple[int, str]:
        row = self.fetch("SELECT seq, hash FROM consent_chain_head WHERE organization_id = {}", (organization_id,))
        return (row[0][0], row[0][1]) if row else (0, GENESIS)

    def set_head(self, organization_id: int, seq: int, hash_: str) -> None:
        self.execute("INSERT INTO consent_chain_head (organization_id, seq, hash) VALUES ({}, {}, {}) "
                     "ON CONFLICT (organization_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                     (organization_id, seq, hash_))

    def sql(self, template: str) -> str:
        return template.replace("{}", self.mark)

    def fetch(self, template: str, params: Sequence[Any]) -> list[tuple]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self.sql(template), params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def execute(self, template: str, params: Sequence[Any]) -> None:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self.sql(template), params)
        finally:
            cursor.close()

    def executemany(self, template: str, rows: Iterable[Sequence[Any]]) -> None:
        cursor = self.raw.cursor()
        try:
            cursor.executemany(self.sql(template), rows)
        finally:
            cursor.close()

    def time(self, value: datetime) -> Any:
        return value

    def day(self, value: date) -> Any:
        return value

    def add_daily(self, organization_id: int, rows: list[tuple[tuple[int, date], list[int]]]) -> None:
        self.executemany(
            "INSERT INTO consent_daily (campaign_id, day, organization_id, opt_ins, opt_outs, helps, gained, lost) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (campaign_id, day) DO UPDATE SET "
            "opt_ins = consent_daily.opt_ins + excluded.opt_ins, "
            "opt_outs = consent_daily.opt_outs + excluded.opt_outs, "
            "helps = consent_daily.helps + excluded.helps, gained = consent_daily.gained + excluded.gained, "
            "lost = consent_daily.lost + excluded.lost",
            [(cid, self.day(day), organization_id, *counts) for (cid, day), counts in rows])

    def add_disclosure_use(self, organization_id: int, rows: list[tuple[int, list[Any]]]) -> None:
        least, greatest = ("LEAST", "GREATEST") if self.mark == "%s" else ("min", "max")
        self.executemany(
            "INSERT INTO consent_disclosure_use (disclosure_id, organization_id, campaign_id, opt_ins, "  # noqa: S608
            "first_shown_at, last_shown_at) VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (disclosure_id) DO UPDATE SET "
            "opt_ins = consent_disclosure_use.opt_ins + excluded.opt_ins, "
            f"first_shown_at = {least}(consent_disclosure_use.first_shown_at, excluded.first_shown_at), "
            f"last_shown_at = {greatest}(consent_disclosure_use.last_shown_at, excluded.last_shown_at)",
            [(did, organization_id, cid, n, self.time(first), self.time(last)) for did, (cid, n, first, last) in rows])

    def upsert_subscriptions(self, organization_id: int, rows: list[tuple[tuple[int, str], list[Any]]],
                             now: datetime, stored: set[tuple[int, str]]) -> None:
        """Write the new state of ``rows``; ``stored``: the keys that have a row already (read under the lock)."""
        self.executemany(
            "INSERT INTO consent_subscription (campaign_id, phone, organization_id, state, state_at, state_seq, "
            "state_kind, state_method, disclosure_id, updated_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (campaign_id, phone) DO UPDATE SET state = excluded.state, state_at = excluded.state_at, "
            "state_seq = excluded.state_seq, state_kind = excluded.state_kind, state_method = excluded.state_method, "
            "disclosure_id = excluded.disclosure_id, updated_at = excluded.updated_at",
            [(cid, phone, organization_id, s[0], self.time(s[1]), s[2], s[3], s[4], s[5], self.time(now))
             for (cid, phone), s in rows])


class SQLiteStore(Store):
    """``executemany`` through the raw sqlite3 connection, with values in the form SQLAlchemy stores them."""

    mark = "?"
    #: bound parameters per statement (SQLite before 3.32 allows 999)
    CHUNK = 900

    def time(self, value: datetime) -> str:
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.isoformat(sep=" ", timespec="microseconds")[:-6]  # without "+00:00", as SQLAlchemy stores it

    def day(self, value: date) -> str:
        return value.isoformat()

    def known_keys(self, organization_id: int, keys: set[str]) -> set[str]:
        found: set[str] = set()
        items = list(keys)
        for i in range(0, len(items), self.CHUNK):
            chunk = items[i:i + self.CHUNK]
            # ``+organization_id``: not an index term, so SQLite probes the dedupe_key index for each key
            found.update(r[0] for r in self.fetch(
                f"SELECT dedupe_key FROM consent_event WHERE dedupe_key IN ({', '.join('?' * len(chunk))}) "  # noqa: S608
                "AND +organization_id = ?", (*chunk, organization_id)))
        return found

    def insert_events(self, organization_id: int, written: Iterable[Written], recorded_at: datetime,
                      recorder: Recorder) -> None:
        recorded, label, user_id, import_id = self.time(recorded_at), recorder.label[:254], recorder.user_id, \
            recorder.import_id
        rows = ((organization_id, w.seq, e.campaign_id, e.phone, e.kind, _sqlite_time(e.occurred_text), recorded,
                 e.method, e.source, e.disclosure_id, e.ip, e.user_agent, e.evidence_sha256, e.evidence_name,
                 e.message_text, e.reply_text, e.inbound_id, import_id, user_id, label, e.dedupe_key, w.prev_hash,
                 w.hash)
                for w in written for e in (w.event,))
        self.executemany(f"INSERT INTO consent_event ({', '.join(EVENT_COLUMNS)}) VALUES "  # noqa: S608
                         f"({', '.join('?' * len(EVENT_COLUMNS))})", rows)

    def subscriptions(self, keys: set[tuple[int, str]]) -> Subscriptions:
        """By phone through the phone index (a number has a row per campaign at most), then by campaign here."""
        found: Subscriptions = {}
        phones = list({phone for _, phone in keys})
        for i in range(0, len(phones), self.CHUNK):
            chunk = phones[i:i + self.CHUNK]
            for cid, phone, state, state_at, seq, kind, method, disclosure_id in self.fetch(
                    "SELECT campaign_id, phone, state, state_at, state_seq, state_kind, state_method, "  # noqa: S608
                    f"disclosure_id FROM consent_subscription WHERE phone IN ({', '.join('?' * len(chunk))})", chunk):
                if (cid, phone) in keys:
                    found[(cid, phone)] = [state, datetime.fromisoformat(state_at).replace(tzinfo=UTC), seq, kind,
                                           method, disclosure_id]
        return found


class PostgresStore(Store):
    """COPY in, one text parameter per key list, set-based upserts: a handful of round trips per batch."""

    mark = "%s"
    #: below this many rows a plain ``executemany`` beats creating and filling the staging table
    STAGE_FROM = 200

    def known_keys(self, organization_id: int, keys: set[str]) -> set[str]:
        # hex digests contain no comma
        return {r[0] for r in self.fetch(
            "SELECT e.dedupe_key FROM unnest(string_to_array({}, ',')) AS k(key) "
            "JOIN consent_event e ON e.dedupe_key = k.key WHERE e.organization_id = {}",
            (",".join(keys), organization_id))}

    def insert_events(self, organization_id: int, written: Iterable[Written], recorded_at: datetime,
                      recorder: Recorder) -> None:
        tail = (recorder.import_id, recorder.user_id, recorder.label[:254])
        rows = ((organization_id, w.seq, e.campaign_id, e.phone, e.kind, e.occurred_at, recorded_at, e.method,
                 e.source, e.disclosure_id, e.ip, e.user_agent, e.evidence_sha256, e.evidence_name, e.message_text,
                 e.reply_text, e.inbound_id, *tail, e.dedupe_key, w.prev_hash, w.hash)
                for w in written for e in (w.event,))
        self.copy("consent_event", EVENT_COLUMNS, rows)

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Binary ``COPY table (columns)`` of ``rows``, sent as they are produced (psycopg's C dumpers build the
        wire format: no text formatting or escaping in Python, no text parsing on the server)."""
        types = self.types(table, columns)  # before the COPY: no other statement may run during it
        cursor = self.raw.cursor()
        try:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                write = copy.write_row
                for row in rows:
                    write(row)
        finally:
            cursor.close()

    def types(self, table: str, columns: Sequence[str]) -> list[str]:
        """The columns' types as binary COPY needs them (an ``int4`` column takes exactly four bytes), read
        from the catalog once per process."""
        key = (table, tuple(columns))
        found = _COPY_TYPES.get(key)
        if found is None:
            by_name = dict(self.fetch("SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                                      "WHERE attrelid = {}::regclass AND attnum > 0 AND NOT attisdropped", (table,)))
            found = _COPY_TYPES[key] = [_BINARY_TYPES.get(by_name[c], "text") for c in columns]
        return found

    def subscriptions(self, keys: set[tuple[int, str]]) -> Subscriptions:
        return {(cid, phone): [state, state_at, seq, kind, method, disclosure_id]
                for cid, phone, state, state_at, seq, kind, method, disclosure_id in self.fetch(
                    "SELECT s.campaign_id, s.phone, s.state, s.state_at, s.state_seq, s.state_kind, s.state_method, "
                    "s.disclosure_id FROM unnest(string_to_array({}, ',')::int[], string_to_array({}, ',')) "
                    "AS k(campaign_id, phone) "
                    "JOIN consent_subscription s ON s.campaign_id = k.campaign_id AND s.phone = k.phone",
                    (",".join(str(cid) for cid, _ in keys), ",".join(phone for _, phone in keys)))}

    def upsert_subscriptions(self, organization_id: int, rows: list[tuple[tuple[int, str], list[Any]]],
                             now: datetime, stored: set[tuple[int, str]]) -> None:
        """New keys by COPY straight into the table, existing ones by one ``UPDATE … FROM`` a staging table.

        Which keys exist was read in this transaction under the organization's consent chain lock, and only this
        module writes subscriptions, so no other transaction can add one of the new keys meanwhile."""
        if len(rows) < self.STAGE_FROM:
            super().upsert_subscriptions(organization_id, rows, now, stored)
            return
        fresh, changed = [], []
        for key, s in rows:
            if key in stored:
                changed.append((*key, *s))
            else:
                fresh.append((*key, *s, organization_id, now))
        if fresh:
            self.copy("consent_subscription", SUBSCRIPTION_COLUMNS, fresh)
        if changed:
            self.execute("CREATE TEMPORARY TABLE IF NOT EXISTS consent_subscription_stage (campaign_id int, "
                         "phone text, state text, state_at timestamptz, state_seq int, state_kind text, "
                         "state_method text, disclosure_id int) ON COMMIT DELETE ROWS", ())
            self.execute("TRUNCATE consent_subscription_stage", ())
            self.copy("consent_subscription_stage", SUBSCRIPTION_COLUMNS[:8], changed)
            # a few ms; without it the planner may hash-join the whole subscription table against the stage
            self.execute("ANALYZE consent_subscription_stage", ())
            self.execute(
                "UPDATE consent_subscription s SET state = k.state, state_at = k.state_at, state_seq = k.state_seq, "
                "state_kind = k.state_kind, state_method = k.state_method, disclosure_id = k.disclosure_id, "
                "updated_at = {} FROM consent_subscription_stage k "
                "WHERE s.campaign_id = k.campaign_id AND s.phone = k.phone", (now,))


def _sqlite_time(text: str) -> str:
    """``time_text`` (``2026-01-05T19:03:00.000000Z``) as SQLAlchemy stores UTC times in SQLite."""
    return f"{text[:10]} {text[11:-1]}"


#: catalog type → psycopg binary dumper name, for binary COPY
_BINARY_TYPES = {"integer": "int4", "bigint": "int8", "smallint": "int2", "timestamp with time zone": "timestamptz",
                 "date": "date", "boolean": "bool", "character varying": "text", "text": "text"}
_COPY_TYPES: dict[tuple[str, tuple[str, ...]], list[str]] = {}
