"""The consent trail's hash chain: one per organization, built on ``registry.audit.chain``.

Each consent event is hashed in two steps, both SHA-256 over ``registry.audit.chain.canonical`` JSON (sorted
keys, no whitespace, UTF-8, times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``):

- the *content digest* covers what the subscriber did and the evidence of it (:data:`CONTENT_FIELDS`, with the
  disclosure's SHA-256 standing for its text); for imported rows it doubles as the idempotency key;
- the *link hash* (the stored ``hash``) covers the content digest, the chain position (``seq``, ``prev_hash``)
  and who recorded it when (:data:`LINK_FIELDS`).

The serializers below write those canonical bytes directly (a bulk import hashes 100,000 events a second; a
generic ``json.dumps(sort_keys=True)`` of a dict is several times slower); ``tests/consent/test_chain.py``
proves they equal ``canonical()`` of the same dicts. Appends take a PostgreSQL advisory lock of their own class
per organization (``registry.audit.chain.acquire``), so the consent trail never waits on the audit trail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from enum import Enum
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the ensure_ascii=False encoder
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit.chain import GENESIS, ChainProblem, LinkedRow, acquire, walk_chain

from .models import ConsentChainHead, ConsentDisclosure, ConsentEvent

#: second key class of the consent chains' advisory locks (the audit trail uses 0x10D1C)
CONSENT_LOCK_CLASS = 0x10D1D

CONTENT_FIELDS = ("campaign_id", "disclosure_sha256", "evidence_name", "evidence_sha256", "ip", "kind",
                  "message_text", "method", "occurred_at", "organization_id", "phone", "reply_text", "source",
                  "user_agent")
LINK_FIELDS = ("content", "dedupe_key", "import_id", "inbound_id", "prev_hash", "recorded_at", "recorded_by",
               "recorded_by_id", "seq")

__all__ = ["CONSENT_LOCK_CLASS", "GENESIS", "content_digest", "content_digester", "hold", "link_hash", "link_hasher",
           "time_text", "verify_consent"]


def hold(session: Session, organization_id: int) -> bool:
    """Hold the organization's consent chain for the rest of the transaction (see ``audit.chain.acquire``)."""
    return acquire(session, organization_id, CONSENT_LOCK_CLASS)


def time_text(value: datetime) -> str:
    """``registry.audit.chain.format_time`` for an aware datetime, without strftime's cost."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")[:-6] + "Z"  # "…+00:00" → "…Z"


def content_digest(organization_id: int, campaign_id: int, phone: str, kind: str, occurred_at: str, method: str,
                   source: str | None, disclosure_sha256: str | None, ip: str | None, user_agent: str | None,
                   evidence_sha256: str | None, evidence_name: str | None, message_text: str | None,
                   reply_text: str | None, _e: Any = encode_basestring, _sha: Any = hashlib.sha256) -> str:
    """SHA-256 of ``canonical(dict(zip(CONTENT_FIELDS, ...)))``; ``occurred_at`` as :func:`time_text`."""
    data = (f'{{"campaign_id":{int(campaign_id)},'
            f'"disclosure_sha256":{"null" if disclosure_sha256 is None else _e(disclosure_sha256)},'
            f'"evidence_name":{"null" if evidence_name is None else _e(evidence_name)},'
            f'"evidence_sha256":{"null" if evidence_sha256 is None else _e(evidence_sha256)},'
            f'"ip":{"null" if ip is None else _e(ip)},"kind":{_e(kind)},'
            f'"message_text":{"null" if message_text is None else _e(message_text)},"method":{_e(method)},'
            f'"occurred_at":{_e(occurred_at)},"organization_id":{int(organization_id)},"phone":{_e(phone)},'
            f'"reply_text":{"null" if reply_text is None else _e(reply_text)},'
            f'"source":{"null" if source is None else _e(source)},'
            f'"user_agent":{"null" if user_agent is None else _e(user_agent)}}}')
    return _sha(data.encode()).hexdigest()


def link_hash(content: str, dedupe_key: str, import_id: int | None, inbound_id: int | None, prev_hash: str,
              recorded_at: str, recorded_by: str, recorded_by_id: int | None, seq: int, _e: Any = encode_basestring,
              _sha: Any = hashlib.sha256) -> str:
    """SHA-256 of ``canonical(dict(zip(LINK_FIELDS, ...)))``: the stored ``hash`` of a consent event."""
    data = (f'{{"content":{_e(content)},"dedupe_key":{_e(dedupe_key)},'
            f'"import_id":{"null" if import_id is None else int(import_id)},'
            f'"inbound_id":{"null" if inbound_id is None else int(inbound_id)},"prev_hash":{_e(prev_hash)},'
            f'"recorded_at":{_e(recorded_at)},"recorded_by":{_e(recorded_by)},'
            f'"recorded_by_id":{"null" if recorded_by_id is None else int(recorded_by_id)},"seq":{int(seq)}}}')
    return _sha(data.encode()).hexdigest()


def content_digester(organization_id: int, _e: Any = encode_basestring, _sha: Any = hashlib.sha256
                      ) -> Callable[[int, str, str, str, str, str | None, str | None, str | None, str | None], str]:
    """:func:`content_digest` of events without evidence or message text (an imported row), the organization
    bound once: ``digest(campaign_id, phone, kind, occurred_at, method, source, disclosure_sha256, ip,
    user_agent)``, the same bytes hashed. ``occurred_at`` is :func:`time_text`'s text."""
    organization = f'"organization_id":{int(organization_id)},"phone":'

    def digest(campaign_id: int, phone: str, kind: str, occurred_at: str, method: str, source: str | None,
               disclosure_sha256: str | None, ip: str | None, user_agent: str | None) -> str:
        return _sha(f'{{"campaign_id":{int(campaign_id)},'
                    f'"disclosure_sha256":{"null" if disclosure_sha256 is None else _e(disclosure_sha256)},'
                    f'"evidence_name":null,"evidence_sha256":null,"ip":{"null" if ip is None else _e(ip)},'
                    f'"kind":{_e(kind)},"message_text":null,"method":{_e(method)},"occurred_at":{_e(occurred_at)},'
                    f'{organization}{_e(phone)},"reply_text":null,"source":{"null" if source is None else _e(source)},'
                    f'"user_agent":{"null" if user_agent is None else _e(user_agent)}}}'.encode()).hexdigest()

    return digest


def link_hasher(import_id: int | None, recorded_at: str, recorded_by: str, recorded_by_id: int | None,
                _e: Any = encode_basestring, _sha: Any = hashlib.sha256) -> Callable[[str, str, int | None, str, int],
                                                                                  str]:
    """:func:`link_hash` with the fields one append shares (who recorded it, when, which import) bound once:
    ``hash_(content, dedupe_key, inbound_id, prev_hash, seq)``, the same bytes hashed."""
    imported = "null" if import_id is None else str(int(import_id))
    recorded = (f'"recorded_at":{_e(recorded_at)},"recorded_by":{_e(recorded_by)},'
                f'"recorded_by_id":{"null" if recorded_by_id is None else int(recorded_by_id)},"seq":')

    def hash_(content: str, dedupe_key: str, inbound_id: int | None, prev_hash: str, seq: int) -> str:
        return _sha(f'{{"content":{_e(content)},"dedupe_key":{_e(dedupe_key)},"import_id":{imported},'
                    f'"inbound_id":{"null" if inbound_id is None else int(inbound_id)},'
                    f'"prev_hash":{_e(prev_hash)},{recorded}{int(seq)}}}'.encode()).hexdigest()

    return hash_


# --- verification ----------------------------------------------------------------------------------------

def verify_consent(session: Session) -> list[ChainProblem]:
    """The first problem of each organization's consent trail (disclosures, then the chain)."""
    org_ids = set(session.scalars(sa.select(ConsentChainHead.organization_id)))
    org_ids |= set(session.scalars(sa.select(ConsentEvent.organization_id).distinct()))
    org_ids |= set(session.scalars(sa.select(ConsentDisclosure.organization_id).distinct()))
    problems = []
    for org_id in sorted(org_ids):
        problem = verify_consent_organization(session, org_id)
        if problem:
            problems.append(problem)
    return problems


def verify_consent_organization(session: Session, organization_id: int) -> ChainProblem | None:
    """Re-check one organization's disclosures and consent chain; the first problem, or ``None``."""
    disclosures: dict[int, str] = {}
    for d in session.execute(sa.select(ConsentDisclosure.id, ConsentDisclosure.version,
                                       ConsentDisclosure.campaign_id, ConsentDisclosure.sha256,
                                       ConsentDisclosure.text)
                             .where(ConsentDisclosure.organization_id == organization_id)
                             .order_by(ConsentDisclosure.id)):
        if hashlib.sha256(d.text.encode()).hexdigest() != d.sha256:
            return ChainProblem(organization_id, None, None,
                                "its text does not match its SHA-256: the disclosure was altered", "consent",
                                where=f"consent disclosure v{d.version} of campaign id {d.campaign_id} (id {d.id})")
        disclosures[d.id] = d.sha256
    head = session.execute(sa.select(ConsentChainHead.seq, ConsentChainHead.hash)
                           .where(ConsentChainHead.organization_id == organization_id)).first()
    rows = _rows(session, organization_id, disclosures)
    try:
        return walk_chain(organization_id, rows, tuple(head) if head else None, chain="consent")
    finally:
        rows.close()


_E = ConsentEvent.__table__.c
_RAW = sa.String()
_COLUMNS = (_E.id, _E.seq, _E.prev_hash, _E.hash, _E.campaign_id, _E.phone, sa.type_coerce(_E.kind, _RAW),
            _E.occurred_at, sa.type_coerce(_E.method, _RAW), _E.source, _E.disclosure_id, _E.ip, _E.user_agent,
            _E.evidence_sha256, _E.evidence_name, _E.message_text, _E.reply_text, _E.dedupe_key, _E.import_id,
            _E.inbound_id, _E.recorded_at, _E.recorded_by, _E.recorded_by_id)


def _rows(session: Session, organization_id: int, disclosures: dict[int, str]) -> Iterator[LinkedRow]:
    """The chain in ``seq`` order with each hash recomputed (streamed: a server-side cursor on PostgreSQL)."""
    stmt = (sa.select(*_COLUMNS).where(_E.organization_id == organization_id).order_by(_E.seq, _E.id)
            .execution_options(yield_per=5000))
    result = session.execute(stmt)
    try:
        for (id_, seq, prev, stored, campaign_id, phone, kind, occurred_at, method, source, disclosure_id, ip,
             user_agent, evidence_sha256, evidence_name, message_text, reply_text, dedupe_key, import_id,
             inbound_id, recorded_at, recorded_by, recorded_by_id) in result:
            sha = disclosures.get(disclosure_id, f"unknown disclosure {disclosure_id}") if disclosure_id else None
            content = content_digest(organization_id, campaign_id, phone, kind, time_text(occurred_at), method,
                                     source, sha, ip, user_agent, evidence_sha256, evidence_name, message_text,
                                     reply_text)
            recomputed = link_hash(content, dedupe_key, import_id, inbound_id, prev, time_text(recorded_at),
                                   recorded_by, recorded_by_id, seq)
            yield LinkedRow(id_, seq, prev, stored, recomputed)
    finally:
        result.close()


def content_dict(values: dict[str, Any]) -> dict[str, Any]:
    """The content fields of ``values`` as the canonical serializer sees them (for tests and documentation)."""
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items() if k in CONTENT_FIELDS}
