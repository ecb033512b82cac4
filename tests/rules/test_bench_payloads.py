"""The lint benchmark's generated payloads are realistic: TCR-valid pairings, mostly clean, and its
``--unique-text`` variant really shares no text field value between payloads."""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from registry.rules import lint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_lint_payloads", ROOT / "bench" / "lint.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sole_proprietor_brands_register_the_sole_proprietor_use_case(bench):
    items, _ = bench.generate(3000, 400, seed=5)
    pairs = [(b, c) for b, c in items if b and c]
    assert any(b["entityType"] == "SOLE_PROPRIETOR" for b, _ in pairs)
    for b, c in pairs:
        assert (b["entityType"] == "SOLE_PROPRIETOR") == (c["usecase"] == "SOLE_PROPRIETOR")


def test_generated_payloads_are_varied_and_mostly_clean(bench):
    items, kinds = bench.generate(2000, 300, seed=7)
    assert kinds["brand+campaign"] > kinds["brand"] > 0 and kinds["campaign"] > 0
    usecases = Counter(c["usecase"] for _, c in items if c)
    assert len(usecases) >= 8
    verdicts = Counter(lint(b, c, today=date(2026, 11, 27)).verdict.value for b, c in items)
    assert verdicts["pass"] > 0.6 * len(items)
    assert verdicts["reject"] > 0


def test_unique_text_gives_every_text_field_its_own_value(bench):
    items, _ = bench.generate(500, 50, seed=9, unique_text=True)
    total, distinct = bench._text_strings(items)
    assert total == distinct > 500
    shared, _ = bench.generate(500, 50, seed=9)
    assert bench._text_strings(shared)[1] < total


def test_every_payload_is_its_own_campaign_and_objects_are_not_shared(bench):
    """No payload repeats another (a cache of whole results would find nothing to reuse), brands repeat
    across their campaigns, and, as parsed from JSON, no two payloads share an object."""
    import json

    items, _ = bench.generate(3000, None, seed=3)
    campaigns = [c for _, c in items if c]
    assert len(campaigns) == len({json.dumps(c, sort_keys=True) for c in campaigns})
    brands = [b for b, _ in items if b]
    assert len({json.dumps(b, sort_keys=True) for b in brands}) < len(brands)
    seen: set[int] = set()
    for b, c in items:
        for payload in (b, c):
            if payload is not None:
                # (CPython shares empty and one-character strings, whatever parsed them)
                ids = {id(payload)} | {id(v) for v in payload.values()
                                       if isinstance(v, (list, dict)) or (isinstance(v, str) and len(v) > 1)}
                assert not ids & seen
                seen |= ids
