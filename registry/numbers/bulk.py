"""Adding many numbers at once (CSV upload): every row is checked first; one bad row and nothing is applied.

CSV columns (header row, order free): ``phone`` (required; E.164 or a US/CA number), ``label`` (optional),
``campaign`` (optional: our campaign reference or its TCR campaign id; the number is assigned to it).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.auth.models import Organization
from registry.campaigns.models import Campaign
from registry.compliance import brand_payload, campaign_payload
from registry.errors import UserValueError
from registry.lifecycle.models import StatusChange
from registry.rules import Severity, lint
from registry.states import AssignmentStatus, RegistrationStatus
from registry.submissions.operations import queue_number_assignment

from .models import PhoneNumber
from .operations import normalize_number

COLUMNS = ("phone", "label", "campaign")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class RowError:
    row: int
    phone: str
    reason: str


@dataclass
class BulkResult:
    added: int = 0
    assigned: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_csv(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row number, row)`` for each data row (the header is row 1); refuses files without a phone column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserValueError("The file is not UTF-8 text; export it as CSV (UTF-8).", field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "phone" not in header:
        raise UserValueError("The first row must name the columns: phone (required), label, campaign.",
                             field="file")
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):
        yield number, {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}


def import_numbers(session: Session, org: Organization, rows: Iterable[tuple[int, dict[str, str]]], *,
                   actor: Actor) -> BulkResult:
    """Check every row, then apply all of them or none. Assignments go through the rule engine's number rules."""
    campaigns = _campaigns(session, org)
    existing = {n.e164: n for n in session.scalars(sa.select(PhoneNumber).where(PhoneNumber.organization_id == org.id))}
    result, planned, seen = BulkResult(), [], {}
    for row_no, row in rows:
        if row_no - 1 > MAX_ROWS:
            raise UserValueError(f"At most {MAX_ROWS:,} rows per file; split it.", field="file")
        error, plan = _check_row(row_no, row, campaigns, existing, seen)
        if error:
            result.errors.append(error)
        else:
            planned.append(plan)
            seen[plan[1]] = row_no
    if not planned and not result.errors:
        raise UserValueError("The file has no rows below the header.", field="file")
    result.errors.extend(_check_campaign_rules(session, planned))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    _apply(session, org, planned, existing, actor=actor, result=result)
    return result


def _campaigns(session: Session, org: Organization) -> dict[str, Campaign]:
    found: dict[str, Campaign] = {}
    for c in session.scalars(sa.select(Campaign).where(Campaign.organization_id == org.id)):
        found[c.reference] = c
        if c.tcr_campaign_id:
            found[c.tcr_campaign_id] = c
    return found


def _check_row(row_no: int, row: dict[str, str], campaigns: dict[str, Campaign], existing: dict[str, PhoneNumber],
               seen: dict[str, int]) -> tuple[RowError | None, tuple]:
    raw = row.get("phone", "")
    try:
        e164 = normalize_number(raw)
    except UserValueError as exc:
        return RowError(row_no, raw, exc.message), ()
    if e164 in seen:
        return RowError(row_no, raw, f"{e164} is already on row {seen[e164]} of this file."), ()
    campaign = None
    if row.get("campaign"):
        campaign = campaigns.get(row["campaign"])
        if campaign is None:
            return RowError(row_no, raw, f"No campaign with reference or TCR id {row['campaign']!r}."), ()
        if campaign.status != RegistrationStatus.APPROVED:
            return RowError(row_no, raw, f"Campaign {campaign.reference} is {campaign.status.label.lower()}; "
                                         "numbers can only join an approved campaign."), ()
        current = existing.get(e164)
        if current is not None and current.campaign_id not in (None, campaign.id):
            return RowError(row_no, raw, f"{e164} is assigned to another campaign; unassign it first "
                                         "(NUMBER-ONE-CAMPAIGN)."), ()
    elif e164 in existing:
        return RowError(row_no, raw, f"{e164} is already in your numbers."), ()
    return None, (row_no, e164, row.get("label", "")[:100], campaign)


def _check_campaign_rules(session: Session, planned: list[tuple]) -> list[RowError]:
    """The number rules of the engine (pool threshold, per-use-case limits) for each campaign's new total."""
    by_campaign: dict[int, list[tuple]] = defaultdict(list)
    for plan in planned:
        if plan[3] is not None:
            by_campaign[plan[3].id].append(plan)
    counts = Counter(dict(session.execute(
        sa.select(PhoneNumber.campaign_id, sa.func.count()).where(PhoneNumber.campaign_id.in_(by_campaign))
        .group_by(PhoneNumber.campaign_id)).all()))
    errors = []
    for campaign_id, plans in by_campaign.items():
        campaign = plans[0][3]
        new = sum(1 for p in plans if p[1] not in {n.e164 for n in campaign.numbers})
        report = lint(brand_payload(campaign.brand), campaign_payload(campaign),
                      state={"number_count": counts[campaign_id] + new})
        for f in report.findings:
            if f.severity is Severity.ERROR and f.rule.startswith("NUMBER-"):
                errors.append(RowError(plans[0][0], plans[0][1], f"{campaign.reference}: {f.message} ({f.rule})"))
    return errors


def _apply(session: Session, org: Organization, planned: list[tuple], existing: dict[str, PhoneNumber], *,
           actor: Actor, result: BulkResult) -> None:
    applied = []
    for _row_no, e164, label, campaign in planned:
        number, is_new = existing.get(e164), e164 not in existing
        if number is None:
            number = PhoneNumber(organization_id=org.id, e164=e164, label=label)
            session.add(number)
            result.added += 1
        assigns = campaign is not None and number.campaign_id != campaign.id
        if assigns:
            number.campaign = campaign
            number.assignment_status = AssignmentStatus.PENDING
            result.assigned += 1
        applied.append((number, is_new, label, campaign if assigns else None))
    session.flush()  # ids for the timeline and the audit trail
    for number, is_new, label, campaign in applied:
        changes = ({"e164": [None, number.e164]} | ({"label": [None, label]} if label else {})) if is_new else {}
        if campaign is not None:
            changes["campaign"] = [None, campaign.reference]
            session.add(StatusChange(organization_id=org.id, subject="phone_number", subject_id=number.id,
                                     from_status=AssignmentStatus.UNASSIGNED.value,
                                     to_status=AssignmentStatus.PENDING.value, source="workflow",
                                     note=f"CSV upload: waiting for the provider to register it for "
                                          f"{campaign.reference}"))
        what = " and ".join(filter(None, ["added" if is_new else "",
                                          f"assigned to {campaign.reference}" if campaign else ""]))
        record(session, organization_id=org.id, actor=actor, action="import", entity_type="phone_number",
               entity_id=number.id, summary=f"{number.e164} {what} by CSV upload", changes=changes)
        if campaign is not None:
            queue_number_assignment(session, number, actor=actor)
    session.flush()
