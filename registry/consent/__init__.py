"""The consent audit trail (issue #6): disclosures, hash-chained consent events, the current subscription per
(phone, campaign), instant keyword handling, bulk import, proof lookup and opt-out metrics.

Implements the app-scope rules CONSENT-RECORD-COMPLETE, CONSENT-OPTOUT-KEYWORDS, CONSENT-OPTOUT-DEADLINE,
CONSENT-OPTOUT-CONFIRMATION, CONSENT-KEYWORD-RESPONSES, CONSENT-NO-TRANSFER and CONSENT-RETENTION
(``registry/rules/data/catalog/consent.toml``).

Entry points: ``operations`` (``record_event``, ``can_send``), ``keywords`` and ``inbound`` (inbound
messages), ``imports`` (CSV), ``proof`` (the timeline of a number), ``metrics`` (opt-out rates).
"""
