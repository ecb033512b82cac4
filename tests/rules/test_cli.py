"""The ``registry lint`` contract: input shapes, output, exit codes, streaming, text format, ``--rules``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.rules import CATALOG
from registry.rules.cli import _run, lint_command

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lint"
BASE = json.loads((FIXTURES / "_base.json").read_text())
TODAY = ["--today", "2026-11-27"]
BAD_BRAND = dict(BASE["brand"], ein="12-345", street="PO Box 9")


def run(args, stdin=None):
    return CliRunner().invoke(lint_command, args, input=stdin)


def results(result):
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_clean_brand_passes_with_exit_0():
    r = run(["-", *TODAY], json.dumps({"brand": BASE["brand"]}))
    assert r.exit_code == 0, r.output
    [res] = results(r)
    assert res["verdict"] == "pass"
    assert all(set(f) == {"rule", "severity", "field", "message", "hint"} for f in res["findings"])


def test_any_reject_exits_1_and_results_keep_input_order(tmp_path):
    path = tmp_path / "payloads.json"
    path.write_text(
        json.dumps(
            [
                {"brand": BASE["brand"]},
                {"brand": BAD_BRAND},
                {"brand": dict(BASE["brand"], postalCode="60606-6303")},
            ]
        )
    )
    r = run([str(path), *TODAY])
    assert r.exit_code == 1
    verdicts = [x["verdict"] for x in results(r)]
    assert verdicts == ["pass", "reject", "warn"]
    rules = {f["rule"] for f in results(r)[1]["findings"]}
    assert {"BRAND-EIN-FORMAT", "BRAND-ADDRESS-DELIVERABLE"} <= rules


def test_brand_and_campaign_together_and_comment_keys():
    item = {"_comment": "a note", "brand": BASE["brand"], "campaign": BASE["campaign"]}
    r = run(["-", *TODAY], json.dumps([item, {"campaign": BASE["campaign"], "brand": None}]))
    assert r.exit_code in (0, 1)
    assert len(results(r)) == 2


def test_empty_array_prints_an_empty_array():
    r = run(["-"], "  [ ] ")
    assert r.exit_code == 0
    assert results(r) == []


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("", "empty"),
        ('"a string"', "not a JSON object or array"),
        ("[1]", "input[0] must be an object"),
        ('[{"brand": {}}, {"brnad": {}}]', "input[1] has an unknown key 'brnad'"),
        ("{}", "neither 'brand' nor 'campaign'"),
        ('{"brand": []}', "brand must be an object, not an array"),
        ('{"brand": {"ein": 123456789}}', "brand.ein must be a string, not the number 123456789"),
        ('{"campaign": {"subUsecases": "MARKETING"}}', "campaign.subUsecases must be an array of strings"),
        ('{"campaign": {"subUsecases": ["MARKETING", 2]}}', "campaign.subUsecases[1] must be a string"),
        ('{"campaign": {"embeddedLink": "yes"}}', "campaign.embeddedLink must be true or false"),
        ('{"campaign": {"mnoIds": [10017, "10035"]}}', "campaign.mnoIds[1] must be an integer"),
        ('{"campaign": {"forecastDailyVolume": 1.5}}', "non-negative integer"),
        ('[{"brand": {}} trailing', "not valid JSON"),
    ],
)
def test_unusable_input_exits_2_with_one_line_reason(stdin, reason):
    r = run(["-", *TODAY], stdin)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("registry lint: ")
    assert reason in lines[0]


def test_null_fields_mean_not_given():
    r = run(["-", *TODAY], json.dumps({"brand": dict(BASE["brand"], website=None, tag=None)}))
    assert r.exit_code == 0


def test_missing_file_and_missing_argument_and_bad_date_exit_2(tmp_path):
    for args in ([str(tmp_path / "nope.json")], [], ["-", "--today", "27/11/2026"]):
        r = run(args, "{}")
        assert r.exit_code == 2
        assert len(r.stderr.strip().splitlines()) == 1


def test_today_selects_the_rule_set():
    public = dict(
        BASE["brand"],
        entityType="PUBLIC_PROFIT",
        stockSymbol="ACMD",
        stockExchange="NASDAQ",
        companyName="Acme Dental Group Inc.",
    )
    before = results(run(["-", "--today", "2024-06-01"], json.dumps({"brand": public})))[0]
    after = results(run(["-", "--today", "2026-11-27"], json.dumps({"brand": public})))[0]
    assert before["verdict"] != "reject"
    assert "businessContactEmail" in {f["field"] for f in after["findings"] if f["severity"] == "error"}


def test_text_format_groups_findings_by_field():
    r = run(["-", "--format", "text", *TODAY], json.dumps([{"brand": BAD_BRAND}, {"brand": BASE["brand"]}]))
    assert r.exit_code == 1
    out = r.stdout
    assert out.startswith("Payload 1: REJECT (")
    assert "\n  ein\n    error    BRAND-EIN-FORMAT: " in out
    assert "\n  street\n    error    BRAND-ADDRESS-DELIVERABLE: " in out
    assert "fix: " in out
    assert "Payload 2: PASS" in out
    assert out.rstrip().endswith("2 payloads: 1 reject, 0 warn, 1 pass")


def test_rules_lists_the_whole_catalog_as_text_and_json():
    text = run(["--rules"])
    assert text.exit_code == 0
    for rule in CATALOG.values():
        assert rule.id in text.stdout
    assert "fix:" in text.stdout
    assert "source:" in text.stdout
    data = json.loads(run(["--rules", "--format", "json"]).stdout)
    assert {r["id"] for r in data} == set(CATALOG)
    assert all({"id", "severity", "scope", "title", "hint", "source"} <= set(r) for r in data)
    older = json.loads(run(["--rules", "--format", "json", "--today", "2024-06-01"]).stdout)
    assert "BRAND-AUTHPLUS-GATE" not in {r["id"] for r in older}


def test_large_array_is_linted_completely():
    brands = [{"brand": dict(BASE["brand"], displayName=f"Acme Dental {i % 500}")} for i in range(100_000)]
    brands[99_999] = {"brand": BAD_BRAND}
    r = run(["-", *TODAY], json.dumps(brands))
    assert r.exit_code == 1
    out = results(r)
    assert len(out) == 100_000
    assert out[0]["verdict"] == "pass"
    assert out[-1]["verdict"] == "reject"


class _TrickleIn(io.RawIOBase):
    """A large JSON array produced on demand, counting how much of it has been read."""

    def __init__(self, count: int) -> None:
        item = json.dumps({"brand": BASE["brand"]}).encode()
        self._parts = iter([b"[", *([item + b","] * (count - 1)), item, b"]"])
        self._buffer = b""
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            part = next(self._parts, None)
            if part is None:
                break
            self._buffer += part
        size = len(self._buffer) if size < 0 else size
        chunk, self._buffer = self._buffer[:size], self._buffer[size:]
        self.consumed += len(chunk)
        return chunk


class _WatchOut(io.StringIO):
    """Records how much input had been consumed when the first result was written."""

    def __init__(self, source: _TrickleIn) -> None:
        super().__init__()
        self.source = source
        self.consumed_at_first_write: int | None = None

    def write(self, s: str) -> int:
        if self.consumed_at_first_write is None:
            self.consumed_at_first_write = self.source.consumed
        return super().write(s)


def test_results_stream_out_before_the_input_is_read():
    from datetime import date

    source = _TrickleIn(20_000)
    out = _WatchOut(source)
    assert _run(source, out, "json", date(2026, 11, 27)) == 0
    assert len(json.loads(out.getvalue())) == 20_000
    assert out.consumed_at_first_write is not None
    assert out.consumed_at_first_write < source.consumed / 10


def test_jobs_lint_on_several_processes_with_the_same_output_in_the_same_order(tmp_path):
    items = [{"brand": dict(BASE["brand"], displayName=f"Acme Dental {i}")} for i in range(700)]
    items[3] = {"brand": BAD_BRAND}
    items[450] = {"brand": BASE["brand"], "campaign": BASE["campaign"]}
    path = tmp_path / "payloads.json"
    path.write_text(json.dumps(items))
    one, two = run([str(path), *TODAY]), run([str(path), *TODAY, "--jobs", "2"])
    assert (one.exit_code, two.exit_code) == (1, 1)
    assert two.stdout == one.stdout and len(results(two)) == 700  # 4 batches over 2 processes, in order
    assert run([str(path), *TODAY, "-j", "0", "--format", "text"]).stdout == run(
        [str(path), *TODAY, "--format", "text"]).stdout


def test_jobs_a_bad_item_late_still_exits_2_after_every_earlier_result():
    from datetime import date

    items = [json.dumps({"brand": BASE["brand"]})] * 450 + ['{"brand": []}'] + [json.dumps({"brand": BASE["brand"]})]
    source = io.BytesIO(("[" + ",".join(items) + "]").encode())
    out = io.StringIO()
    with pytest.raises(Exception, match=r"input\[450\]\.brand"):
        _run(source, out, "json", date(2026, 11, 27), jobs=2)
    assert out.getvalue().count('"verdict"') == 450


def test_the_registry_command_carries_lint():
    """The contract is ``registry lint``: run the installed command, not the click function."""
    import shutil
    import subprocess
    import sys

    registry = shutil.which("registry") or str(Path(sys.executable).with_name("registry"))
    done = subprocess.run([registry, "lint", "-", *TODAY], input=json.dumps({"brand": BAD_BRAND}),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)[0]["verdict"] == "reject"
    done = subprocess.run([registry, "lint", "-"], input="nope", capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2 and done.stderr.startswith("registry lint: ")
    rules = subprocess.run([registry, "lint", "--rules", "--format", "json"], capture_output=True, text=True,
                           timeout=60, check=True)
    assert {r["id"] for r in json.loads(rules.stdout)} == set(CATALOG)
