"""Lint benchmark: lints generated, varied brand/campaign payloads in-process and prints payloads/second and
peak memory.

    .venv/bin/python bench/lint.py [--count 100000] [--brands 10000] [--seed 1] [--profile]

Payloads are realistic TCR brand and campaign payloads built from word pools: most are clean, about one in six
carries a typical mistake (free-mail support address, PO box, ZIP+4, bad EIN prefix, http website, missing
opt-out language, public URL shortener, ...). As in a real bulk lint, brands repeat across campaigns:
``--brands`` distinct brands are shared by the payloads (``--brands`` equal to ``--count`` makes every brand
unique, the worst case for the caches). 80% of the payloads are brand+campaign pairs, 10% brand only, 10%
campaign only.
Target (issue #3): 20,000 payloads/s on one core.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.rules import lint

TODAY = date(2026, 11, 27)

FIRST = [
    "Acme",
    "Harbor",
    "Summit",
    "Blue",
    "Lakeside",
    "Pioneer",
    "Evergreen",
    "Northside",
    "Maple",
    "Golden",
    "Riverbend",
    "Cedar",
    "Liberty",
    "Sunrise",
    "Granite",
    "Willow",
    "Beacon",
    "Prairie",
    "Coastal",
    "Orchard",
    "Redwood",
    "Silver",
    "Keystone",
    "Meridian",
]
SECOND = [
    "Dental",
    "Plumbing",
    "Fitness",
    "Realty",
    "Bakery",
    "Auto",
    "Pharmacy",
    "Veterinary",
    "Insurance",
    "Roofing",
    "Salon",
    "Logistics",
    "Tutoring",
    "Electric",
    "Landscaping",
    "Coffee",
    "Clinic",
    "Motors",
    "Cleaners",
    "Law",
    "Accounting",
    "Florist",
    "Pet",
    "Care",
    "Storage",
]
SUFFIX = ["LLC", "Inc.", "Corp.", "Co.", "LLP", "Group LLC", "Holdings, Inc.", "PLLC"]
CITIES = [
    ("Chicago", "IL", "606", "312"),
    ("Austin", "TX", "787", "512"),
    ("Denver", "CO", "802", "303"),
    ("Seattle", "WA", "981", "206"),
    ("Boston", "MA", "021", "617"),
    ("Atlanta", "GA", "303", "404"),
    ("Phoenix", "AZ", "850", "602"),
    ("Miami", "FL", "331", "305"),
    ("Portland", "OR", "972", "503"),
    ("Nashville", "TN", "372", "615"),
    ("Columbus", "OH", "432", "614"),
    ("San Diego", "CA", "921", "619"),
]
STREETS = [
    "Main",
    "Oak",
    "Elm",
    "Washington",
    "Lake",
    "Park",
    "Pine",
    "Maple",
    "Cedar",
    "Hill",
    "River",
    "Market",
    "Broadway",
    "Wacker",
    "Congress",
]
KINDS = ["Street", "Avenue", "Boulevard", "Drive", "Road", "Lane"]
VERTICALS = [
    "HEALTHCARE",
    "RETAIL",
    "REAL_ESTATE",
    "PROFESSIONAL",
    "CONSTRUCTION",
    "HOSPITALITY",
    "INSURANCE",
    "TRANSPORTATION",
    "TECHNOLOGY",
    "EDUCATION",
]
PEOPLE = [
    ("Maria", "Gonzalez"),
    ("James", "Okafor"),
    ("Linh", "Nguyen"),
    ("Sarah", "Schoolcraft"),
    ("David", "Kim"),
    ("Aisha", "Rahman"),
    ("Tom", "Gunther"),
    ("Elena", "Petrova"),
]
EIN_PREFIXES = [
    "12",
    "20",
    "26",
    "27",
    "30",
    "33",
    "45",
    "46",
    "47",
    "81",
    "82",
    "83",
    "84",
    "88",
    "91",
    "98",
]


def _brand(rng: random.Random, i: int) -> dict[str, Any]:
    name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
    domain = name.lower().replace(" ", "") + rng.choice(["", "co", "usa", str(i % 97)]) + ".com"
    city, state, zip3, npa = rng.choice(CITIES)
    entity = rng.choices(
        ["PRIVATE_PROFIT", "SOLE_PROPRIETOR", "NON_PROFIT", "PUBLIC_PROFIT", "GOVERNMENT"], [70, 12, 10, 5, 3]
    )[0]
    b: dict[str, Any] = {
        "entityType": entity,
        "displayName": name,
        "phone": f"+1{npa}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
        "street": f"{rng.randint(1, 9999)} {rng.choice(['', 'North ', 'South ', 'West '])}"
        f"{rng.choice(STREETS)} {rng.choice(KINDS)}"
        + rng.choice(["", "", f", Suite {rng.randint(100, 900)}"]),
        "city": city,
        "state": state,
        "postalCode": f"{zip3}{rng.randint(0, 99):02d}",
        "country": "US",
        "email": f"{rng.choice(['support', 'hello', 'info', 'care'])}@{domain}",
        "website": f"https://www.{domain}",
        "vertical": rng.choice(VERTICALS),
    }
    if entity == "SOLE_PROPRIETOR":
        first, last = rng.choice(PEOPLE)
        b |= {
            "firstName": first,
            "lastName": last,
            "displayName": f"{first}'s {rng.choice(SECOND)}",
            "mobilePhone": f"+1{npa}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
            "email": f"{first.lower()}.{last.lower()}@{rng.choice(['gmail.com', 'outlook.com', domain])}",
        }
        b.pop("website")
    else:
        b |= {
            "companyName": f"{name} {rng.choice(SUFFIX)}",
            "brandRelationship": "SMALL_ACCOUNT",
            "ein": f"{rng.choice(EIN_PREFIXES)}-{rng.randint(0, 9999999):07d}",
            "einIssuingCountry": "US",
        }
    if entity == "PUBLIC_PROFIT":
        b |= {
            "stockSymbol": name[:4].upper().replace(" ", ""),
            "stockExchange": rng.choice(["NASDAQ", "NYSE"]),
            "businessContactEmail": f"{rng.choice(PEOPLE)[0].lower()}@{domain}",
        }
    if rng.random() < 0.17:  # a typical mistake
        mistake = rng.randrange(8)
        if mistake == 0:
            b["email"] = f"{domain.split('.')[0]}@gmail.com"
        elif mistake == 1:
            b["street"] = f"PO Box {rng.randint(1, 9999)}"
        elif mistake == 2:
            b["postalCode"] += f"-{rng.randint(1000, 9999)}"
        elif mistake == 3 and "ein" in b:
            b["ein"] = f"07-{rng.randint(0, 9999999):07d}"
        elif mistake == 4 and "website" in b:
            b["website"] = b["website"].replace("https", "http")
        elif mistake == 5:
            b["phone"] = f"({npa}) 555-{rng.randint(0, 9999):04d}"
        elif mistake == 6:
            b["state"] = "Illinois"
        elif "companyName" in b:
            b["companyName"] = name
    return b


USECASES = [
    "MARKETING",
    "MIXED",
    "ACCOUNT_NOTIFICATION",
    "2FA",
    "CUSTOMER_CARE",
    "DELIVERY_NOTIFICATION",
    "LOW_VOLUME",
]
SAMPLES = {
    "MARKETING": [
        "{n}: Spring sale, 20% off all services this week. Book at https://www.{d}/book "
        "Reply STOP to opt out.",
        "{n}: Hi [first name], members get a free consultation in May. Details: "
        "https://www.{d}/offers "
        "Reply STOP to opt out.",
    ],
    "ACCOUNT_NOTIFICATION": [
        "{n}: Your appointment is confirmed for [date] at [time]. Reply STOP to opt out.",
        "{n}: Your invoice [invoice number] is ready in your account. Reply STOP to opt out.",
    ],
    "2FA": [
        "{n}: Your verification code is [code]. It expires in 10 minutes. Do not share it.",
        "{n}: Use [code] to sign in to your account. If you did not request it, ignore this message.",
    ],
    "CUSTOMER_CARE": [
        "{n}: Thanks for contacting support, ticket [ticket] is open. Reply STOP to opt out.",
        "{n}: An agent replied to your request [ticket]. Reply here or STOP to opt out.",
    ],
    "DELIVERY_NOTIFICATION": [
        "{n}: Your order [order id] has shipped and arrives [date]. Reply STOP to opt out.",
        "{n}: Your order [order id] was delivered today. Reply STOP to opt out.",
    ],
}
SUBS = {
    "MIXED": ["ACCOUNT_NOTIFICATION", "MARKETING"],
    "LOW_VOLUME": ["CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"],
}


def _campaign(rng: random.Random, brand: dict[str, Any]) -> dict[str, Any]:
    n = brand["displayName"]
    d = (brand.get("website") or "https://www.example-brand.com").split("//", 1)[1].removeprefix("www.")
    usecase = rng.choices(USECASES, [30, 15, 20, 10, 10, 10, 5])[0]
    pool = SAMPLES.get(usecase) or SAMPLES["MARKETING" if usecase == "MIXED" else "ACCOUNT_NOTIFICATION"]
    c: dict[str, Any] = {
        "usecase": usecase,
        "subUsecases": SUBS.get(usecase, []),
        "resellerId": "R000000",
        "description": (
            f"{n} sends {usecase.lower().replace('_', ' ')} messages to customers who opted in on "
            f"https://www.{d} or by texting JOIN, about their appointments, orders and offers."
        ),
        "messageFlow": (
            f"Customers opt in on the web form at https://www.{d}/sms by entering their number and "
            f"ticking an unchecked box labelled 'Text me updates from {n}. Msg frequency varies. "
            "Msg & data rates may apply. Reply HELP for help, STOP to cancel. "
            f"Terms: https://www.{d}/terms Privacy: https://www.{d}/privacy'."
        ),
        "sample1": pool[0].format(n=n, d=d),
        "sample2": pool[1].format(n=n, d=d),
        "subscriberOptin": True,
        "subscriberOptout": True,
        "subscriberHelp": True,
        "optinKeywords": "JOIN,START",
        "optinMessage": (
            f"{n}: You are subscribed. Msg frequency varies. Msg & data rates may apply. "
            "Reply HELP for help, STOP to cancel."
        ),
        "optoutKeywords": "STOP,CANCEL,UNSUBSCRIBE,END,QUIT",
        "optoutMessage": f"{n}: You are unsubscribed and will receive no further messages.",
        "helpKeywords": "HELP,INFO",
        "helpMessage": (
            f"{n}: For help call {brand['phone']} or visit https://www.{d}/help. Msg & data rates may apply. "
            "Reply STOP to cancel."
        ),
        "embeddedLink": "https://" in pool[0] + pool[1],
        "embeddedPhone": False,
        "numberPool": False,
        "ageGated": False,
        "directLending": False,
        "termsAndConditions": True,
        "privacyPolicyLink": f"https://www.{d}/privacy",
        "termsAndConditionsLink": f"https://www.{d}/terms",
        "autoRenewal": True,
    }
    if c["embeddedLink"]:
        c["embeddedLinkSample"] = f"https://www.{d}/book"
    if rng.random() < 0.3:
        c["forecastDailyVolume"] = rng.choice([500, 1500, 5000, 20000])
        c["forecastPeakTpm"] = rng.choice([30, 60, 200, 1000])
    if rng.random() < 0.15:  # a typical mistake
        mistake = rng.randrange(4)
        if mistake == 0:
            c["sample1"] = c["sample1"].replace(" Reply STOP to opt out.", "")
            c["sample2"] = (
                c["sample2"].replace(" Reply STOP to opt out.", "").replace(" or STOP to opt out", "")
            )
        elif mistake == 1:
            c["sample1"] = c["sample1"].replace(f"https://www.{d}/book", "https://bit.ly/3xYz9")
        elif mistake == 2:
            c["description"] = "We send messages to our customers."
        else:
            c["subUsecases"] = []
    return c


def generate(count: int, brands: int, seed: int) -> tuple[list[tuple[Any, Any]], Counter[str]]:
    """``count`` (brand, campaign) items over ``brands`` distinct brands, with a campaign each."""
    rng = random.Random(seed)
    brand_pool = [_brand(rng, i) for i in range(min(brands, count))]
    campaign_pool = [_campaign(rng, b) for b in brand_pool for _ in range(2)]
    items: list[tuple[Any, Any]] = []
    kinds: Counter[str] = Counter()
    for i in range(count):
        k = rng.randrange(len(brand_pool))
        roll = rng.random()
        campaign = campaign_pool[2 * k + (i & 1)]
        if roll < 0.8:
            items.append((brand_pool[k], campaign))
            kinds["brand+campaign"] += 1
        elif roll < 0.9:
            items.append((brand_pool[k], None))
            kinds["brand"] += 1
        else:
            items.append((None, campaign))
            kinds["campaign"] += 1
    return items, kinds


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    """Generate, lint and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="payloads to lint (default 100,000)")
    parser.add_argument("--brands", type=int, default=10_000, help="distinct brands (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    items, kinds = generate(args.count, args.brands, args.seed)
    generated = time.perf_counter() - t0
    rss_before = _rss_mb()
    lint(*items[0], today=TODAY)  # import the check modules outside the timing

    verdicts: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    for brand, campaign in items:
        t = time.perf_counter()
        verdicts[lint(brand, campaign, today=TODAY).verdict.value] += 1
        per_kind["brand+campaign" if brand and campaign else "brand" if brand else "campaign"] += (
            time.perf_counter() - t
        )
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()

    n = len(items)
    print(
        f"generated {n:,} payloads in {generated:.1f} s ({min(args.brands, n):,} distinct brands, "
        f"{2 * min(args.brands, n):,} distinct campaigns)"
    )
    print("verdicts: " + ", ".join(f"{v} {verdicts[v]:,}" for v in ("reject", "warn", "pass")))
    for kind in ("brand+campaign", "brand", "campaign"):
        if kinds[kind]:
            print(
                f"  {kind:<15} {kinds[kind]:>8,} payloads  {kinds[kind] / per_kind[kind]:>10,.0f} payloads/s"
            )
    print(
        f"linted {n:,} payloads in {elapsed:.2f} s: {n / elapsed:,.0f} payloads/s on one core (target 20,000)"
    )
    print(f"peak memory: {_rss_mb():.0f} MB max RSS ({rss_before:.0f} MB after generating the payloads)")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
