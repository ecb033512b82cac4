"""Lint benchmark: lints generated, varied brand/campaign payloads in-process and prints payloads/second (CPU
time of this process) and memory.

    .venv/bin/python bench/lint.py [--count 100000] [--brands COUNT*2/5] [--seed 1] [--unique-text] [--profile]

Payloads are realistic TCR brand and campaign payloads built from pools of names, addresses and message
templates: several use cases (sole proprietor brands register the SOLE_PROPRIETOR use case, as TCR requires),
two to five samples drawn from a dozen templates per use case, varied descriptions, message flows (web form,
keyword, checkout, app, paper form, verbal), opt-in/opt-out/HELP wording, keywords, links, phone numbers and
placeholders. Most payloads are clean; about one in six brands and one in six campaigns carries a typical
mistake (free-mail support address, PO box, ZIP+4, bad EIN prefix, http website, missing opt-out language,
public URL shortener, generic description, pre-ticked consent box, promotion in a notification campaign...).

What is shared, as in an ISV's real bulk lint, and what is not:

- Every campaign payload is its own campaign (no payload is a repeat of another), and every payload is
  parsed from JSON like the CLI's input, so no two payloads share an object: whatever the engine reuses, it
  finds by content.
- Brands repeat across their campaigns: ``--brands`` distinct brands (default two fifths of ``--count``, about
  2.3 campaigns a brand) are shared by the payloads, each payload picking one at random (80% brand+campaign
  pairs, 10% brand only, 10% campaign only), in random order: a brand's campaigns are spread over the file, the
  hardest case for the caches.
- Campaign text repeats where an ISV's real text does: a business words its opt-in, opt-out and HELP
  messages, message frequency and offer once for all its campaigns, and every campaign fills the ISV's
  templates (description, message flow, samples) with the brand's name, domain and phone number, so brands
  that share a name share the texts that carry no link or number. The engine keeps the analysis of each
  distinct text field value (an LRU cache keyed by the string); the output states how many distinct field
  strings the run had and how often the cache answered.

``--unique-text`` gives every payload a campaign whose every text field (description, message flow, samples,
opt-in/opt-out/HELP messages, links) is unique, so no text analysis is ever reused; add ``--brands`` equal to
``--count`` to make every brand unique as well (the worst case for every cache).

Like ``registry lint`` on a large file, the run streams: the payloads are held as JSON text, and each is parsed
just before it is linted (parsing is not timed), so the engine sees one freshly parsed payload at a time, not
a hundred thousand objects the garbage collector would walk.

Figures are CPU time of this process (``time.process_time``), not wall time: the machine may be shared.
Target (issue #3): 20,000 payloads/s on one core.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
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
from registry.rules.text import FIELD_CACHE_SIZE, field_doc

TODAY = date(2026, 11, 27)
TEXT_FIELDS = ("description", "messageFlow", "sample1", "sample2", "sample3", "sample4", "sample5",
               "optinMessage", "optoutMessage", "helpMessage")

FIRST = [
    "Acme", "Harbor", "Summit", "Blue", "Lakeside", "Pioneer", "Evergreen", "Northside", "Maple", "Golden",
    "Riverbend", "Cedar", "Liberty", "Sunrise", "Granite", "Willow", "Beacon", "Prairie", "Coastal", "Orchard",
    "Redwood", "Silver", "Keystone", "Meridian"
]
SECOND = [
    "Dental", "Plumbing", "Fitness", "Realty", "Bakery", "Auto", "Pharmacy", "Veterinary", "Insurance", "Roofing",
    "Salon", "Logistics", "Tutoring", "Electric", "Landscaping", "Coffee", "Clinic", "Motors", "Cleaners", "Law",
    "Accounting", "Florist", "Pet", "Care", "Storage"
]
SUFFIX = ["LLC", "Inc.", "Corp.", "Co.", "LLP", "Group LLC", "Holdings, Inc.", "PLLC"]
CITIES = [("Chicago", "IL", "606", "312"), ("Austin", "TX", "787", "512"), ("Denver", "CO", "802", "303"),
          ("Seattle", "WA", "981", "206"), ("Boston", "MA", "021", "617"), ("Atlanta", "GA", "303", "404"),
          ("Phoenix", "AZ", "850", "602"), ("Miami", "FL", "331", "305"), ("Portland", "OR", "972", "503"),
          ("Nashville", "TN", "372", "615"), ("Columbus", "OH", "432", "614"), ("San Diego", "CA", "921", "619")]
STREETS = [
    "Main", "Oak", "Elm", "Washington", "Lake", "Park", "Pine", "Maple", "Cedar", "Hill", "River", "Market",
    "Broadway", "Wacker", "Congress"
]
KINDS = ["Street", "Avenue", "Boulevard", "Drive", "Road", "Lane"]
VERTICALS = ["HEALTHCARE", "RETAIL", "REAL_ESTATE", "PROFESSIONAL", "CONSTRUCTION", "HOSPITALITY", "INSURANCE",
             "TRANSPORTATION", "TECHNOLOGY", "EDUCATION"]
PEOPLE = [("Maria", "Gonzalez"), ("James", "Okafor"), ("Linh", "Nguyen"), ("Sarah", "Schoolcraft"), ("David", "Kim"),
          ("Aisha", "Rahman"), ("Tom", "Gunther"), ("Elena", "Petrova")]
EIN_PREFIXES = ["12", "20", "26", "27", "30", "33", "45", "46", "47", "81", "82", "83", "84", "88", "91", "98"]


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
        f"{rng.choice(STREETS)} {rng.choice(KINDS)}" + rng.choice(["", "", f", Suite {rng.randint(100, 900)}"]),
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
        if rng.random() < 0.6:
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


# ------------------------------------------------------------------------------------------------- campaigns
# {n} brand name, {d} brand domain, {p} a phone number of the brand

_OFFERS = ["20% off all services this week", "a free consultation for new clients in May",
           "$15 off your next visit", "our spring sale: two for one until Sunday", "early access to new arrivals"]
SAMPLES: dict[str, list[str]] = {
    "MARKETING": [
        "{n}: {offer}. Book at https://www.{d}/book Reply STOP to opt out.",
        "{n}: Hi [first name], members get {offer}. Details: https://www.{d}/offers Reply STOP to opt out.",
        "{n}: {offer}! Show this text in store. Txt STOP to unsubscribe.",
        "{n}: New this month: {offer}. See https://www.{d}/news Reply STOP to end.",
        "{n}: Thanks for being a loyal customer, [first name]. Enjoy {offer}. Reply STOP to opt out.",
        "{n}: Last chance for {offer}. Call {p} to reserve. Reply STOP to opt out.",
    ],
    "ACCOUNT_NOTIFICATION": [
        "{n}: Your appointment is confirmed for [date] at [time]. Reply STOP to opt out.",
        "{n}: Your invoice [invoice number] is ready in your account. Reply STOP to opt out.",
        "{n}: Reminder: your payment of [amount] is due on [date]. Reply STOP to opt out.",
        "{n}: Your password was changed on [date]. If this was not you, call {p}. Reply STOP to opt out.",
        "{n}: Your statement for [month] is available at https://www.{d}/account Reply STOP to opt out.",
        "{n}: Hi [first name], your reservation for [date] is confirmed. Reply STOP to opt out.",
    ],
    "2FA": [
        "{n}: Your verification code is [code]. It expires in 10 minutes. Do not share it.",
        "{n}: Use [code] to sign in to your account. If you did not request it, ignore this message.",
        "{n}: [code] is your one-time passcode. Never share it with anyone.",
        "{n}: Your login code is [code]. It is valid for 5 minutes.",
    ],
    "CUSTOMER_CARE": [
        "{n}: Thanks for contacting support, ticket [ticket] is open. Reply STOP to opt out.",
        "{n}: An agent replied to your request [ticket]. Reply here or STOP to opt out.",
        "{n}: Hi [first name], how did we do today? Reply with any questions. Reply STOP to opt out.",
        "{n}: Your support case [case number] was resolved. Need more help? Call {p}. Reply STOP to opt out.",
    ],
    "DELIVERY_NOTIFICATION": [
        "{n}: Your order [order id] has shipped and arrives [date]. Reply STOP to opt out.",
        "{n}: Your order [order id] was delivered today. Reply STOP to opt out.",
        "{n}: Your package is out for delivery. Track it at https://www.{d}/track Reply STOP to opt out.",
        "{n}: Your prescription order is ready for pickup at our [store] location. Reply STOP to opt out.",
    ],
    "SECURITY_ALERT": [
        "{n}: A new sign-in to your account from [device] on [date]. Not you? Call {p}. Reply STOP to opt out.",
        "{n}: Your password was reset on [date]. If you did not do this, contact us at {p}. Reply STOP to opt out.",
    ],
    "POLLING_VOTING": [
        "{n}: How was your visit on [date]? Reply 1-5 to rate us. Reply STOP to opt out.",
        "{n}: Quick survey: which hours work best for you? Reply A, B or C. Reply STOP to opt out.",
    ],
    "SOLE_PROPRIETOR": [
        "{n}: Hi [first name], your session is booked for [date] at [time]. Reply STOP to opt out.",
        "{n}: I have openings next week, reply to book a time. Reply STOP to opt out.",
        "{n}: Your invoice for [service] is ready: https://www.{d}/pay Reply STOP to opt out.",
        "{n}: Reminder: your appointment is tomorrow at [time]. Reply STOP to opt out.",
    ],
}
SUBS = {"MIXED": [["ACCOUNT_NOTIFICATION", "MARKETING"], ["CUSTOMER_CARE", "MARKETING"],
                  ["ACCOUNT_NOTIFICATION", "DELIVERY_NOTIFICATION", "MARKETING"]],
        "LOW_VOLUME": [["CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"], ["ACCOUNT_NOTIFICATION"]]}
#: use case -> (weight, sample pools drawn from)
USECASES = {
    "MARKETING": (28, ["MARKETING"]), "MIXED": (14, ["ACCOUNT_NOTIFICATION", "MARKETING"]),
    "ACCOUNT_NOTIFICATION": (18, ["ACCOUNT_NOTIFICATION"]), "2FA": (10, ["2FA"]),
    "CUSTOMER_CARE": (10, ["CUSTOMER_CARE"]), "DELIVERY_NOTIFICATION": (9, ["DELIVERY_NOTIFICATION"]),
    "LOW_VOLUME": (5, ["CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"]), "SECURITY_ALERT": (3, ["SECURITY_ALERT"]),
    "POLLING_VOTING": (3, ["POLLING_VOTING"]),
}
PURPOSES = {
    "MARKETING": "promotions, seasonal offers and event news", "MIXED": "account updates and occasional offers",
    "ACCOUNT_NOTIFICATION": "appointment reminders, billing notices and account updates",
    "2FA": "one-time verification codes for signing in", "CUSTOMER_CARE": "replies to support requests and tickets",
    "DELIVERY_NOTIFICATION": "order shipping and delivery updates", "SECURITY_ALERT": "security alerts about sign-ins",
    "POLLING_VOTING": "short customer feedback surveys", "LOW_VOLUME": "support replies and account notices",
    "SOLE_PROPRIETOR": "appointment reminders and booking confirmations",
}
DESCRIPTIONS = [
    "{n} sends {purpose} to customers who opted in on https://www.{d} or by texting JOIN.",
    "{n} uses this campaign to send {purpose} to its customers, who sign up on our website or in store.",
    "Customers of {n} who opt in receive {purpose}. Opt-in is collected on {d} and at checkout.",
    "This campaign lets {n} send {purpose} to patients and clients who asked to receive texts.",
]
FREQUENCIES = ["Msg frequency varies", "Up to 4 msgs/month", "Recurring messages, up to 8 per month",
               "Message frequency varies"]
FLOWS = [
    "Customers opt in on the web form at https://www.{d}/sms by entering their number and ticking an unchecked "
    "box labelled 'Text me updates from {n}. {f}. Msg & data rates may apply. Reply HELP for help, STOP to cancel. "
    "Terms: https://www.{d}/terms Privacy: https://www.{d}/privacy'.",
    "Customers text JOIN to our number, shown on posters in our locations (photo: https://www.{d}/sms-poster). "
    "They receive: '{n}: {f}. Msg & data rates may apply. Reply HELP for help, STOP to cancel. "
    "Terms https://www.{d}/terms, privacy https://www.{d}/privacy'.",
    "At online checkout on https://www.{d}/checkout customers may tick an optional, unchecked box: 'Send me "
    "texts from {n}. {f}. Msg & data rates may apply. HELP for help, STOP to opt out. See terms "
    "https://www.{d}/terms and privacy policy https://www.{d}/privacy.' Consent is not a condition of purchase.",
    "Users opt in inside the {n} mobile app on the notifications screen (screenshot: https://www.{d}/app-optin) "
    "with the disclosure '{f}. Msg & data rates may apply. Reply HELP for help, STOP to cancel. Terms & "
    "privacy: https://www.{d}/terms https://www.{d}/privacy'.",
    "Clients sign a paper consent form at our front desk (copy: https://www.{d}/consent.pdf) that says '{n} "
    "will text you. {f}. Msg & data rates may apply. Reply HELP for help, STOP to cancel. Terms: "
    "https://www.{d}/terms Privacy: https://www.{d}/privacy'.",
]
OPTIN = ["{n}: You are subscribed. {f}. Msg & data rates may apply. Reply HELP for help, STOP to cancel.",
         "Welcome to {n} texts! {f}. Msg & data rates may apply. Text HELP for help or STOP to opt out.",
         "{n}: Thanks for joining. {f}. Msg&data rates may apply. Reply HELP for help. Reply STOP to unsubscribe."]
OPTOUT = ["{n}: You are unsubscribed and will receive no further messages.",
          "{n}: You have been opted out and will not receive any more texts. Reply START to resubscribe.",
          "You are unsubscribed from {n} alerts. No more messages will be sent."]
HELP = ["{n}: For help call {p} or visit https://www.{d}/help. Msg & data rates may apply. Reply STOP to cancel.",
        "{n}: Questions? Email support@{d} or call {p}. Reply STOP to opt out.",
        "{n} help: visit https://www.{d}/contact or call {p}. Msg & data rates may apply. Text STOP to end."]
OPTIN_KEYWORDS = ["JOIN,START", "START", "JOIN,SUBSCRIBE,START", "YES,START"]
OPTOUT_KEYWORDS = ["STOP,CANCEL,UNSUBSCRIBE,END,QUIT", "STOP,END,QUIT", "STOP,STOPALL,UNSUBSCRIBE,CANCEL"]


#: how a business words all its campaigns: (message frequency, offer, opt-in, opt-out and HELP templates)
Style = tuple[str, str, str, str, str]


def _style(rng: random.Random) -> Style:
    return (rng.choice(FREQUENCIES), rng.choice(_OFFERS), rng.choice(OPTIN), rng.choice(OPTOUT), rng.choice(HELP))


def _campaign(rng: random.Random, brand: dict[str, Any], style: Style) -> dict[str, Any]:
    """A campaign of ``brand``, worded in the business's ``style`` (the same for all its campaigns)."""
    n = brand["displayName"]
    d = (brand.get("website") or f"https://www.{n.lower().replace(' ', '').replace(chr(39), '')}.com").split(
        "//", 1)[1].removeprefix("www.")
    p = brand["phone"]  # the HELP line
    digits = "".join(ch for ch in p if ch.isdigit())[-10:]
    q = f"({digits[:3]}) {int(digits[3:6]) % 800 + 200}-{digits[6:]}"  # a booking line the samples may show
    f, offer, optin, optout, help_ = style
    if brand["entityType"] == "SOLE_PROPRIETOR":  # TCR: a sole proprietor brand registers only this use case
        usecase, pools = "SOLE_PROPRIETOR", ["SOLE_PROPRIETOR"]
    else:
        usecase = rng.choices(list(USECASES), [w for w, _ in USECASES.values()])[0]
        pools = USECASES[usecase][1]
    templates = [t for pool in pools for t in SAMPLES[pool]]
    count = rng.choice([2, 2, 2, 3, 3, 4, 5] if usecase not in ("2FA", "POLLING_VOTING") else [2, 2, 3])
    samples = [t.format(n=n, d=d, p=q, offer=offer) for t in rng.sample(templates, min(count, len(templates)))]
    c: dict[str, Any] = {
        "usecase": usecase,
        "subUsecases": list(rng.choice(SUBS[usecase])) if usecase in SUBS else [],
        "resellerId": "R000000",
        "description": rng.choice(DESCRIPTIONS).format(n=n, d=d, purpose=PURPOSES[usecase]),
        "messageFlow": rng.choice(FLOWS).format(n=n, d=d, f=f),
        **{f"sample{i}": s for i, s in enumerate(samples, 1)},
        "subscriberOptin": True,
        "subscriberOptout": True,
        "subscriberHelp": True,
        "optinKeywords": rng.choice(OPTIN_KEYWORDS),
        "optinMessage": optin.format(n=n, f=f),
        "optoutKeywords": rng.choice(OPTOUT_KEYWORDS),
        "optoutMessage": optout.format(n=n),
        "helpKeywords": rng.choice(["HELP,INFO", "HELP"]),
        "helpMessage": help_.format(n=n, d=d, p=p),
        "embeddedLink": any("https://" in s for s in samples),
        "embeddedPhone": any(q in s for s in samples),
        "numberPool": False,
        "ageGated": False,
        "directLending": False,
        "termsAndConditions": True,
        "privacyPolicyLink": f"https://www.{d}/privacy",
        "termsAndConditionsLink": f"https://www.{d}/terms",
        "autoRenewal": True,
    }
    if c["embeddedLink"]:
        c["embeddedLinkSample"] = next(w for s in samples for w in s.split() if w.startswith("https://"))
    if rng.random() < 0.3:  # a volume forecast, within the caps of the small use cases
        small = usecase in ("SOLE_PROPRIETOR", "LOW_VOLUME")
        c["forecastDailyVolume"] = rng.choice([100, 300, 800] if small else [300, 1500, 5000, 20000])
        c["forecastPeakTpm"] = rng.choice([5, 10] if small else [30, 60, 200, 1000])
    if rng.random() < 0.1:
        c["mnoIds"] = [10017, 10035, 10038]
    if rng.random() < 0.16:  # a typical mistake
        _mistake(rng, c, d)
    return c


def _mistake(rng: random.Random, c: dict[str, Any], d: str) -> None:
    mistake = rng.randrange(8)
    samples = [k for k in c if k.startswith("sample")]
    if mistake == 0:  # no opt-out language in the samples
        for k in samples:
            for cut in (" Reply STOP to opt out.", " Txt STOP to unsubscribe.", " Reply STOP to end.",
                        " or STOP to opt out"):
                c[k] = c[k].replace(cut, "")
    elif mistake == 1:  # a public URL shortener
        k = rng.choice(samples)
        c[k] = c[k] + " More: https://bit.ly/3xYz9"
        c["embeddedLink"] = True
        c.setdefault("embeddedLinkSample", "https://bit.ly/3xYz9")
    elif mistake == 2:
        c["description"] = "We send messages to our customers."
    elif mistake == 3:
        c["subUsecases"] = []
    elif mistake == 4:  # pre-ticked consent box
        c["messageFlow"] = c["messageFlow"].replace("an unchecked box", "a pre-checked box").replace(
            "an optional, unchecked box", "a pre-checked box")
    elif mistake == 5:  # no rates disclosure in the call to action
        c["messageFlow"] = c["messageFlow"].replace(" Msg & data rates may apply.", "")
    elif mistake == 6:  # http privacy policy
        c["privacyPolicyLink"] = f"http://{d}/privacy"
    else:  # promotion in a notification campaign
        c["sample1"] = c["sample1"].replace("Reply STOP", "Save 20% on your next order! Reply STOP", 1)


def _unique(campaign: dict[str, Any], serial: int) -> dict[str, Any]:
    """A copy of ``campaign`` in which every text field carries the payload's serial, spelled as a neutral word
    (consonants only, so it trips no rule and names no keyword) or, in links, a path segment."""
    letters = "bcdfghjklmnpqrstvwz"
    code, tag = serial, ""
    while True:
        code, r = divmod(code, len(letters))
        tag += letters[r]
        if not code:
            break
    c = dict(campaign)
    for i, field in enumerate(TEXT_FIELDS):
        value = c.get(field)
        if isinstance(value, str):
            c[field] = f"{value} Ref {tag}{'bcdfghjklm'[i]}."
    for field in ("privacyPolicyLink", "termsAndConditionsLink", "embeddedLinkSample"):
        if isinstance(c.get(field), str):
            c[field] = f"{c[field]}/{tag}"
    return c


def generate(count: int, brands: int | None = None, seed: int = 1, unique_text: bool = False
             ) -> tuple[list[tuple[Any, Any]], Counter[str]]:
    """``count`` (brand, campaign) items over ``brands`` distinct brands (default ``count * 2 // 5``): each
    campaign payload is a campaign of its own, every item is parsed from JSON (no objects shared)."""
    rng = random.Random(seed)
    brand_pool = [_brand(rng, i) for i in range(max(1, min(default_brands(count) if brands is None else brands,
                                                            count)))]
    styles = [_style(random.Random(seed * 1_000_003 + i)) for i in range(len(brand_pool))]
    items: list[tuple[Any, Any]] = []
    kinds: Counter[str] = Counter()
    for i in range(count):
        k = rng.randrange(len(brand_pool))
        roll = rng.random()
        if roll < 0.8:
            kind, brand, campaign = "brand+campaign", brand_pool[k], _campaign(rng, brand_pool[k], styles[k])
        elif roll < 0.9:
            kind, brand, campaign = "brand", brand_pool[k], None
        else:
            kind, brand, campaign = "campaign", None, _campaign(rng, brand_pool[k], styles[k])
        if unique_text and campaign is not None:
            campaign = _unique(campaign, i)
        items.append((brand, campaign))
        kinds[kind] += 1
    # as the CLI reads its input: each payload its own dicts and strings, equal values found by content only
    return [tuple(json.loads(json.dumps(item))) for item in items], kinds


def default_brands(count: int) -> int:
    """Distinct brands for ``count`` payloads: about 2.3 campaigns a brand."""
    return max(1, count * 2 // 5)


def _text_strings(items: list[tuple[Any, Any]]) -> tuple[int, int]:
    """(text field values in the campaigns linted, distinct ones among them)."""
    seen: set[str] = set()
    total = 0
    for _, campaign in items:
        if campaign:
            for field in TEXT_FIELDS:
                value = campaign.get(field)
                if isinstance(value, str):
                    total += 1
                    seen.add(value)
    return total, len(seen)


def _distinct(payloads: list[Any]) -> int:
    """How many distinct payloads (by content) are among ``payloads`` (``None`` left out)."""
    return len({hash(json.dumps(p, sort_keys=True)) for p in payloads if p is not None})


def _rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    """Resident memory of this process now (MB; Linux ``/proc``, else the peak)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 1048576
    except OSError:
        return _rss_mb()


def main(argv: list[str] | None = None) -> None:
    """Generate, lint and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="payloads to lint (default 100,000)")
    parser.add_argument("--brands", type=int, default=None,
                        help="distinct brands (default two fifths of --count: about 2.3 campaigns a brand)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unique-text", action="store_true",
                        help="give every payload its own campaign whose every text field is unique")
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    args = parser.parse_args(argv)

    t0 = time.process_time()
    items, kinds = generate(args.count, args.brands, args.seed, args.unique_text)
    generated = time.process_time() - t0
    texts, distinct = _text_strings(items)
    n_brands, n_campaigns = _distinct([b for b, _ in items]), _distinct([c for _, c in items])
    n = len(items)
    stream = [json.dumps(item) for item in items]  # the input file, one payload a line
    del items
    gc.collect()
    rss_before = _current_rss_mb()
    lint(None, {"usecase": "MARKETING"}, today=TODAY)  # import the check modules outside the timing
    field_doc.cache_clear()

    verdicts: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()
    profiler = cProfile.Profile() if args.profile else None
    clock = time.process_time
    elapsed = 0.0
    for line in stream:
        brand, campaign = json.loads(line)  # as the CLI reads a payload: not timed
        if profiler:
            profiler.enable()
        start = clock()
        verdict = lint(brand, campaign, today=TODAY).verdict.value
        took = clock() - start
        if profiler:
            profiler.disable()
        elapsed += took
        verdicts[verdict] += 1
        per_kind["brand+campaign" if brand and campaign else "brand" if brand else "campaign"] += took
    cache = field_doc.cache_info()

    with_brand = kinds["brand+campaign"] + kinds["brand"]
    print(f"generated {n:,} payloads in {generated:.1f} s, streamed as JSON (each parsed just before it is linted); "
          f"{n - kinds['brand']:,} carry a campaign, {n_campaigns:,} distinct"
          + (", every text field unique" if args.unique_text else "")
          + f"; {with_brand:,} carry a brand, {n_brands:,} distinct (each brand repeats with its campaigns)")
    print(f"text fields: {texts:,} values in the linted campaigns, {distinct:,} distinct strings (shared: a "
          "business's opt-in/opt-out/HELP wording, templates of brands of one name); field cache "
          f"(LRU, {FIELD_CACHE_SIZE:,} entries) answered {cache.hits:,} lookups, parsed {cache.misses:,} "
          f"({cache.hits / max(1, cache.hits + cache.misses):.0%} hits)")
    print("verdicts: " + ", ".join(f"{v} {verdicts[v]:,}" for v in ("reject", "warn", "pass")))
    for kind in ("brand+campaign", "brand", "campaign"):
        if kinds[kind]:
            print(f"  {kind:<15} {kinds[kind]:>8,} payloads  {kinds[kind] / per_kind[kind]:>10,.0f} payloads/s")
    print(f"linted {n:,} payloads in {elapsed:.2f} s of CPU time (time.process_time): {n / elapsed:,.0f} "
          f"payloads/s on one core (target 20,000)" + (" with every text field unique" if args.unique_text else ""))
    print(f"memory: {_current_rss_mb():.0f} MB RSS after linting, {rss_before:.0f} MB before (holding the input "
          f"text); peak {_rss_mb():.0f} MB (generating the payloads)")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    else:
        _cli_figures(stream)


def _cli_figures(stream: list[str]) -> None:
    """``registry lint FILE`` end to end (fresh process: reading, checking and writing JSON included), on one
    process and with ``--jobs`` one per CPU: wall-clock payloads/s."""
    import os
    import subprocess
    import tempfile

    cpus = os.cpu_count() or 1
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        objects = ({k: v for k, v in zip(("brand", "campaign"), json.loads(line), strict=True) if v is not None}
                   for line in stream)
        f.write("[\n" + ",\n".join(json.dumps(o) for o in objects) + "\n]\n")
    try:
        figures = []
        for jobs in sorted({1, cpus}):
            start = time.perf_counter()
            command = [sys.executable, "-c", "from registry.cli import main; main()", "lint", f.name,
                       "--today", TODAY.isoformat(), "--jobs", str(jobs)]
            done = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
            took = time.perf_counter() - start
            if done.returncode not in (0, 1):
                raise SystemExit(f"registry lint --jobs {jobs} failed with exit {done.returncode}")
            figures.append(f"{jobs} process{'es' if jobs > 1 else ''} {len(stream) / took:,.0f} payloads/s")
        print(f"registry lint FILE end to end (wall clock, {cpus} CPUs here): " + "; ".join(figures))
    finally:
        os.unlink(f.name)


if __name__ == "__main__":
    main()
