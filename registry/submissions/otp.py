"""The sole proprietor's one-time PIN: TCR verifies a sole proprietor brand by texting the owner's mobile phone
a PIN that must come back within 24 hours (provider-apis.md §1, TCR 552/557; Twilio texts and the owner
replies instead). Both calls leave the process, so they go through the outbox like every provider call: the
officer's request writes an ``otp_send`` or ``otp_verify`` row; the worker makes the call
(``sender.py``) and marks the brand due for a re-read, which moves it once the provider says verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.brands.models import Brand
from registry.errors import UserValueError
from registry.provider_accounts.models import ProviderAccount, ProviderName
from registry.states import RegistrationStatus

from .models import Submission, SubmissionStep
from .operations import add_submission, linked_account, linked_ref, open_submission

OTP_STEPS = frozenset({SubmissionStep.OTP_SEND, SubmissionStep.OTP_VERIFY})
#: TCR's PIN is numeric; providers send 4 to 10 digits
PIN = re.compile(r"\d{4,10}")
#: a sole proprietor brand registered but not yet verified (the provider waits for the owner's PIN)
WAITING = frozenset({RegistrationStatus.ACTION_REQUIRED, RegistrationStatus.PENDING})


def otp_account(session: Session, brand: Brand) -> ProviderAccount | None:
    """The account a sole proprietor brand awaits its PIN at (the one it is registered with), if any."""
    if brand.entity_type != "SOLE_PROPRIETOR" or brand.status not in WAITING:
        return None
    account_id = linked_account(session, "brand", brand.id)
    return session.get(ProviderAccount, account_id) if account_id is not None else None


@dataclass(frozen=True)
class OtpPanel:
    """What the brand page shows of the PIN: the account that awaits it and the latest requests."""

    account: ProviderAccount
    by_reply: bool
    recent: list[Submission]


def otp_panel(session: Session, brand: Brand) -> OtpPanel | None:
    """The brand page's verification panel, or None when no PIN is awaited."""
    account = otp_account(session, brand)
    if account is None:
        return None
    recent = list(session.scalars(
        sa.select(Submission).where(Submission.brand_id == brand.id, Submission.step.in_(OTP_STEPS))
        .order_by(Submission.id.desc()).limit(5)))
    return OtpPanel(account, pin_by_reply(account), recent)


def pin_by_reply(account: ProviderAccount) -> bool:
    """Twilio: the owner confirms by replying to Twilio's text; there is no PIN to type in."""
    return account.provider is ProviderName.TWILIO


def request_otp(session: Session, brand: Brand, *, actor: Actor) -> Submission:
    """Queue the text of a (new) PIN to the owner's mobile phone."""
    account = _account(session, brand)
    queued = open_submission(session, SubmissionStep.OTP_SEND, brand_id=brand.id)
    if queued is not None:
        return queued
    sub = add_submission(session, None, SubmissionStep.OTP_SEND, brand.organization_id, account=account,
                         brand_id=brand.id)
    audit_otp(session, brand.organization_id, brand.id, actor, "requested",
              f"{brand.reference}: one-time PIN requested for the owner's mobile {brand.mobile_phone or ''}".rstrip())
    return sub


def submit_otp(session: Session, brand: Brand, pin: str, *, actor: Actor) -> Submission:
    """Queue the PIN the owner received (with Twilio: a check whether the owner replied)."""
    account = _account(session, brand)
    pin = (pin or "").strip()
    if pin_by_reply(account):
        pin = ""
    elif not PIN.fullmatch(pin):
        raise UserValueError("Enter the code from the text: 4 to 10 digits.", field="otp_pin")
    if open_submission(session, SubmissionStep.OTP_VERIFY, brand_id=brand.id) is not None:
        raise UserValueError("A code is being checked already; wait for its answer.", field="otp_pin")
    sub = add_submission(session, None, SubmissionStep.OTP_VERIFY, brand.organization_id, account=account,
                         brand_id=brand.id)
    sub.otp_pin = pin or None
    what = "confirmation check" if pin_by_reply(account) else "PIN submitted"
    audit_otp(session, brand.organization_id, brand.id, actor, what, f"{brand.reference}: one-time {what}")
    return sub


def audit_otp(session: Session, organization_id: int, brand_id: int | None, actor: Actor, outcome: str,
              summary: str) -> None:
    """The audit event of one step of the PIN (requested, sent, submitted, refused, verified...); never the
    PIN itself."""
    record(session, organization_id=organization_id, actor=actor, action="otp", entity_type="brand",
           entity_id=brand_id, summary=summary[:500], changes={"otp": [None, outcome]})


def _account(session: Session, brand: Brand) -> ProviderAccount:
    account = otp_account(session, brand)
    if account is None or linked_ref(session, "brand", brand.id, account.id) is None:
        raise UserValueError(f"{brand.display_name} is not a sole proprietor brand waiting for its owner's "
                             "mobile verification at a provider.")
    if not account.is_active:
        raise UserValueError(f"The provider account {account.label} is deactivated: activate it first.")
    return account
