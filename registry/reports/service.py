"""One entry point for the CLI, the web pages and the Huey task: validate a report request, read a consistent
snapshot of the database, build the report and write its PDF and/or CSV."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from registry.auth.models import Organization
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.errors import UserValueError

from .model import Built
from .pdf import Produced, Progress, RenderOptions, produce

KINDS = ("dossier", "consent", "program")
#: the longest program period accepted
MAX_PERIOD_DAYS = 3 * 366


class ReportArgumentError(UserValueError):
    """A report was asked for with arguments that cannot work (the CLI exits 2)."""


@dataclass(frozen=True)
class ReportRequest:
    """What to report on, as given by a user (references, not ids): serializable for a background job."""

    kind: str
    organization_id: int
    campaign: str | None = None
    brand: str | None = None
    phone: str | None = None
    #: consent: the moment a message was sent (ISO 8601, UTC)
    at: str | None = None
    start: str | None = None
    end: str | None = None
    generated_by: str = "registry"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportRequest:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})

    @property
    def label(self) -> str:
        if self.kind == "dossier":
            return f"Dossier of {'campaign ' + self.campaign if self.campaign else 'brand ' + str(self.brand)}"
        if self.kind == "consent":
            return f"Consent proof of {self.phone}" + (f" for {self.campaign}" if self.campaign else "")
        return f"Program report {self.start} to {self.end}"


# --- argument checks (shared by the CLI and the web form) ---------------------------------------------------

def parse_date(value: str | None, name: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise ReportArgumentError(f"{name}: {value!r} is not a date; write it as YYYY-MM-DD.", field=name) from None


def parse_period(start: str | None, end: str | None) -> tuple[date, date]:
    first, last = parse_date(start, "from"), parse_date(end, "to")
    if first > last:
        raise ReportArgumentError(f"The period starts ({first}) after it ends ({last}).", field="from")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise ReportArgumentError(f"The period is {(last - first).days + 1:,} days; at most {MAX_PERIOD_DAYS:,}.",
                                  field="to")
    return first, last


def parse_phone(value: str | None) -> str:
    from registry.consent.phones import to_e164

    try:
        return to_e164((value or "").strip())
    except UserValueError as exc:
        raise ReportArgumentError(f"phone: {exc.message}", field="phone") from None


def parse_moment(value: str | None, timezone: str) -> datetime | None:
    """A message time: ISO 8601; without an offset it is the organization's local time."""
    if not value or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ReportArgumentError(f"at: {value!r} is not a date and time; write it as YYYY-MM-DDTHH:MM "
                                  "(the organization's time) or with an offset.", field="at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def find_organization(session: Session, key: str | None) -> Organization:
    """The organization named by ``--org`` (slug or name), or the only one there is."""
    if key:
        org = session.scalar(sa.select(Organization).where(sa.or_(Organization.slug == key.strip().lower(),
                                                                  Organization.name == key.strip())))
        if org is None:
            raise ReportArgumentError(f"No organization {key!r}.", field="org")
        return org
    orgs = list(session.scalars(sa.select(Organization).order_by(Organization.slug).limit(6)))
    if not orgs:
        raise ReportArgumentError("The database has no organization yet.", field="org")
    if len(orgs) > 1:
        names = ", ".join(o.slug for o in orgs[:5]) + (", …" if len(orgs) > 5 else "")
        raise ReportArgumentError(f"The database has several organizations; choose one with --org ({names}).",
                                  field="org")
    return orgs[0]


def _find(session: Session, model: type[Brand] | type[Campaign], org: Organization, reference: str) -> Any:
    key = reference.strip()
    where = [model.organization_id == org.id]
    column = Campaign.tcr_campaign_id if model is Campaign else Brand.tcr_brand_id
    obj = session.scalar(sa.select(model).where(*where, sa.or_(model.reference == key, column == key)))
    if obj is None:
        raise ReportArgumentError(f"No {model.__tablename__} {reference!r} in {org.name}.",
                                  field=model.__tablename__)
    return obj


def validate(session: Session, request: ReportRequest) -> None:
    """Raise :class:`ReportArgumentError` for anything :func:`build` would refuse (cheap: no report work)."""
    org = session.get(Organization, request.organization_id)
    if org is None:
        raise ReportArgumentError("No such organization.", field="org")
    if request.kind not in KINDS:
        raise ReportArgumentError(f"Unknown report {request.kind!r}.", field="kind")
    if request.kind == "dossier":
        if bool(request.campaign) == bool(request.brand):
            raise ReportArgumentError("Name either a campaign or a brand (not both).", field="campaign")
        _find(session, Campaign if request.campaign else Brand, org, request.campaign or request.brand or "")
    elif request.kind == "consent":
        parse_phone(request.phone)
        if request.campaign:
            _find(session, Campaign, org, request.campaign)
        parse_moment(request.at, org.timezone)
    else:
        parse_period(request.start, request.end)


def build(session: Session, request: ReportRequest, config: Mapping[str, Any]) -> Built:
    """The report's plain context and detail tables (validating the request as it goes)."""
    from . import consent, dossier, program

    validate(session, request)
    org = session.get(Organization, request.organization_id)
    assert org is not None
    if request.kind == "dossier":
        obj = _find(session, Campaign if request.campaign else Brand, org, request.campaign or request.brand or "")
        return dossier.build_dossier(session, org, obj, generated_by=request.generated_by)
    if request.kind == "consent":
        campaign = _find(session, Campaign, org, request.campaign) if request.campaign else None
        return consent.build_consent_proof(session, org, parse_phone(request.phone), campaign=campaign,
                                           at=parse_moment(request.at, org.timezone),
                                           generated_by=request.generated_by)
    start, end = parse_period(request.start, request.end)
    return program.build_program(session, org, start, end, generated_by=request.generated_by,
                                 settings=program_settings(config))


def program_settings(config: Mapping[str, Any]) -> Any:
    from registry.consent.metrics import thresholds

    from .program import EXPIRY_HORIZON, STUCK_DAYS, Settings

    watch, act = thresholds(config)
    return Settings(watch=watch, act=act, stuck_days=int(config.get("REPORT_STUCK_DAYS", STUCK_DAYS)),
                    expiry_horizon=int(config.get("REPORT_EXPIRY_HORIZON_DAYS", EXPIRY_HORIZON)))


@contextmanager
def snapshot(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A read-only session seeing one consistent state for the whole report (PostgreSQL: REPEATABLE READ, read
    only; SQLite: a deferred transaction, which in WAL mode reads one snapshot and never blocks writers)."""
    session = factory()
    try:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                                  "postgresql_readonly": True})
        else:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        yield session
    finally:
        session.rollback()
        session.close()


def generate(factory: sessionmaker[Session], request: ReportRequest, config: Mapping[str, Any], *,
             pdf: Path | None = None, csv: Path | None = None, progress: Progress | None = None) -> Produced:
    """Build and write the report from one snapshot of the database."""
    if pdf is None and csv is None:
        raise ReportArgumentError("Say where to write the report: a PDF, a CSV, or both.", field="out")
    with snapshot(factory) as session:
        built = build(session, request, config)
        return produce(built, pdf_path=pdf, csv_path=csv, options=RenderOptions.from_config(config),
                       progress=progress)


def estimate_rows(session: Session, request: ReportRequest) -> int:
    """A cheap guess of the detail rows a report will stream: big ones run in the background."""
    from registry.audit.models import AuditEvent
    from registry.consent.models import ConsentEvent
    from registry.numbers.models import PhoneNumber

    org_id = request.organization_id
    if request.kind == "consent":
        phone = parse_phone(request.phone)
        return session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)
                              .where(ConsentEvent.organization_id == org_id, ConsentEvent.phone == phone)) or 0
    if request.kind == "program":
        return session.scalar(sa.select(sa.func.count()).select_from(Campaign)
                              .where(Campaign.organization_id == org_id)) or 0
    org = session.get(Organization, org_id)
    assert org is not None
    obj = _find(session, Campaign if request.campaign else Brand, org, request.campaign or request.brand or "")
    numbers = session.scalar(sa.select(sa.func.count()).select_from(PhoneNumber).join(
        Campaign, Campaign.id == PhoneNumber.campaign_id).where(
        Campaign.id == obj.id if isinstance(obj, Campaign) else Campaign.brand_id == obj.id)) or 0
    events = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.organization_id == org_id, AuditEvent.entity_type == ("campaign" if isinstance(obj, Campaign)
                                                                          else "brand"),
        AuditEvent.entity_id == str(obj.id))) or 0
    return numbers * 3 + events
