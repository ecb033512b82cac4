"""Loading the demo data in ``fixtures/demo.json`` (``registry demo load``); running it twice adds nothing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.auth import operations as auth_ops
from registry.auth.models import Membership, Organization, User
from registry.brands import operations as brand_ops
from registry.brands.models import Brand
from registry.campaigns import operations as campaign_ops
from registry.campaigns.models import Campaign
from registry.config import PROJECT_ROOT
from registry.numbers import operations as number_ops
from registry.numbers.models import PhoneNumber
from registry.reviews import operations as reviews
from registry.states import IdentityStatus, RegistrationStatus, Role

DEMO_FILE = PROJECT_ROOT / "fixtures" / "demo.json"
LOADER = Actor.system("demo data")
DEMO_ACKNOWLEDGEMENT = "Demo data: accepted when the demo scenario was prepared."


def load_demo(session: Session, path: Path = DEMO_FILE) -> Counter[str]:
    """Create whatever part of the demo data is missing; returns what was created, by kind."""
    data = json.loads(path.read_text())
    created: Counter[str] = Counter()
    org = _organization(session, data["organization"], created)
    users = {u["email"]: _user(session, org, u, data["password"], created) for u in data["users"]}
    for spec in data["brands"]:
        _brand(session, org, spec, users, created)
    for spec in data["campaigns"]:
        _campaign(session, org, spec, users, created)
    for spec in data["numbers"]:
        _number(session, org, spec, created)
    if data.get("sandbox_account"):
        _sandbox_account(session, org, data["sandbox_account"], created)
    return created


def _organization(session: Session, spec: dict[str, Any], created: Counter[str]) -> Organization:
    org = auth_ops.find_organization(session, spec["slug"])
    if org is None:
        org = auth_ops.create_organization(session, spec["name"], slug=spec["slug"], timezone=spec["timezone"],
                                           actor=LOADER)
        created["organizations"] += 1
    return org


def _user(session: Session, org: Organization, spec: dict[str, Any], password: str,
          created: Counter[str]) -> User:
    user = auth_ops.find_user(session, spec["email"])
    if user is None:
        user = auth_ops.create_user(session, spec["email"], password, full_name=spec["full_name"])
        created["users"] += 1
    member = session.scalar(sa.select(Membership).where(Membership.user_id == user.id,
                                                        Membership.organization_id == org.id))
    if member is None:
        auth_ops.add_member(session, org, user, Role(spec["role"]), actor=LOADER)
    return user


def _brand(session: Session, org: Organization, spec: dict[str, Any], users: dict[str, User],
           created: Counter[str]) -> None:
    reference = spec["payload"]["referenceId"]
    if session.scalar(sa.select(Brand.id).where(Brand.organization_id == org.id, Brand.reference == reference)):
        return
    brand = brand_ops.create_brand(session, org, spec["payload"], actor=Actor.of(users[spec["author"]]))
    _advance(session, brand, spec, users, brand_ops.set_brand_status)
    if spec.get("identity_status"):
        brand.identity_status = IdentityStatus(spec["identity_status"])
    created["brands"] += 1


def _campaign(session: Session, org: Organization, spec: dict[str, Any], users: dict[str, User],
              created: Counter[str]) -> None:
    reference = spec["payload"]["referenceId"]
    if session.scalar(sa.select(Campaign.id).where(Campaign.organization_id == org.id,
                                                   Campaign.reference == reference)):
        return
    brand = session.scalar(sa.select(Brand).where(Brand.organization_id == org.id, Brand.reference == spec["brand"]))
    campaign = campaign_ops.create_campaign(session, org, brand, spec["payload"],
                                            actor=Actor.of(users[spec["author"]]))
    _advance(session, campaign, spec, users, campaign_ops.set_campaign_status)
    created["campaigns"] += 1


def _advance(session: Session, obj: Brand | Campaign, spec: dict[str, Any], users: dict[str, User],
             set_status: Any) -> None:
    """Walk a demo record through the four-eyes workflow up to the state the fixture asks for."""
    target = RegistrationStatus(spec["status"])
    if target == RegistrationStatus.DRAFT:
        return
    revision = reviews.submit_for_review(session, obj, actor=Actor.of(users[spec["author"]]))
    if target == RegistrationStatus.AWAITING_REVIEW:
        return
    acknowledgements = [reviews.Acknowledged(w["rule"], w["field"] or "", DEMO_ACKNOWLEDGEMENT)
                        for w in reviews.warnings_to_acknowledge(revision)]
    reviews.approve(session, revision, actor=Actor.of(users[spec["approved_by"]]),
                    acknowledgements=acknowledgements)
    set_status(session, obj, target, actor=LOADER, reason="demo data: provider outcome preset", source="demo")


def _sandbox_account(session: Session, org: Organization, spec: dict[str, Any], created: Counter[str]) -> None:
    """The sandbox provider account (`registry serve` runs the simulator it points at)."""
    from registry.provider_accounts.crypto import current_fernet
    from registry.provider_accounts.sandbox import ensure_other_sandbox_accounts, ensure_sandbox_account

    port = int(spec.get("port", 5055))
    if ensure_sandbox_account(session, org, current_fernet(), actor=LOADER, port=port):
        created["provider accounts"] += 1
    created["provider accounts"] += ensure_other_sandbox_accounts(session, org, current_fernet(), actor=LOADER,
                                                                  port=port)


def _number(session: Session, org: Organization, spec: dict[str, Any], created: Counter[str]) -> None:
    e164 = number_ops.normalize_number(spec["e164"])
    if session.scalar(sa.select(PhoneNumber.id).where(PhoneNumber.organization_id == org.id,
                                                      PhoneNumber.e164 == e164)):
        return
    number = number_ops.add_number(session, org, e164, actor=LOADER, label=spec.get("label", ""))
    if spec.get("campaign"):
        campaign = session.scalar(sa.select(Campaign).where(Campaign.organization_id == org.id,
                                                            Campaign.reference == spec["campaign"]))
        number_ops.assign_number(session, number, campaign, actor=LOADER)
        number_ops.mark_assigned(session, number, actor=LOADER, source="demo",
                                  note="demo data: provider outcome preset")
    created["numbers"] += 1
