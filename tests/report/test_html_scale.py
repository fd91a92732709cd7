"""The HTML report of a large warehouse stays a page a person opens from a CI artifact: 600
generated events, three of them broken, give an index of every event, the broken ones drawn, and
under 2 MB (4.0 MB and 100 events drawn before the overview existed)."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.generate import generate
from pipeline.cli import main
from tests.conftest import corrupt

EVENTS = 600
BROKEN = ("1000-men-1000m-000020", "1000-men-1050m-000022", "1001-men-1200m-000068")


def test_a_600_event_report_is_an_index_and_its_failing_events(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(EVENTS, raw)
    for event in BROKEN:
        corrupt(raw / "events" / event / "page.txt", "- Nations: ", "- Nations: 1")
    report = tmp_path / "report.html"
    args = ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh"), "--output", str(report)]
    assert main(args) == 1
    page = report.read_text(encoding="utf-8")
    assert len(page.encode()) < 2_000_000
    index = re.findall(r'<tr class="event-line event-([a-z-]+)" id="index-([^"]+)"', page)
    assert len(index) == EVENTS
    assert index[:3] == [("failed", event) for event in BROKEN]
    assert re.findall(r'<section class="event" id="event-([^"]+)"', page) == list(BROKEN)
    assert page.count('<article class="failure') <= 25 * 43  # at most 25 a check
