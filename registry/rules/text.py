"""Text helpers for the content rules: normalisation, brand names, URLs, phone numbers, placeholders, word
lists.

Everything here is pure and fast: the engine lints tens of thousands of payloads a second, so text is
normalised once into a :class:`Doc` (lower-cased, punctuation turned into single spaces, padded with a space
at each end) and word lists are matched against its word set and padded string with C-level set and substring
operations. Each word list also carries one compiled regex (``WordList.regex``) for callers that need spans.

Detection follows the rule catalog's "Notes on detection": phone numbers by shape (NANP-like digit groups, not
digit runs inside alphanumeric tokens), bracketed placeholders such as ``[link]`` count as a link or a phone,
brand names match leniently (case, punctuation, legal suffixes, display or legal name), word lists match whole
words and live in ``data/wordlists/<name>.txt`` with their source in a header comment.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, NamedTuple

__all__ = [
    "Doc",
    "Placeholder",
    "Url",
    "WordList",
    "brand_names",
    "contains_any",
    "doc",
    "domainlist",
    "find_phones",
    "find_placeholders",
    "find_urls",
    "host_in",
    "mentions",
    "normalise",
    "registrable_domain",
    "wordlist",
    "wordset",
]

# --------------------------------------------------------------------------------------------- normalisation


def wordset(words: str) -> frozenset[str]:
    """A frozenset of the space-separated ``words`` (keeps long constant word lists compact)."""
    return frozenset(words.split())


_PUNCT = string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00ab\u00bb\u00b7\u2022"
_SPACES = "\t\n\r\f\v"
_TO_SPACE = str.maketrans({c: " " for c in _PUNCT + _SPACES})
#: the same table for ASCII text as bytes: bytes.translate is several times faster than str.translate
_ASCII_TO_SPACE = bytes.maketrans(
    (string.punctuation + _SPACES).encode(), b" " * len(string.punctuation + _SPACES)
)


def normalise(text: str) -> str:
    """Lower-case ``text``, turn punctuation into spaces and pad it: ``"Acme, Inc."`` -> ``" acme inc "``."""
    if text.isascii():
        s = text.lower().encode().translate(_ASCII_TO_SPACE).decode()
    else:
        s = unicodedata.normalize("NFKC", text).lower().translate(_TO_SPACE)
    while "  " in s:
        s = s.replace("  ", " ")
    if not s.startswith(" "):
        s = " " + s
    if not s.endswith(" "):
        s += " "
    return s


class Doc:
    """One piece of text, parsed once: raw, lower-cased, normalised (``" a b "``) and, on demand, its
    words."""

    __slots__ = ("_phones", "_placeholders", "_prose", "_urls", "_words", "lower", "norm", "raw")

    def __init__(self, raw: str, norm: str | None = None) -> None:
        self.raw = raw
        self.lower = raw.lower()
        self.norm = normalise(raw) if norm is None else norm
        self._words: frozenset[str] | None = None
        self._urls: tuple[Url, ...] | None = None
        self._phones: tuple[str, ...] | None = None
        self._placeholders: tuple[Placeholder, ...] | None = None
        self._prose: str | None = None

    @property
    def prose(self) -> str:
        """The normalised text without its URLs and e-mail addresses (``" a b "``)."""
        if self._prose is None:
            raw = self.raw
            if "." in raw:
                for url in self.urls:
                    raw = raw.replace(url.text, " ")
                if "@" in raw:
                    raw = _EMAIL.sub(" ", raw)
            self._prose = normalise(raw) if raw is not self.raw else self.norm
        return self._prose

    @property
    def words(self) -> frozenset[str]:
        """The distinct normalised words."""
        if self._words is None:
            self._words = frozenset(self.norm.split())
        return self._words

    @property
    def urls(self) -> tuple[Url, ...]:
        """The URLs in the text (see :func:`find_urls`)."""
        if self._urls is None:
            self._urls = find_urls(self.raw)
        return self._urls

    @property
    def phones(self) -> tuple[str, ...]:
        """The phone numbers in the text, as digits (see :func:`find_phones`)."""
        if self._phones is None:
            self._phones = find_phones(self.raw)
        return self._phones

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        """The bracketed placeholders in the text (see :func:`find_placeholders`)."""
        if self._placeholders is None:
            self._placeholders = find_placeholders(self.raw)
        return self._placeholders

    def has(self, phrase: str) -> bool:
        """True when the normalised ``phrase`` (``" a b "``) occurs as whole words."""
        return phrase in self.norm

    def __repr__(self) -> str:
        return f"Doc({self.raw!r})"


def doc(text: str) -> Doc:
    """Parse ``text`` into a :class:`Doc`."""
    return Doc(text)


def join(docs: Iterable[Doc]) -> Doc:
    """One :class:`Doc` over several, without parsing again (phrases never match across the seams)."""
    docs = list(docs)
    joined = Doc.__new__(Doc)
    joined.raw = "\n".join(d.raw for d in docs)
    joined.lower = "\n".join(d.lower for d in docs)
    joined.norm = " ".join(d.norm for d in docs) or " "
    joined._words = None
    joined._urls = joined._phones = joined._placeholders = joined._prose = None
    return joined


# ------------------------------------------------------------------------------------------------ brand names

#: legal-form suffixes dropped when matching a brand name (TCR asks for the legal name "including Inc./LLC")
LEGAL_SUFFIXES = wordset(
    "inc incorporated llc l l c lllp llp lp ltd limited corp corporation co company plc pllc pc "
    "pa gmbh sa dba"
)
_MULTI_WORD_SUFFIXES = (" l l c ", " p l l c ", " l l p ", " l p ", " p c ", " p a ")


def _name_words(name: str) -> list[str]:
    norm = normalise(name)
    for suffix in _MULTI_WORD_SUFFIXES:
        if norm.endswith(suffix):
            norm = norm[: -len(suffix) + 1]
    words = norm.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return words


def _name_variants(name: str) -> set[str]:
    variants: set[str] = set()
    for form in {name, name.replace("&", " and ")}:
        words = _name_words(form)
        if not words:
            continue
        variants.add(" " + " ".join(words) + " ")
        if "and" in words and len(words) > 2:
            variants.add(" " + " ".join(w for w in words if w != "and") + " ")
        if len(words) > 1:
            variants.add(" " + "".join(w for w in words if w != "and") + " ")
    return {v for v in variants if len(v) > 3}


def brand_names(brand: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Normalised phrases that count as naming the brand: display name, legal name (without legal suffix),
    their run-together forms, and for a sole proprietor the owner's full name."""
    if not brand:
        return ()
    names = tuple(
        v if isinstance(v := brand.get(k), str) else None
        for k in ("displayName", "companyName", "firstName", "lastName")
    )
    return _brand_names(names)


@functools.lru_cache(maxsize=4096)
def _brand_names(names: tuple[str | None, ...]) -> tuple[str, ...]:
    display, company, first, last = names
    variants: set[str] = set()
    for value in (display, company):
        if value and value.strip():
            variants |= _name_variants(value)
    if first and last and first.strip() and last.strip():
        variants |= _name_variants(f"{first} {last}")
    return tuple(sorted(variants, key=len, reverse=True))


def mentions(d: Doc, phrases: Iterable[str]) -> bool:
    """True when ``d`` names any of the normalised ``phrases`` (e.g. from :func:`brand_names`) in its prose:
    a name inside a URL or an e-mail address (``acmedental.com``) does not count."""
    norm = d.norm
    single = False
    for p in phrases:
        if p in norm:
            if p.count(" ") > 2:
                return True  # a name of several words: a URL cannot hold it (a hyphenated domain aside)
            single = True
    if not single:
        return False
    prose = d.prose
    return prose is norm or any(p in prose for p in phrases)


# ------------------------------------------------------------------------------------------------------ URLs


class Url(NamedTuple):
    """A URL found in text. ``scheme`` is empty for a bare domain such as ``acme.com/x``."""

    text: str
    scheme: str
    host: str
    path: str


#: top-level domains accepted for a bare domain without a scheme (a scheme makes any host a URL); kept to
#: common and shortener TLDs so that abbreviations ("e.g.", "a.m.", "St.Louis") are not taken for domains
TLDS = wordset(
    "com net org edu gov mil int io co us ly gd cc vc me chat info biz app dev ai to link site "
    "online store shop xyz tv ws gl im la li lc nu sh sc su tk ml ga gq cf ca uk de fr au nz in "
    "mx es it nl eu ie ch at be se no dk fi pl pt br jp kr cn hk sg ph my vn id za ng ke us ps "
    "fm gg ac page news blog live today bio"
)
_DOT_LABEL = re.compile(r"\.([A-Za-z]{2,24})(?![A-Za-z0-9-])")
_BARE_URL = re.compile(
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?::\d{2,5})?((?:[/?#][^\s<>\"']*)?)"
)
_LEAD = "([<\"'{"
_TRAIL = ".,;:!?)]>\"'}"


def _token_bounds(s: str, i: int) -> tuple[int, int]:
    start = max(s.rfind(" ", 0, i), s.rfind("\n", 0, i), s.rfind("\t", 0, i)) + 1
    end = len(s)
    for sep in " \n\t":
        j = s.find(sep, i)
        if j != -1 and j < end:
            end = j
    return start, end


def _host_end(s: str, start: int, end: int) -> int:
    for sep in "/?#":
        j = s.find(sep, start, end)
        if j != -1:
            end = j
    return end


def find_urls(text: str) -> tuple[Url, ...]:
    """URLs in ``text``: anything with a scheme (``https://...``) and bare domains with a common TLD
    (``acme.com/x``, ``bit.ly/abc``). E-mail addresses are not URLs."""
    found: list[tuple[int, Url]] = []
    spans: list[tuple[int, int]] = []
    pos = text.find("://")
    while pos != -1:
        start, end = _token_bounds(text, pos)
        s = pos
        while s > start and text[s - 1].isalpha():
            s -= 1
        body_end = end
        while body_end > pos + 3 and text[body_end - 1] in _TRAIL:
            body_end -= 1
        host_end = _host_end(text, pos + 3, body_end)
        host = text[pos + 3 : host_end]
        if "@" in host or ":" in host:
            host = host.rsplit("@", 1)[-1].split(":", 1)[0]
        if s < pos and host:
            found.append(
                (s, Url(text[s:body_end], text[s:pos].lower(), host.lower(), text[host_end:body_end]))
            )
        spans.append((start, end))
        pos = text.find("://", end)
    for m in _DOT_LABEL.finditer(text):
        if m.group(1).lower() not in TLDS:
            continue
        i = m.start()
        inside = False
        for a, b in spans:
            if a <= i < b:
                inside = True
                break
        if inside:
            continue
        start, end = _token_bounds(text, i)
        spans.append((start, end))
        token = text[start:end]
        if "@" in token:
            continue  # an e-mail address
        lead = len(token) - len(token.lstrip(_LEAD))
        token = token.strip(_LEAD).rstrip(_TRAIL)
        mm = _BARE_URL.match(token)
        if mm and mm.end() == len(token) and mm.group(1).rsplit(".", 1)[-1].lower() in TLDS:
            found.append((start + lead, Url(token, "", mm.group(1).lower(), mm.group(2))))
    if not found:
        return ()
    if len(found) > 1:
        found.sort(key=lambda f: f[0])
    return tuple(u for _, u in found)


#: second-level labels under which registrations sit one level deeper (acme.co.uk)
_SECOND_LEVEL = wordset("co com net org gov edu ac ltd plc")


@functools.lru_cache(maxsize=8192)
def registrable_domain(host: str) -> str:
    """The registrable part of a host name: ``www.shop.acme.com`` -> ``acme.com``, ``a.acme.co.uk`` ->
    ``acme.co.uk``."""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# ---------------------------------------------------------------------------------------------- phone numbers

_PHONE = re.compile(
    r"(?:\+\s?1[\s.-]?|\b1[\s.-])?(?:\(\s?[2-9]\d{2}\s?\)\s?|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}"
    r"|\b[2-9]\d{2}[.-]\d{4}\b"
)
#: words that make a bare digit run an identifier, not a phone ("order 3125550142", "ref #...")
_ID_WORDS = re.compile(
    r"(?:order|tracking|track|confirmation|conf|ref|reference|invoice|inv|account|acct|case|ticket|claim|"
    r"policy|member|id|no|nr|receipt|transaction|booking|reservation|item|sku|serial|code|pin|#)\W{0,3}$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = str.maketrans("", "", " .-()+\u00a0")
_MASK_DIGITS = str.maketrans("123456789", "000000000")


def find_phones(text: str) -> tuple[str, ...]:
    """Phone numbers in ``text`` recognised by their NANP shape, with or without punctuation
    (``(312) 555-0142``, ``+1 312 555 0142``, ``312.555.0142``, ``3125550142``, ``555-0142``).

    Returned as digits (10 for a full number, 7 for a local one; a leading country code 1 is dropped). Digit
    runs inside alphanumeric tokens (``1Z999AA10123456784``) and bare runs labelled as an order, tracking or
    reference number are not phones. ``phonenumbers.PhoneNumberMatcher`` is not used: it validates numbers
    against the numbering plan (reviewers read shapes, not carrier data) and is several times slower.
    """
    digits = 0
    for d in "0123456789":
        digits += text.count(d)
        if digits >= 7:
            break
    else:
        return ()
    masked = text.translate(_MASK_DIGITS)
    found: list[str] = []
    n = len(text)
    i = masked.find("000")
    while i != -1:
        m = _PHONE.search(text, max(0, i - 5), i + 24)
        if m is None or m.start() > i + 1:
            nxt = i + 3
            while nxt < n and masked[nxt] == "0":
                nxt += 1
            i = masked.find("000", nxt)
            continue
        start, end = m.span()
        i = masked.find("000", end)
        before = text[start - 1] if start else " "
        after = text[end] if end < n else " "
        if before.isalnum() or before in "+-/#$_@" or after.isalnum() or after in "-/_@%":
            continue
        if after == "." and end + 1 < n and text[end + 1].isdigit():
            continue  # a decimal number
        raw = m.group(0)
        value = raw.translate(_DIGITS)
        if len(value) == 11 and value[0] == "1":
            value = value[1:]
        if raw.isdigit() and _ID_WORDS.search(text, max(0, start - 16), start):
            continue
        found.append(value)
    return tuple(found)


# ---------------------------------------------------------------------------------------------- placeholders


class Placeholder(NamedTuple):
    """A templated part of a message: ``[first name]``, ``{code}``. ``kind`` is ``link``, ``phone`` or
    ``other``; ``name`` is empty for an empty placeholder such as ``[]``."""

    text: str
    name: str
    kind: str


_PLACEHOLDER = re.compile(r"\[\[?([^\[\]]{0,60})\]\]?|\{\{?([^{}]{0,60})\}\}?")
_LINK_WORDS = frozenset(["link", "url", "website", "web", "shortlink", "hyperlink"])
_PHONE_WORDS = wordset("phone tel telephone mobile cell callback hotline")
_NOT_PHONE = wordset("order tracking confirmation account invoice ticket reference case member")


def find_placeholders(text: str) -> tuple[Placeholder, ...]:
    """Bracketed placeholders: ``[link]`` and ``[tracking link]`` are links, ``[phone-number]`` is a phone."""
    if "[" not in text and "{" not in text:
        return ()
    out = []
    for m in _PLACEHOLDER.finditer(text):
        name = (m.group(1) if m.group(1) is not None else m.group(2) or "").strip()
        words = set(normalise(name).split())
        if words & _LINK_WORDS:
            kind = "link"
        elif words & _PHONE_WORDS and not words & _NOT_PHONE:
            kind = "phone"
        else:
            kind = "other"
        out.append(Placeholder(m.group(0), name, kind))
    return tuple(out)


# ------------------------------------------------------------------------------------------------ word lists


class WordList:
    """A list of words and phrases matched as whole words against a :class:`Doc`.

    File format (``data/wordlists/<name>.txt``): ``#`` comment lines (the header names the source), one term
    per line (a word or a phrase, normalised like the text), and ``-phrase`` lines naming phrases that
    neutralise a term they contain (``-glue gun`` keeps "glue gun" from counting as "gun").
    """

    __slots__ = (
        "_regex",
        "by_key",
        "excludes",
        "key_words",
        "name",
        "phrases",
        "singles",
        "source",
        "terms",
    )

    def __init__(self, name: str, lines: Iterable[str]) -> None:
        self.name = name
        source: list[str] = []
        terms: list[str] = []
        excludes: list[str] = []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                source.append(line.lstrip("# "))
            elif line.startswith("-"):
                excludes.append(normalise(line[1:]))
            else:
                terms.append(normalise(line))
        self.source = " ".join(source)
        self.terms = tuple(dict.fromkeys(terms))
        self.singles = frozenset(t.strip() for t in self.terms if t.count(" ") == 2)
        self.phrases = tuple(t for t in self.terms if t.count(" ") > 2)
        self.by_key: dict[str, tuple[str, ...]] = {}
        for p in self.phrases:
            # a phrase is indexed by its longest word (the rarest, roughly), not its first: "no prescription
            # needed" waits for "prescription", so an ordinary "no" in the text costs nothing
            key = max(p.split(), key=len)
            self.by_key[key] = (*self.by_key.get(key, ()), p)
        self.key_words = frozenset(self.by_key)
        self.excludes: dict[str, tuple[str, ...]] = {
            t: tuple(e for e in excludes if t in e) for t in self.terms if any(t in e for e in excludes)
        }
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        """One compiled whole-word alternation of every term, for matching normalised text."""
        if self._regex is None:
            alts = sorted((re.escape(t.strip()) for t in self.terms), key=len, reverse=True)
            self._regex = re.compile(r"(?<![^\s])(?:" + "|".join(alts) + r")(?![^\s])")
        return self._regex

    def _counts(self, norm: str, term: str) -> bool:
        excl = self.excludes.get(term)
        if not excl:
            return True
        return norm.count(term) > sum(norm.count(e) for e in excl)

    def find(self, d: Doc, within: frozenset[str] | None = None) -> list[str]:
        """The terms of this list that occur in ``d`` (sorted; empty when none).

        ``within``: a word set known to hold every word of ``d`` (the joined text of all fields): candidates
        are drawn from it and confirmed on ``d.norm`` by substring, so ``d`` never builds its own word set.
        """
        words = d.words if within is None else within
        singles = self.singles.intersection(words) if not self.singles.isdisjoint(words) else ()
        keys = (
            self.key_words.intersection(words)
            if self.phrases and not self.key_words.isdisjoint(words)
            else ()
        )
        if not singles and not keys:
            return []
        norm = d.norm
        if within is None:
            hits = [f" {w} " for w in singles]
        else:
            hits = [t for w in singles if (t := f" {w} ") in norm]
        for key in keys:
            hits.extend(p for p in self.by_key[key] if p in norm)
        if hits and self.excludes:
            hits = [t for t in hits if self._counts(norm, t)]
        return sorted(t.strip() for t in hits)

    def any(self, d: Doc, within: frozenset[str] | None = None) -> bool:
        """True when any term of this list occurs in ``d`` (``within`` as for :meth:`find`)."""
        words = d.words if within is None else within
        if self.singles.isdisjoint(words) and (not self.phrases or self.key_words.isdisjoint(words)):
            return False
        return bool(self.find(d, within))

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"WordList({self.name!r}, {len(self.terms)} terms)"


_LISTS: dict[str, WordList] = {}


def wordlist(name: str) -> WordList:
    """The word list ``data/wordlists/<name>.txt``, loaded once."""
    wl = _LISTS.get(name)
    if wl is None:
        path = resources.files("registry.rules") / "data" / "wordlists" / f"{name}.txt"
        wl = _LISTS[name] = WordList(name, path.read_text(encoding="utf-8").splitlines())
    return wl


_DOMAINS: dict[str, frozenset[str]] = {}


def domainlist(name: str) -> frozenset[str]:
    """The domain list ``data/wordlists/<name>.txt`` (one lower-case domain per line), loaded once."""
    domains = _DOMAINS.get(name)
    if domains is None:
        path = resources.files("registry.rules") / "data" / "wordlists" / f"{name}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        domains = _DOMAINS[name] = frozenset(
            line.strip().lower() for line in lines if line.strip() and not line.lstrip().startswith("#")
        )
    return domains


def host_in(host: str, domains: frozenset[str]) -> str | None:
    """The entry of ``domains`` that ``host`` is, or is a subdomain of; ``None`` when none."""
    host = host.lower().rstrip(".")
    while True:
        if host in domains:
            return host
        dot = host.find(".")
        if dot == -1:
            return None
        host = host[dot + 1 :]


def contains_any(d: Doc, words: frozenset[str], within: frozenset[str] | None = None) -> bool:
    """True when ``d`` contains any of the single ``words`` (``within`` as for :meth:`WordList.find`)."""
    if within is None:
        return not words.isdisjoint(d.words)
    if words.isdisjoint(within):
        return False
    norm = d.norm
    return any(f" {w} " in norm for w in words.intersection(within))
