"""Applying an inbound message in the request that delivers it: the opt-out is in the database (and
``can_send`` refuses the number) before the provider gets its answer (CONSENT-OPTOUT-DEADLINE), and the answer
carries the registered reply text (CONSENT-OPTOUT-CONFIRMATION, CONSENT-KEYWORD-RESPONSES).

Routing: the receiving number (``to``) names the campaign it is assigned to; the JSON form may name the campaign
instead. A STOP that cannot be routed opts the number out of every campaign of the organization it is
subscribed to; STOPALL does that in any case.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.campaigns.models import Campaign
from registry.errors import UserValueError
from registry.numbers.models import PhoneNumber

from .keywords import Intent, Match, classify, registered_keywords
from .models import ConsentInbound, ConsentSubscription, EventKind, Method, ReviewStatus, SubscriptionState
from .operations import FUTURE_TOLERANCE, find_campaign
from .phones import to_e164
from .writer import NewEvent, Recorder, append_events

RECORDER = Recorder("system: inbound keyword")
MAX_TEXT = 1600
_KIND = {Intent.OPT_OUT: EventKind.OPT_OUT, Intent.OPT_OUT_ALL: EventKind.OPT_OUT, Intent.HELP: EventKind.HELP,
         Intent.RE_OPT_IN: EventKind.RE_OPT_IN, Intent.OPT_IN: EventKind.OPT_IN}


@dataclass(frozen=True)
class InboundMessage:
    provider: str
    from_number: str
    text: str
    to_number: str | None = None
    message_id: str | None = None
    received_at: datetime | None = None
    #: the JSON form may name the campaign (reference or TCR id) instead of a receiving number
    campaign: str | None = None


@dataclass
class InboundOutcome:
    action: str
    reply: str | None = None
    campaigns: list[str] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    flagged: bool = False
    duplicate: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"action": self.action, "reply": self.reply, "campaigns": self.campaigns, "events": self.seqs,
                "flagged_for_review": self.flagged, "duplicate": self.duplicate}


def handle_inbound(session: Session, organization_id: int, message: InboundMessage) -> InboundOutcome:
    """Classify and apply one inbound message (flushes; the request's edge commits before it answers)."""
    phone = _number(message.from_number, "from")
    to = _number(message.to_number, "to") if message.to_number else None
    text = (message.text or "")[:MAX_TEXT]
    campaign = _route(session, organization_id, to, message.campaign)
    match = classify(text, **_registered(campaign))
    if match.intent is Intent.NONE:
        return InboundOutcome("none")
    message_id = (message.message_id or "").strip()[:100] or f"generated:{uuid.uuid4()}"
    stored = session.scalar(sa.select(ConsentInbound).where(ConsentInbound.organization_id == organization_id,
                                                            ConsentInbound.provider == message.provider,
                                                            ConsentInbound.message_id == message_id))
    if stored is not None:  # a provider retry: it was applied the first time
        return InboundOutcome(stored.action, stored.reply_text, flagged=stored.flagged, duplicate=True)
    now = datetime.now(UTC)
    received = min(message.received_at or now, now + FUTURE_TOLERANCE)
    targets = _targets(session, organization_id, phone, campaign, match.intent)
    reply = _reply(campaign or (targets[0] if targets else None), match.intent)
    inbound = ConsentInbound(organization_id=organization_id, provider=message.provider, message_id=message_id,
                             from_phone=phone, to_phone=to, text=text, received_at=received, processed_at=now,
                             action=match.intent.value, campaign_id=campaign.id if campaign else None,
                             reply_text=reply, flagged=match.plain_language,
                             review_status=ReviewStatus.OPEN if match.plain_language else None)
    session.add(inbound)
    session.flush()
    events = [_event(target, phone, to, match, text, reply if target is (campaign or targets[0]) else None,
                     received, inbound.id, message.provider, message_id) for target in targets]
    result = append_events(session, organization_id, events, RECORDER, recorded_at=now)
    return InboundOutcome(match.intent.value, reply, [t.reference for t in targets],
                          [w.seq for w in result.written], match.plain_language)


def _number(raw: str | None, field: str) -> str:
    try:
        return to_e164(raw or "")
    except UserValueError as exc:
        raise UserValueError(f"{field}: {exc.message}", field=field) from None


def _route(session: Session, organization_id: int, to: str | None, key: str | None) -> Campaign | None:
    if key:
        return find_campaign(session, organization_id, key)
    if to is None:
        return None
    return session.scalar(sa.select(Campaign).join(PhoneNumber, PhoneNumber.campaign_id == Campaign.id)
                          .where(PhoneNumber.organization_id == organization_id, PhoneNumber.e164 == to))


def _registered(campaign: Campaign | None) -> dict[str, frozenset[str]]:
    if campaign is None:
        return {}
    return {"opt_in": registered_keywords(campaign.optin_keywords),
            "opt_out": registered_keywords(campaign.optout_keywords),
            "help_words": registered_keywords(campaign.help_keywords)}


def _targets(session: Session, organization_id: int, phone: str, campaign: Campaign | None,
             intent: Intent) -> list[Campaign]:
    """The campaigns the message acts on."""
    if intent is Intent.OPT_OUT and campaign is not None:
        return [campaign]
    if intent in (Intent.OPT_OUT, Intent.OPT_OUT_ALL):
        subscribed = list(session.scalars(
            sa.select(Campaign).join(ConsentSubscription, ConsentSubscription.campaign_id == Campaign.id)
            .where(ConsentSubscription.organization_id == organization_id, ConsentSubscription.phone == phone,
                   ConsentSubscription.state == SubscriptionState.OPTED_IN)
            .order_by(Campaign.reference)))
        return ([campaign] if campaign else []) + [c for c in subscribed if c is not campaign]
    return [campaign] if campaign is not None else []


def _reply(campaign: Campaign | None, intent: Intent) -> str | None:
    """The registered reply text (the one confirmation the FCC allows after an opt-out)."""
    if campaign is None:
        return None
    if intent in (Intent.OPT_OUT, Intent.OPT_OUT_ALL):
        return campaign.optout_message
    if intent is Intent.HELP:
        return campaign.help_message
    return campaign.optin_message


def _event(campaign: Campaign, phone: str, to: str | None, match: Match, text: str, reply: str | None,
           received: datetime, inbound_id: int, provider: str, message_id: str) -> NewEvent:
    keyword = "plain-language revocation" if match.plain_language else match.normalized.upper()
    key = hashlib.sha256(f"inbound:{provider}:{message_id}:{campaign.id}".encode()).hexdigest()
    return NewEvent(campaign_id=campaign.id, phone=phone, kind=_KIND[match.intent].value, occurred_at=received,
                    method=Method.KEYWORD.value, source=f"{keyword} to {to or 'campaign ' + campaign.reference}"[:500],
                    message_text=text or None, reply_text=reply, inbound_id=inbound_id, dedupe_key=key)
