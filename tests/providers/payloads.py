"""Brand and campaign inputs in TCR CSP API field names (the vocabulary of the rule engine and forms)."""

from __future__ import annotations

from typing import Any

BRAND: dict[str, Any] = {
    "entityType": "PRIVATE_PROFIT",
    "displayName": "Harbor Dental",
    "companyName": "Harbor Dental LLC",
    "ein": "12-0000001",
    "einIssuingCountry": "US",  # TCR field Telnyx does not take: the adapter must not send it
    "phone": "+15035550100",
    "email": "ops@harbordental.example",
    "street": "10 Pier Rd",
    "city": "Portland",
    "state": "OR",
    "postalCode": "97201",
    "country": "US",
    "website": "https://harbordental.example",
    "vertical": "HEALTHCARE",
    "brandRelationship": "BASIC_ACCOUNT",
    # the authorized representative: Twilio's Trust Hub needs one for a standard brand (provider-apis.md §3.2)
    "firstName": "Morgan",
    "lastName": "Lee",
}

SOLE_PROPRIETOR: dict[str, Any] = {
    "entityType": "SOLE_PROPRIETOR",
    "displayName": "Dana's Dog Walking",
    "firstName": "Dana",
    "lastName": "Rivera",
    "mobilePhone": "+15035550177",
    "email": "dana@dogwalks.example",
    "street": "5 Elm St",  # Twilio's sole-proprietor profile needs an address
    "city": "Portland",
    "postalCode": "97202",
    "country": "US",
    "state": "OR",
    "vertical": "PROFESSIONAL",
}

CAMPAIGN: dict[str, Any] = {
    "usecase": "ACCOUNT_NOTIFICATION",
    "resellerId": "R000000",
    "description": "Harbor Dental sends appointment reminders and billing notices to patients who opted in.",
    "messageFlow": "Patients opt in on the booking form at https://harbordental.example/book by ticking an "
    "unchecked box that shows the SMS terms, message frequency and STOP/HELP instructions.",
    "sample1": "Harbor Dental: your cleaning is tomorrow at 3pm. Reply C to confirm, STOP to opt out.",
    "sample2": "Harbor Dental: your statement is ready at https://harbordental.example/pay Reply STOP to opt out.",
    "subscriberOptin": True,
    "subscriberOptout": True,
    "subscriberHelp": True,
    "optinKeywords": "START",
    "optoutKeywords": "STOP,CANCEL,END,QUIT,UNSUBSCRIBE",
    "optoutMessage": "Harbor Dental: you are unsubscribed and will get no more messages.",
    "helpKeywords": "HELP,INFO",
    "helpMessage": "Harbor Dental: for help call +1 503 555 0100. Msg & data rates may apply. Reply STOP to cancel.",
    "embeddedLink": True,
    "embeddedPhone": False,
    "numberPool": False,
    "ageGated": False,
    "directLending": False,
    "termsAndConditions": True,
}


def brand(**changes: Any) -> dict[str, Any]:
    """BRAND with some fields changed (None removes a field)."""
    return {k: v for k, v in {**BRAND, **changes}.items() if v is not None}


def campaign(**changes: Any) -> dict[str, Any]:
    """CAMPAIGN with some fields changed (None removes a field)."""
    return {k: v for k, v in {**CAMPAIGN, **changes}.items() if v is not None}
