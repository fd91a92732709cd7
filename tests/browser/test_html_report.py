"""The HTML report as a browser shows it: the DOM Chromium builds from the file `--format html`
writes, on the seed warehouse, on a corrupted copy of the seed page and on hostile values."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from checks.catalog import ALL_CHECKS
from pipeline.buildmark import BUILD_NAME
from pipeline.cli import main
from tests.browser.conftest import OpenPage
from tests.conftest import SEED, corrupt

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

FINAL_A = ["Ahn Hyun-soo", "Lee Ho-suk", "Apolo Anton Ohno", "Rusty Smith", "Li Ye"]
SEED_WARNINGS = [f"raw/events/{SEED}/page.txt:{line}" for line in (77, 84, 110)]


@pytest.fixture(scope="module")
def seed_report(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = tmp_path_factory.mktemp("report") / "report.html"
    args = ["check", "--warehouse", str(built_warehouse), "--format", "html"]
    assert main([*args, "--output", str(report)]) == 0
    return report


def texts(where: Page | Locator, selector: str) -> list[str]:
    """The text of every element `selector` finds, stripped."""
    return [text.strip() for text in where.locator(selector).all_text_contents()]


def test_verdict_checks_and_warnings(open_page: OpenPage, seed_report: Path) -> None:
    page = open_page(seed_report)
    assert page.locator("#verdict").text_content() == "PASSED"
    counts = {
        div.get_attribute("data-count"): div.locator("dd").text_content()
        for div in page.locator("#summary .count").all()
    }
    assert counts == {
        "checks": "47",
        "passed": "46",
        "failed": "0",
        "warned": "1",
        "waived": "0",
        "errors": "0",
        "warnings": "3",
        "waived_failures": "0",
    }
    rows = page.locator("table.checks tbody tr")
    assert rows.count() == len(ALL_CHECKS)
    # The check that warned first, then the 46 that passed, folded.
    warned_first = ["identity.indirect-name"] + [
        c.id for c in ALL_CHECKS if c.id != "identity.indirect-name"
    ]
    assert [row.get_attribute("data-check") for row in rows.all()] == warned_first
    assert rows.first.is_visible() and not rows.nth(1).is_visible()
    folded = page.locator("details.passed-checks")
    assert texts(folded, "summary") == ["46 checks passed"]
    folded.locator("summary").click()
    assert rows.nth(1).is_visible()
    build = {
        div.get_attribute("data-build"): (div.locator("dd").text_content() or "").strip()
        for div in page.locator("#build div").all()
    }
    assert BUILD_NAME.fullmatch(build["id"].removesuffix(" published"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", build["date"])
    assert build["raw"] == "raw"
    index = page.locator("#overview table.event-index tbody tr")
    assert [c.strip() for c in index.first.locator("td").all_text_contents()] == [
        "warned",
        f"Men's 1000 metres {SEED}",
        "2006 Winter Olympics",
        "2006-02-15 to 2006-02-18",
        "",
        "3",
        "",
    ]
    grid = page.locator("#overview table.coverage-grid")
    assert [row.get_attribute("data-year") for row in grid.locator("tbody tr").all()] == [
        "1992",
        "1994",
        "1998",
        "2002",
        "2006",
        "2010",
        "2014",
        "2018",
    ]
    covered = grid.locator("td.covered a")
    assert covered.count() == 1 and covered.get_attribute("href") == f"#event-{SEED}"
    assert grid.locator("td.missing").count() == 55
    assert texts(page, "#overview .coverage-sentence") == [
        "1 of 56 Olympic events 1992–2018 present (8 Games in the references of raw/reference/); "
        "pipeline list events --missing lists the 55 missing."
    ]
    medals = page.locator("#overview table.medal-table tbody tr")
    assert [[c.strip() for c in row.locator("td").all_text_contents()] for row in medals.all()] == [
        ["1", "KOR", "South Korea", "1", "1", "0", "2"],
        ["2", "USA", "United States", "0", "0", "1", "1"],
    ]
    warned = page.locator('tr[data-check="identity.indirect-name"] td')
    assert [cell.strip() for cell in warned.all_text_contents()[1:4]] == ["warn", "warned", "3"]
    assert texts(page, ".failure .location") == SEED_WARNINGS
    blamed = texts(page, ".failure .source-line.blamed .text")
    assert blamed == [
        "| 1 | Ahn Hyun-Soo | | 1:29.371 | Q |",
        "| 1 | Li Juajun | | 1:28.179 | Q |",
        "| 1 | Ahn Hyun-Soo | | 1:27.900 | QA |",
    ]


def test_bracket_standings_and_chart(open_page: OpenPage, seed_report: Path) -> None:
    page = open_page(seed_report)
    assert texts(page, ".round h4") == [
        "Heats 2006-02-15",
        "Quarterfinals 2006-02-18",
        "Semifinals 2006-02-18",
        "Finals 2006-02-18",
    ]
    assert [
        page.locator(f'.round[data-round="{r}"] .race').count()
        for r in ("heats", "quarterfinals", "semifinals", "finals")
    ] == [7, 4, 2, 2]
    final_a = page.locator('.race[data-race="Final A"]')
    assert texts(final_a, ".entry .name") == FINAL_A
    assert texts(final_a, ".entry .result") == [
        "1:26.739",
        "1:26.764",
        "1:26.927",
        "1:27.435",
        "1:29.918",
    ]
    assert texts(page, '.race[data-race="Final B"] .not-held') == [
        "Not contested; placed from it: 6. Li Jiajun (CHN)"
    ]
    semifinal_1 = page.locator('.race[data-race="Semifinal 1"] .entry')
    assert [row.get_attribute("class") for row in semifinal_1.all()] == [
        "entry status-finished advanced",
        "entry status-finished advanced",
        "entry status-finished advanced",
        "entry status-DQ",
    ]
    assert texts(page, '.race[data-race="Semifinal 1"] .next') == ["→ Final A"] * 3
    assert texts(page, '.race[data-race="Semifinal 1"] .note-mark') == ["QA", "QA", "ADV"]

    standings = page.locator("table.standings tbody tr")
    assert standings.count() == 26
    assert [c.strip() for c in standings.first.locator("td").all_text_contents()] == [
        "1",
        "Ahn Hyun-soo",
        "KOR",
        "Final A",
        "136",
        "1:26.739",
    ]
    assert texts(page, "table.standings tbody tr td:nth-child(2)")[:5] == FINAL_A

    chart = page.locator("svg.record-chart")
    assert chart.count() == 1
    points = chart.locator("circle.record")
    assert [p.get_attribute("data-time") for p in points.all()] == [
        "1:27.048",
        "1:27.000",
        "1:26.739",
    ]
    assert [p.get_attribute("data-race") for p in points.all()] == [
        "Heat 1",
        "Quarterfinal 1",
        "Final A",
    ]
    assert chart.locator("line.prior").count() == 1
    assert texts(chart, "text.prior-label") == ["OR before: 1:27.185 Mathieu Turcotte"]
    # Drawn where the numbers say: later races to the right, faster records lower.
    boxes = [p.bounding_box() for p in points.all()]
    assert all(box is not None for box in boxes)
    xs = [box["x"] for box in boxes if box]
    ys = [box["y"] for box in boxes if box]
    assert xs == sorted(xs) and ys == sorted(ys)


@pytest.mark.parametrize("width", [1280, 390])
def test_no_horizontal_overflow(open_page: OpenPage, seed_report: Path, width: int) -> None:
    page = open_page(seed_report, width)
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert (scroll_width, inner_width) == (width, width)
    # Nor inside: no table, race box or excerpt wider than the room it has.
    assert (
        page.evaluate(
            """Array.from(document.querySelectorAll('.table-wrap, .race, .excerpt, .round'))
               .filter(e => e.scrollWidth > e.clientWidth).length"""
        )
        == 0
    )


def test_a_failure_is_shown_among_its_raw_lines(
    open_page: OpenPage, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    code, report = html_report(raw_copy, tmp_path)
    assert code == 1
    page = open_page(report)
    assert page.locator("#verdict").text_content() == "FAILED"
    row = page.locator('tr[data-check="tallies.competitors"]')
    assert row.get_attribute("class") == "check check-failed"
    failure = page.locator('.failure[data-check="tallies.competitors"]')
    assert failure.count() == 1
    assert texts(failure, ".location") == [f"{seed_copy}:8"]
    assert texts(failure, ".message") == ["the infobox claims 25 competitors; the results have 26"]
    lines = failure.locator(".source-line")
    assert [line.get_attribute("data-line") for line in lines.all()] == ["6", "7", "8", "9", "10"]
    assert texts(failure, ".source-line .text") == [
        "- Venue: Torino Palavela",
        "- Dates: 15–18 February 2006",
        "- Competitors: 25",
        "- Nations: 17",
        "- Gold: Ahn Hyun-soo",
    ]
    assert texts(failure, ".source-line.blamed .text") == ["- Competitors: 25"]
    background = failure.locator(".source-line.blamed").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert background == "rgb(255, 241, 168)"  # highlighted, the others not
    assert (
        failure.locator(".source-line").nth(0).evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgba(0, 0, 0, 0)"
    )


def test_a_failure_links_to_its_row_in_the_bracket_and_back(
    open_page: OpenPage, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    corrupt(seed_copy, "| 2 | Li Ye | | 1:27.078 |", "| 2 | Li Ye | | 1:26.078 |")
    code, report = html_report(raw_copy, tmp_path)
    assert code == 1
    page = open_page(report)
    failure = page.locator('.failure[data-check="ranks.time-order"]')
    assert failure.count() == 1
    line = failure.get_attribute("data-line")
    failure.locator("a.location").click()
    row = page.locator("tr.entry:target")
    assert row.count() == 1 and row.is_visible()
    assert "blamed" in (row.get_attribute("class") or "")
    assert texts(row, ".name") == ["Li Ye"] and texts(row, ".result") == ["1:26.078"]
    back = row.locator('a.mark[href^="#failure-"]', has_text="ranks.time-order")
    back.click()
    assert page.locator("article.failure:target").get_attribute("data-line") == line
    assert page.locator("#overview tr.event-failed").count() == 1


def test_hostile_values_are_shown_as_text(
    open_page: OpenPage, raw_copy: Path, seed_copy: Path, tmp_path: Path
) -> None:
    script, img = "<script>alert(1)</script>", "<img src=x onerror=alert(2)>"
    corrupt(
        seed_copy,
        "| 4 | Paul Stanley | | 1:28.511 | |",
        f"| 4 | Paul Stanley | | 1:28.511 | {script} |",
    )
    corrupt(seed_copy, "- Competitors: 26", "- Competitors: 25")
    waivers = raw_copy / "waivers.toml"
    waivers.write_text(
        waivers.read_text(encoding="utf-8")
        + f'\n[[waiver]]\ncheck = "tallies.competitors"\nfile = "events/{SEED}/page.txt"\n'
        f'line = 8\nreason = "Reviewed {img} & kept"\n',
        encoding="utf-8",
    )
    code, report = html_report(raw_copy, tmp_path)
    assert code == 1
    page = open_page(report)  # fails the test on any alert or fetch
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    note = page.locator('.failure[data-check="results.note-values"]')
    assert texts(note, ".source-line.blamed .text") == [
        f"| 1 | 4 | Paul Stanley | | 1:28.511 | {script} |"
    ]
    assert script in (note.locator(".expected").text_content() or "")
    waived = page.locator('.failure.waived[data-check="tallies.competitors"]')
    assert texts(waived, ".reason") == [f"Reviewed {img} & kept"]
    assert texts(page, '.race[data-race="Heat 1"] .note-mark') == ["Q", "Q", script]


def test_bad_input_page(open_page: OpenPage, raw_copy: Path, tmp_path: Path) -> None:
    """A refused run's page: its verdict, and each problem at its line, as Chromium shows it,
    hostile text shown as text, no wider than a phone."""
    page_file = raw_copy / "events" / SEED / "page.txt"
    corrupt(page_file, "| 1 | Rusty Smith |", "| 1x<b>bold</b> | Rusty Smith |")
    corrupt(page_file, "| 2 | Li Ye | | 1:27.078 |", "| 2 | Li Ye | | 1;27.078 |")
    code, report = html_report(raw_copy, tmp_path)
    assert code == 2
    page = open_page(report, width=390)
    assert page.locator("#verdict").text_content() == "INPUT ERROR"
    assert page.locator("b").count() == 0
    shown = page.locator("li.input-error")
    assert [item.get_attribute("data-line") for item in shown.all()] == ["69", "70"]
    assert "found '1x<b>bold</b>'" in (shown.first.text_content() or "")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def html_report(raw: Path, tmp_path: Path) -> tuple[int, Path]:
    """`pipeline run` of `raw` with its report written as HTML: the exit code and the page."""
    report = tmp_path / "report.html"
    args = ["run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")]
    return main([*args, "--format", "html", "--output", str(report)]), report
