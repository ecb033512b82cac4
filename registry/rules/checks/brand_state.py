"""Brand rules that need what the database knows: the brand's history, the account's other brands and how
often contact details are reused. They stay silent unless the caller passes the matching ``state`` keys:

- ``state["previous_brand"]`` (mapping, TCR field names): the brand as TCR last accepted it. Used by
  ``BRAND-LOCKED-FIELDS`` (edits of companyName, ein, einIssuingCountry, entityType, mobilePhone) and
  ``BRAND-RELATIONSHIP`` (with the next key).
- ``state["brand_relationship_changed_on"]`` (date or ISO string): when ``brandRelationship`` last changed;
  TCR allows the next change three months later (528).
- ``state["active_campaign_count"]`` (int): the brand's active or pending campaigns (``BRAND-LOCKED-FIELDS``,
  ``BRAND-VET-RULES``).
- ``state["brand_reference_ids"]`` (iterable of str): ``referenceId`` of every *other* brand of the CSP
  (``BRAND-REFERENCEID-UNIQUE``; compared ignoring case).
- ``state["contact_usage"]`` (mapping): for ``"phone"``, ``"email"`` and ``"street"`` (the address), how many
  *other* brands of the tenant use the same value, as an int or a list of their ids
  (``BRAND-DUPLICATE-CONTACTS``; ``"mobilePhone"`` is read by ``BRAND-SP-MOBILE``).

- ``state["provider_fields"]`` (mapping): ``{"provider": display name, "missing": [TCR field names]}``: fields
  the provider account the brand is filed with needs beyond TCR's own minimum and the brand lacks
  (``BRAND-PROVIDER-FIELDS``; the adapter says which, e.g. Twilio's authorized representative).

The brand's own ``vettings`` (TCR facts carried on the payload) tell whether external vets are active.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..engine import BRAND, LintContext, check, finding
from ..report import Finding, Severity
from .brand_values import add_months, as_date, count, text

#: other brands sharing one contact value before it is reported (TCR does not publish its threshold (550);
#: Telnyx documents 3 sole proprietor brands per mobile number, used here for every contact field)
DUPLICATE_THRESHOLD = 3
#: fields TCR locks while campaigns or external vets depend on the brand (537)
LOCKED_FIELDS = ("companyName", "ein", "einIssuingCountry", "entityType")
_OPEN_VET_STATUSES = frozenset({"ACTIVE", "PENDING", "UNSCORE"})


def _same(field: str, old: Any, new: Any) -> bool:
    """True when an edit leaves ``field`` as it was (ignoring surrounding spaces, EIN hyphens, code case)."""
    a = old.strip() if isinstance(old, str) else old
    b = new.strip() if isinstance(new, str) else new
    if field == "einIssuingCountry":
        a, b = a or "US", b or "US"
    if isinstance(a, str) and isinstance(b, str) and field in ("ein", "einIssuingCountry"):
        return a.replace("-", "").replace(" ", "").upper() == b.replace("-", "").replace(" ", "").upper()
    return (a or None) == (b or None)


def open_vets(*brands: Mapping[str, Any] | None) -> list[Mapping[str, Any]] | None:
    """External vets that are active or pending, from the ``vettings`` of the given brands; ``None`` when no
    brand carries ``vettings`` (unknown)."""
    known = False
    found: list[Mapping[str, Any]] = []
    for b in brands:
        if not b or not isinstance(b.get("vettings"), list):
            continue
        known = True
        found.extend(v for v in b["vettings"] if isinstance(v, Mapping)
                     and str(v.get("vettingStatus", "")).upper() in _OPEN_VET_STATUSES)
    return found if known else None


@check("BRAND-LOCKED-FIELDS", needs=BRAND, state=("previous_brand",))
def locked_fields(ctx: LintContext) -> list[Finding]:
    """Locked identity fields stay unchanged while campaigns or vets depend on them; edits reset identity."""
    if not ctx.state:
        return []
    previous = ctx.state.get("previous_brand")
    if not isinstance(previous, Mapping):
        return []
    b = ctx.brand
    changed = [f for f in LOCKED_FIELDS if not _same(f, previous.get(f), b.get(f))]
    out: list[Finding] = []
    if changed:
        campaigns = ctx.state.get("active_campaign_count")
        vets = open_vets(b, previous)
        blockers = []
        if isinstance(campaigns, int) and campaigns > 0:
            blockers.append(f"{campaigns} active or pending campaign{'s' if campaigns != 1 else ''}")
        if vets:
            blockers.append(f"{len(vets)} external vet{'s' if len(vets) != 1 else ''}")
        unknown = campaigns is None and vets is None
        for field in changed:
            if blockers:
                out.append(finding("BRAND-LOCKED-FIELDS", field,
                                   f"{field} cannot be changed while the brand has {' and '.join(blockers)}: "
                                   "TCR refuses the edit (537)."))
            elif unknown:
                out.append(finding("BRAND-LOCKED-FIELDS", field,
                                   f"{field} is changed: TCR refuses this while the brand has active or "
                                   "pending campaigns or external vets (537), and otherwise resets identity "
                                   "to UNVERIFIED until a revet passes.", severity=Severity.WARNING))
            else:
                out.append(finding("BRAND-LOCKED-FIELDS", field,
                                   f"{field} is changed: identity goes back to UNVERIFIED and no campaign "
                                   "can be created until the revet passes.", severity=Severity.WARNING))
    if not _same("mobilePhone", previous.get("mobilePhone"), b.get("mobilePhone")) and b.get("mobilePhone"):
        out.append(finding("BRAND-LOCKED-FIELDS", "mobilePhone",
                           "mobilePhone is changed: identity goes back to UNVERIFIED and the new number "
                           "must confirm TCR's one-time PIN again.", severity=Severity.WARNING))
    return out


@check("BRAND-RELATIONSHIP", needs=BRAND, state=("brand_relationship_changed_on",))
def relationship_window(ctx: LintContext) -> list[Finding]:
    """``brandRelationship`` changes at most once every three months."""
    if not ctx.state:
        return []
    previous = ctx.state.get("previous_brand")
    changed_on = as_date(ctx.state.get("brand_relationship_changed_on"))
    if not isinstance(previous, Mapping) or changed_on is None:
        return []
    old, new = text(previous, "brandRelationship"), text(ctx.brand, "brandRelationship")
    if old is None or new is None or old == new:
        return []
    allowed = add_months(changed_on, 3)
    if ctx.today >= allowed:
        return []
    return [finding("BRAND-RELATIONSHIP", "brandRelationship",
                    f"brandRelationship was last changed on {changed_on.isoformat()}; TCR refuses another "
                    f"change before {allowed.isoformat()} (528).")]


@check("BRAND-REFERENCEID-UNIQUE", needs=BRAND, state=("brand_reference_ids",))
def reference_id_unique(ctx: LintContext) -> list[Finding]:
    """The brand's ``referenceId`` is not used by another brand of the account (ignoring case)."""
    if not ctx.state:
        return []
    others = ctx.state.get("brand_reference_ids")
    ref = text(ctx.brand, "referenceId")
    if ref is None or not isinstance(others, Iterable) or isinstance(others, (str, bytes)):
        return []
    folded = ref.casefold()
    if any(isinstance(o, str) and o.strip().casefold() == folded for o in others):
        return [finding("BRAND-REFERENCEID-UNIQUE", "referenceId",
                        f"referenceId '{ref}' is already used by another brand of this account (TCR compares "
                        "reference ids ignoring case and refuses duplicates with 503).")]
    return []


_CONTACT_LABELS = {"phone": "support phone", "email": "support e-mail", "street": "address"}


@check("BRAND-DUPLICATE-CONTACTS", needs=BRAND, state=("contact_usage",))
def duplicate_contacts(ctx: LintContext) -> list[Finding]:
    """Support phone, e-mail and address are not shared with many other brands of the tenant."""
    if not ctx.state:
        return []
    usage = ctx.state.get("contact_usage")
    if not isinstance(usage, Mapping):
        return []
    out: list[Finding] = []
    for field, label in _CONTACT_LABELS.items():
        entry = usage.get(field)
        others = count(entry)
        if others < DUPLICATE_THRESHOLD or text(ctx.brand, field) is None:
            continue
        ids = ""
        if isinstance(entry, (list, tuple)) and all(isinstance(i, str) for i in entry):
            shown = ", ".join(entry[:5]) + (", ..." if len(entry) > 5 else "")
            ids = f" ({shown})"
        out.append(finding("BRAND-DUPLICATE-CONTACTS", field,
                           f"The {label} is also used by {others} other brands of this account{ids}; TCR "
                           "refuses registrations that reuse contact details beyond its threshold (550)."))
    return out


@check("BRAND-PROVIDER-FIELDS", needs=BRAND, state=("provider_fields",))
def provider_fields(ctx: LintContext) -> list[Finding]:
    """Fields the provider account needs beyond TCR's minimum are present."""
    if not ctx.state:
        return []
    wanted = ctx.state.get("provider_fields")
    if not isinstance(wanted, Mapping) or not isinstance(wanted.get("missing"), (list, tuple)):
        return []
    provider = str(wanted.get("provider") or "The provider")
    return [finding("BRAND-PROVIDER-FIELDS", field,
                    f"{provider}, the account this brand is filed with, needs {field}; without it the filing "
                    "fails after review.")
            for field in wanted["missing"] if isinstance(field, str)]
