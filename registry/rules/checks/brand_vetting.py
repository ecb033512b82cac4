"""Brand verification rules: the identity and Authentication+ gates before a campaign, the sole proprietor
OTP, identity appeals and external vet requests.

The gates read TCR facts a registered brand payload may carry (``identityStatus``, ``optionalAttributes``,
``vettings``: a list of ``{evpId, vettingClass, vettingStatus, vettingScore?, createDate?}``); when such a key
is absent the fact is unknown until registration and the rule says so as info, never guessing. The other rules
stay silent unless the caller passes the matching ``state`` keys:

- ``state["previous_brand"]`` (mapping): the brand as TCR last accepted it; a new ``businessContactEmail``
  revokes Authentication+ (``BRAND-AUTHPLUS-GATE``).
- ``state["otp"]`` (mapping): ``{"action": "send" | "verify", "sent_at": datetime or ISO string,
  "attempts": int, "max_attempts": int}`` for the sole proprietor PIN (``BRAND-SP-OTP-WINDOW``), with
  ``state["now"]`` (datetime or ISO string; default: the current time) as the moment of the action.
- ``state["appeal"]`` (mapping): ``{"kind": "identity" | "vet", "categories": [str], "explanation": str,
  "attachments": [{"filename": str, "size": int (bytes)}], "created_on": date of brand (identity) or vet
  creation, "locked_fields_edited": bool}`` (``BRAND-APPEAL-RULES``).
- ``state["vet_request"]`` (mapping): ``{"evpId": "AEGIS" | "WMC" | "CV", "vettingClass": str,
  "import": bool}`` with ``state["last_vet_completed_on"]`` (date) and ``state["active_campaign_count"]``
  (``BRAND-VET-RULES``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from ..engine import BRAND, LintContext, check, finding
from ..report import Finding, Severity
from .brand_values import as_date, as_datetime, text

VERIFIED = frozenset({"VERIFIED", "VETTED_VERIFIED"})
#: the PIN e-mail can be re-sent for 30 days; then a new AUTHPLUS vet is needed (TCR Authentication+)
AUTHPLUS_WINDOW = timedelta(days=30)
OTP_WINDOW = timedelta(hours=24)
APPEAL_WINDOW = timedelta(days=45)
VET_INTERVAL = timedelta(days=30)
APPEAL_MAX_FILES = 10
APPEAL_MAX_FILE = 10 * 1024 * 1024
APPEAL_MAX_TOTAL = 30 * 1024 * 1024
APPEAL_MAX_EXPLANATION = 1024
APPEAL_FILE_TYPES = frozenset({
    ".jpg", ".jpeg", ".png", ".bmp", ".raw", ".tiff", ".pdf", ".docx", ".htm", ".odt", ".rtf", ".txt", ".xml",
})


@lru_cache(maxsize=64)
def _unknown(rule: str, field: str, what: str) -> Finding:
    return finding(rule, field,
                   f"{what} is unknown until the brand is registered: the payload has no {field}.",
                   severity=Severity.INFO)


def _vettings(b: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    v = b.get("vettings")
    return [x for x in v if isinstance(x, Mapping)] if isinstance(v, list) else None


def _new_campaign(ctx: LintContext) -> bool:
    return ctx.campaign is not None and text(ctx.campaign, "campaignId") is None


@check("BRAND-IDENTITY-GATE", needs=BRAND)
def identity_gate(ctx: LintContext) -> list[Finding]:
    """A new campaign needs a VERIFIED or VETTED_VERIFIED brand (a sole proprietor after its OTP)."""
    if not _new_campaign(ctx):
        return []
    b = ctx.brand
    status = text(b, "identityStatus")
    if status is None:
        return [_unknown("BRAND-IDENTITY-GATE", "identityStatus", "Whether the brand may create campaigns")]
    if status in VERIFIED:
        return []
    if status == "UNVERIFIED":
        why = "identity verification failed; correct the data and revet, appeal, or order an external vet"
    elif status == "SELF_DECLARED":
        sole_prop = text(b, "entityType") == "SOLE_PROPRIETOR"
        why = ("the owner has not confirmed TCR's one-time PIN yet" if sole_prop
               else "the brand's identity is only self-declared")
    else:
        why = "identity scoring is still pending (527)"
    return [finding("BRAND-IDENTITY-GATE", "identityStatus",
                    f"identityStatus is {status}: TCR refuses campaigns for this brand because {why}.")]


def _authplus(vettings: list[Mapping[str, Any]], today: datetime) -> tuple[bool, str | None]:
    """(completed, why not) from the brand's vettings; RBM vets also make a brand Auth+ compliant."""
    pending = None
    for v in vettings:
        cls = str(v.get("vettingClass", "")).upper()
        status = str(v.get("vettingStatus", "")).upper()
        if cls not in ("AUTHPLUS", "RBM"):
            continue
        if status == "ACTIVE":
            return True, None
        if status in ("PENDING", "UNSCORE"):
            created = as_datetime(v.get("createDate"))
            if created and today - created > AUTHPLUS_WINDOW:
                pending = "the Authentication+ request is older than 30 days; order a new AUTHPLUS vet"
            else:
                pending = pending or "the business contact has not completed the Authentication+ e-mail yet"
        elif status in ("FAILED", "EXPIRED"):
            pending = pending or f"the Authentication+ vet is {status}; order a new AUTHPLUS vet"
    return False, pending or "the brand has no Authentication+ vet"


@check("BRAND-AUTHPLUS-GATE", needs=BRAND)
def authplus_gate(ctx: LintContext) -> list[Finding]:
    """A PUBLIC_PROFIT brand completes Authentication+ before a campaign; a new contact e-mail revokes it."""
    b = ctx.brand
    if text(b, "entityType") != "PUBLIC_PROFIT":
        return []
    new_campaign = _new_campaign(ctx)
    previous = ctx.state.get("previous_brand")
    if previous is not None and isinstance(previous, Mapping):
        old, new = text(previous, "businessContactEmail"), text(b, "businessContactEmail")
        if old and new and old.casefold() != new.casefold():
            return [finding("BRAND-AUTHPLUS-GATE", "businessContactEmail",
                            f"businessContactEmail changes from {old} to {new}: this revokes "
                            "Authentication+, and no campaign can be created until a new AUTHPLUS vet is "
                            "completed.",
                            severity=None if new_campaign else Severity.WARNING)]
    if not new_campaign:
        return []
    vettings = _vettings(b)
    if vettings is None:
        return [_unknown("BRAND-AUTHPLUS-GATE", "vettings", "Whether Authentication+ is complete")]
    done, why = _authplus(vettings, as_datetime(ctx.state.get("now")) or datetime.now(UTC))
    if done:
        return []
    return [finding("BRAND-AUTHPLUS-GATE", "businessContactEmail",
                    "TCR refuses campaigns for this PUBLIC_PROFIT brand until Authentication+ is complete: "
                    f"{why}.")]


@check("BRAND-SP-OTP-WINDOW", needs=BRAND, state=("otp",))
def otp_window(ctx: LintContext) -> list[Finding]:
    """The sole proprietor PIN goes only to unverified brands, is verified within 24 h and within limits."""
    if not ctx.state:
        return []
    otp = ctx.state.get("otp")
    b = ctx.brand
    if not isinstance(otp, Mapping) or text(b, "entityType") != "SOLE_PROPRIETOR":
        return []
    out: list[Finding] = []
    action = str(otp.get("action", "")).lower()
    if action == "send" and text(b, "identityStatus") in VERIFIED:
        out.append(finding("BRAND-SP-OTP-WINDOW", "mobilePhone",
                           "The brand is already VERIFIED: TCR refuses to send another PIN (506)."))
    sent = as_datetime(otp.get("sent_at"))
    now = as_datetime(ctx.state.get("now")) or datetime.now(UTC)
    if action == "verify" and sent is not None and now - sent > OTP_WINDOW:
        out.append(finding("BRAND-SP-OTP-WINDOW", "mobilePhone",
                           f"The PIN was sent {(now - sent).days * 24 + (now - sent).seconds // 3600} hours "
                           "ago; it is valid for 24 hours, so send a new one (552)."))
    attempts, limit = otp.get("attempts"), otp.get("max_attempts")
    if isinstance(attempts, int) and isinstance(limit, int) and attempts >= limit:
        out.append(finding("BRAND-SP-OTP-WINDOW", "mobilePhone",
                           f"{attempts} PIN attempts reached the limit of {limit}; wait before trying again "
                           "(557)."))
    return out


def _appeal_files(files: Any) -> list[str]:
    if not isinstance(files, list):
        return []
    problems: list[str] = []
    if len(files) > APPEAL_MAX_FILES:
        problems.append(f"{len(files)} files are attached; at most {APPEAL_MAX_FILES} are allowed")
    total = 0
    for f in files:
        if not isinstance(f, Mapping):
            continue
        name = str(f.get("filename", ""))
        size = f.get("size") if isinstance(f.get("size"), int) else 0
        total += size
        ext = name[name.rfind("."):].lower() if "." in name else ""
        if ext not in APPEAL_FILE_TYPES:
            allowed = ", ".join(sorted(APPEAL_FILE_TYPES))
            problems.append(f"{name or 'a file'} is not an allowed type ({allowed})")
        if size > APPEAL_MAX_FILE:
            problems.append(f"{name} is {size / 1048576:.1f} MB; each file may be at most 10 MB")
    if total > APPEAL_MAX_TOTAL:
        problems.append(f"the files total {total / 1048576:.1f} MB; at most 30 MB are allowed")
    return problems


def _appeal_status(b: Mapping[str, Any]) -> Finding | None:
    status, entity = text(b, "identityStatus"), text(b, "entityType")
    if entity == "SOLE_PROPRIETOR":
        return finding("BRAND-APPEAL-RULES", "entityType",
                       "A sole proprietor brand cannot appeal its identity; verify it with the OTP instead.")
    if status is None:
        return _unknown("BRAND-APPEAL-RULES", "identityStatus", "Whether the brand may appeal")
    if status == "VETTED_VERIFIED" or (status == "VERIFIED" and entity not in ("NON_PROFIT", "GOVERNMENT")):
        return finding("BRAND-APPEAL-RULES", "identityStatus",
                       f"A {status} {entity or ''} brand cannot appeal its identity: appeals are for "
                       "UNVERIFIED brands, or VERIFIED non-profits and government bodies seeking their "
                       "status.")
    return None


@check("BRAND-APPEAL-RULES", needs=BRAND, state=("appeal",))
def appeal_rules(ctx: LintContext) -> list[Finding]:
    """An identity or vet appeal is in its 45-day window, allowed for the brand and complete."""
    if not ctx.state:
        return []
    appeal = ctx.state.get("appeal")
    if not isinstance(appeal, Mapping):
        return []
    b = ctx.brand
    out: list[Finding] = []
    created = as_date(appeal.get("created_on"))
    if created is not None and ctx.today > created + APPEAL_WINDOW:
        out.append(finding("BRAND-APPEAL-RULES", None,
                           f"The appeal window closed on {(created + APPEAL_WINDOW).isoformat()} (45 days "
                           f"after {created.isoformat()})."))
    if str(appeal.get("kind", "identity")) == "identity":
        status = _appeal_status(b)
        if status is not None:
            out.append(status)
    categories = appeal.get("categories")
    if not isinstance(categories, list) or not categories:
        out.append(finding("BRAND-APPEAL-RULES", None, "The appeal names no category; choose at least one."))
    else:
        entity = text(b, "entityType")
        for cat in categories:
            key = str(cat).upper().replace(" ", "_").replace("-", "_")
            if ("PROFIT" in key and "NON" in key and entity != "NON_PROFIT") or ("GOVERNMENT" in key and \
                    entity != "GOVERNMENT"):
                out.append(finding("BRAND-APPEAL-RULES", None,
                                   f"Appeal category '{cat}' does not apply to a {entity} brand (559)."))
    explanation = appeal.get("explanation")
    if isinstance(explanation, str) and len(explanation) > APPEAL_MAX_EXPLANATION:
        out.append(finding("BRAND-APPEAL-RULES", None,
                           f"The explanation is {len(explanation)} characters; at most 1,024 are allowed."))
    out.extend(finding("BRAND-APPEAL-RULES", None, f"Appeal evidence: {p}.")
               for p in _appeal_files(appeal.get("attachments")))
    if appeal.get("locked_fields_edited") is True:
        out.append(finding("BRAND-APPEAL-RULES", None,
                           "The locked identity fields were edited: revet the brand instead of appealing."))
    return out


def _political_vet(ctx: LintContext, importing: bool, evp: str) -> Finding | None:
    b = ctx.brand
    entity = text(b, "entityType")
    if entity == "SOLE_PROPRIETOR" and importing and evp == "CV":
        return None
    if entity != "NON_PROFIT":
        allowed = "NON_PROFIT brands (a Campaign Verify import also sole proprietors)"
        return finding("BRAND-VET-RULES", "entityType",
                       f"A political vet is only for {allowed}, not {entity}.")
    attrs = b.get("optionalAttributes")
    if not isinstance(attrs, Mapping):
        return _unknown("BRAND-VET-RULES", "optionalAttributes", "Whether the non-profit holds 501(c) status")
    if attrs.get("taxExemptStatus"):
        return finding("BRAND-VET-RULES", "optionalAttributes",
                       f"The brand is a verified {attrs['taxExemptStatus']} organisation: political vets are "
                       "for non-profits without 501(c) status; the 501(c) status itself qualifies for "
                       "POLITICAL.")
    return None


@check("BRAND-VET-RULES", needs=BRAND, state=("vet_request",))
def vet_rules(ctx: LintContext) -> list[Finding]:
    """An external vet request keeps the 30-day interval and a valid provider, class and entity."""
    if not ctx.state:
        return []
    req = ctx.state.get("vet_request")
    if not isinstance(req, Mapping):
        return []
    out: list[Finding] = []
    evp = str(req.get("evpId", "")).upper()
    cls = str(req.get("vettingClass", "")).upper()
    importing = req.get("import") is True
    last = as_date(ctx.state.get("last_vet_completed_on"))
    if last is not None and ctx.today < last + VET_INTERVAL:
        out.append(finding("BRAND-VET-RULES", "vettings",
                           f"The last vet completed on {last.isoformat()}; TCR refuses a new one before "
                           f"{(last + VET_INTERVAL).isoformat()} (549)."))
    if evp == "CV" and (cls != "POLITICAL" or not importing):
        out.append(finding("BRAND-VET-RULES", "vettings",
                           "Campaign Verify only provides POLITICAL vets, and only as an imported token."))
    if evp == "WMC" and cls != "STANDARD":
        out.append(finding("BRAND-VET-RULES", "vettings",
                           f"WMC Global provides STANDARD vets only, not {cls}."))
    if cls == "AUTHPLUS" and importing:
        out.append(finding("BRAND-VET-RULES", "vettings",
                           "An AUTHPLUS vet cannot be imported; order it from TCR."))
    if cls == "POLITICAL":
        problem = _political_vet(ctx, importing, evp)
        if problem is not None:
            out.append(problem)
    campaigns = ctx.state.get("active_campaign_count")
    if evp == "CV" and importing and isinstance(campaigns, int) and campaigns > 0:
        out.append(finding("BRAND-VET-RULES", "vettings",
                           "A Campaign Verify token cannot be imported while the brand has active campaigns "
                           "(540)."))
    return out
