"""Brand e-mail rules: valid permanent addresses, a support address on the website's domain, and a business
contact who is a named person on the brand's domain.

Payload-only. Syntax comes from email-validator (offline: no DNS); disposable, free-mail, reserved and role
mailbox names come from the word lists in ``data/wordlists/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..engine import finding
from ..report import Finding, Severity
from .brand_values import (
    DISPOSABLE_DOMAINS,
    FREEMAIL_DOMAINS,
    ROLE_MAILBOXES,
    SOCIAL_HOSTS,
    domain_in,
    is_reserved_domain,
    mailbox_name,
    parse_email,
    parse_website,
    payload_check,
    same_site,
    text,
)


def _validity(field: str, raw: str) -> Finding | None:
    e = parse_email(raw)
    if not e.ok:
        return finding("BRAND-EMAIL-VALID", field,
                       f"{field} '{raw}' is not a valid e-mail address: {e.error}")
    if is_reserved_domain(e.domain):
        return finding("BRAND-EMAIL-VALID", field,
                       f"{field} '{raw}' uses {e.domain}, a reserved example or placeholder domain that "
                       "cannot receive mail.")
    if domain_in(e.domain, DISPOSABLE_DOMAINS):
        return finding("BRAND-EMAIL-VALID", field,
                       f"{field} '{raw}' uses {e.domain}, a disposable (temporary) mail service; TCR refuses "
                       "these (553).")
    return None


@payload_check("BRAND-EMAIL-VALID")
def email_valid(b: Mapping[str, Any], today: date) -> list[Finding]:
    """``email`` and ``businessContactEmail`` are valid addresses on a permanent, real domain."""
    out: list[Finding] = []
    for field in ("email", "businessContactEmail"):
        raw = text(b, field)
        problem = _validity(field, raw) if raw is not None else None
        if problem is not None:
            out.append(problem)
    return out


def _website_host(b: Mapping[str, Any]) -> str | None:
    raw = text(b, "website")
    if raw is None:
        return None
    site = parse_website(raw)
    return site.host if site.ok else None


@payload_check("BRAND-EMAIL-DOMAIN-MATCH")
def email_domain(b: Mapping[str, Any], today: date) -> list[Finding]:
    """The support e-mail is not free-mail (except for sole proprietors) and is on the website's domain."""
    raw = text(b, "email")
    e = parse_email(raw) if raw is not None else None
    if e is None or not e.ok:
        return []
    if domain_in(e.domain, FREEMAIL_DOMAINS):
        entity = text(b, "entityType")
        if entity == "SOLE_PROPRIETOR":
            return []
        return [finding("BRAND-EMAIL-DOMAIN-MATCH", "email",
                        f"email '{raw}' is a free-mail address ({e.domain}); reviewers reject "
                        f"{entity or 'company'} brands whose support address is not on their own domain.")]
    host = _website_host(b)
    if host is None or domain_in(host, SOCIAL_HOSTS) or same_site(e.domain, host):
        return []
    return [finding("BRAND-EMAIL-DOMAIN-MATCH", "email",
                    f"email domain {e.domain} differs from the website domain {host}; reviewers expect the "
                    "support address on the brand's own domain.", severity=Severity.WARNING)]


@payload_check("BRAND-CONTACT-EMAIL-QUALITY")
def business_contact(b: Mapping[str, Any], today: date) -> list[Finding]:
    """The business contact is a named person's address on the brand's own domain."""
    raw = text(b, "businessContactEmail")
    e = parse_email(raw) if raw is not None else None
    if e is None or not e.ok:
        return []
    out: list[Finding] = []
    if domain_in(e.domain, FREEMAIL_DOMAINS):
        out.append(finding("BRAND-CONTACT-EMAIL-QUALITY", "businessContactEmail",
                           f"businessContactEmail '{raw}' is a personal free-mail address; TCR's "
                           "Authentication+ needs a work address on the brand's domain."))
    else:
        host = _website_host(b)
        if host is None or domain_in(host, SOCIAL_HOSTS):
            support = parse_email(text(b, "email") or "")
            host = support.domain if support.ok and not domain_in(support.domain, FREEMAIL_DOMAINS) else None
        if host is not None and not same_site(e.domain, host):
            out.append(finding("BRAND-CONTACT-EMAIL-QUALITY", "businessContactEmail",
                               f"businessContactEmail domain {e.domain} is not the brand's domain {host}; "
                               "TCR checks that the contact belongs to the brand (TFWD01/TFWD02)."))
    if mailbox_name(e.local) in ROLE_MAILBOXES:
        out.append(finding("BRAND-CONTACT-EMAIL-QUALITY", "businessContactEmail",
                           f"businessContactEmail '{raw}' is a shared mailbox ({e.local}@), not a named "
                           "person."))
    return out
