"""Appending consent events: the one write path, for one event (a STOP) or 10,000 (an import batch).

In one transaction, holding the organization's consent chain lock:

1. drop events whose idempotency key is already recorded (or repeated in the batch);
2. read the chain head, hash the events in order in Python and insert them — COPY on PostgreSQL, ``executemany``
   on SQLite — then move the head once;
3. fold the events into the current subscription per (phone, campaign): the newest event by ``occurred_at``
   decides, an opt-out wins a tie, an older (back-dated, imported) event never overrides a newer one;
4. add the day's counts (events, subscriptions gained and lost) and the disclosures' use.

Code here flushes and never commits: the caller's edge commits (a request, ``cli.commit()``, or the import's
per-batch ``commit`` callback).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from .chain import content_digest, hold, link_hasher, time_text
from .models import CONSENTING, EventKind
from .stores import Store, store_for

OPT_OUT = EventKind.OPT_OUT.value
HELP = EventKind.HELP.value
_CONSENTING = frozenset(k.value for k in CONSENTING)
_COUNTED_IN = frozenset({EventKind.OPT_IN.value, EventKind.RE_OPT_IN.value})
OPTED_IN, OPTED_OUT = "opted_in", "opted_out"


class NewEvent:
    """One consent event to append (already validated). ``kind``/``method`` are the enum values as strings;
    ``occurred_at`` is an aware datetime; ``disclosure_sha256`` must be that of ``disclosure_id``."""

    __slots__ = ("campaign_id", "content", "dedupe_key", "disclosure_id", "disclosure_sha256", "evidence_name",
                 "evidence_sha256", "inbound_id", "ip", "kind", "message_text", "method", "occurred_at",
                 "occurred_text", "phone", "reply_text", "source", "user_agent")

    def __init__(self, *, campaign_id: int, phone: str, kind: str, occurred_at: datetime, method: str,
                 source: str | None = None, disclosure_id: int | None = None, disclosure_sha256: str | None = None,
                 ip: str | None = None, user_agent: str | None = None, evidence_sha256: str | None = None,
                 evidence_name: str | None = None, message_text: str | None = None, reply_text: str | None = None,
                 inbound_id: int | None = None, dedupe_key: str | None = None) -> None:
        self.campaign_id = campaign_id
        self.phone = phone
        self.kind = kind
        self.occurred_at = occurred_at if occurred_at.tzinfo is UTC else occurred_at.astimezone(UTC)
        self.occurred_text = time_text(self.occurred_at)
        self.method = method
        self.source = source
        self.disclosure_id = disclosure_id
        self.disclosure_sha256 = disclosure_sha256
        self.ip = ip
        self.user_agent = user_agent
        self.evidence_sha256 = evidence_sha256
        self.evidence_name = evidence_name
        self.message_text = message_text
        self.reply_text = reply_text
        self.inbound_id = inbound_id
        self.content = ""
        self.dedupe_key = dedupe_key

    @classmethod
    def checked(cls, digest: Callable[..., str], campaign_id: int, phone: str, kind: str, occurred_at: datetime,
                method: str, source: str | None, disclosure_id: int | None, disclosure_sha256: str | None,
                ip: str | None, user_agent: str | None) -> NewEvent:
        """An imported row's event (no evidence or message text), digested as it is built: ``digest`` is
        ``chain.content_digester(organization_id)`` of the organization it is appended to."""
        if occurred_at.tzinfo is not UTC:
            occurred_at = occurred_at.astimezone(UTC)
        self = cls.__new__(cls)
        self.campaign_id, self.phone, self.kind, self.occurred_at, self.method = (campaign_id, phone, kind,
                                                                                   occurred_at, method)
        self.source, self.disclosure_id, self.disclosure_sha256, self.ip, self.user_agent = (
            source, disclosure_id, disclosure_sha256, ip, user_agent)
        self.evidence_sha256 = self.evidence_name = self.message_text = self.reply_text = self.inbound_id = None
        self.occurred_text = text = occurred_at.isoformat(timespec="microseconds")[:-6] + "Z"  # time_text()
        self.content = self.dedupe_key = digest(campaign_id, phone, kind, text, method, source, disclosure_sha256,
                                                ip, user_agent)
        return self

    def digest(self, organization_id: int) -> str:
        self.content = content_digest(organization_id, self.campaign_id, self.phone, self.kind, self.occurred_text,
                                      self.method, self.source, self.disclosure_sha256, self.ip, self.user_agent,
                                      self.evidence_sha256, self.evidence_name, self.message_text, self.reply_text)
        if self.dedupe_key is None:
            self.dedupe_key = self.content
        return self.content


@dataclass(slots=True)
class Written:
    seq: int
    prev_hash: str
    hash: str
    event: NewEvent
    #: the subscription's state after this event (``None`` for help requests)
    state: str | None = None


@dataclass
class AppendResult:
    written: list[Written] = field(default_factory=list)
    #: events not written because their idempotency key was already recorded
    duplicates: list[NewEvent] = field(default_factory=list)


@dataclass(frozen=True)
class Recorder:
    """Who records the events of one append (the same for the whole batch)."""

    label: str
    user_id: int | None = None
    import_id: int | None = None


def append_events(session: Session, organization_id: int, events: Sequence[NewEvent], recorder: Recorder, *,
                  recorded_at: datetime | None = None) -> AppendResult:
    """Append ``events`` (in order) to the organization's consent chain and fold them into the derived tables."""
    result = AppendResult()
    if not events:
        return result
    session.flush()  # rows the events refer to (an inbound message, a new disclosure) exist first
    backend = store_for(session)
    hold(session, organization_id)
    for event in events:
        if not event.content:  # NewEvent.checked() digests as it builds
            event.digest(organization_id)
    known = backend.known_keys(organization_id, {e.dedupe_key for e in events})
    fresh = []
    for event in events:
        if event.dedupe_key in known:
            result.duplicates.append(event)
        else:
            known.add(event.dedupe_key)
            fresh.append(event)
    if not fresh:
        return result
    recorded_at = recorded_at or datetime.now(UTC)
    seq, prev = backend.head(organization_id)
    hash_of = link_hasher(recorder.import_id, time_text(recorded_at), recorder.label[:254], recorder.user_id)
    written = result.written
    add = written.append

    def link(seq: int, prev: str) -> Iterator[Written]:
        # consumed by insert_events while it writes, so the server takes in the first rows (COPY) while the
        # later ones are still being hashed
        for event in fresh:
            seq += 1
            hash_ = hash_of(event.content, event.dedupe_key, event.inbound_id, prev, seq)
            w = Written(seq, prev, hash_, event)
            add(w)
            yield w
            prev = hash_

    backend.insert_events(organization_id, link(seq, prev), recorded_at, recorder)
    if len(written) != len(fresh):
        raise RuntimeError("insert_events left events unwritten")
    backend.set_head(organization_id, written[-1].seq, written[-1].hash)
    _fold(backend, organization_id, result.written, recorded_at)
    return result


# --- derived state ----------------------------------------------------------------------------------------

def _fold(backend: Store, organization_id: int, written: list[Written], now: datetime) -> None:
    """Subscriptions, daily counts and disclosure use for the events just written."""
    keys = {(e.campaign_id, e.phone) for w in written for e in (w.event,) if e.kind != HELP}
    states: dict[tuple[int, str], list[Any]] = backend.subscriptions(keys) if keys else {}
    stored = set(states)  # rows that exist (we hold the chain lock: no other writer adds one meanwhile)
    changed: set[tuple[int, str]] = set()
    mark_changed = changed.add
    # per (campaign, UTC day as text: occurred_text[:10] is occurred_at.date() in ISO form)
    daily: dict[tuple[int, str], list[int]] = {}
    used: dict[int, list[Any]] = {}
    for w in written:
        e = w.event
        kind, at, campaign_id = e.kind, e.occurred_at, e.campaign_id
        day = (campaign_id, e.occurred_text[:10])
        counts = daily.get(day)
        if counts is None:
            counts = daily[day] = [0, 0, 0, 0, 0]
        if kind == HELP:
            counts[2] += 1
            continue
        if kind == OPT_OUT:
            counts[1] += 1
            opting_in = False
        else:
            if kind in _COUNTED_IN:
                counts[0] += 1
            opting_in = True
            if e.disclosure_id is not None:
                use = used.get(e.disclosure_id)
                if use is None:
                    used[e.disclosure_id] = [campaign_id, 1, at, at]
                else:
                    use[1] += 1
                    if at < use[2]:
                        use[2] = at
                    if at > use[3]:
                        use[3] = at
        key = (campaign_id, e.phone)
        current = states.get(key)
        # [state, state_at, state_seq, state_kind, state_method, disclosure_id]; the newer event wins, an
        # opt-out wins a tie: (at, is opt-out) >= (state_at, state is opted out)
        if current is None or at > current[1] or (at == current[1] and (not opting_in or current[0] != OPTED_OUT)):
            old_state = current[0] if current is not None else None
            if opting_in:
                if old_state != OPTED_IN:
                    counts[3] += 1
                states[key] = current = [OPTED_IN, at, w.seq, kind, e.method, e.disclosure_id]
            else:
                if old_state == OPTED_IN:
                    counts[4] += 1
                states[key] = current = [OPTED_OUT, at, w.seq, kind, e.method, None]
            mark_changed(key)
        w.state = current[0]
    if changed:
        backend.upsert_subscriptions(organization_id, [(k, states[k]) for k in changed], now, stored)
    backend.add_daily(organization_id, [((cid, date.fromisoformat(day)), counts)
                                        for (cid, day), counts in daily.items()])
    if used:
        backend.add_disclosure_use(organization_id, list(used.items()))
