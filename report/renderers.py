"""Every report format, one renderer each: the check run (and the checked warehouse file and its
build, which the HTML page reads and names) to the text of the report. `--format` offers what
ReportFormat lists, and a test holds that each member has its renderer here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checks.outcome import CheckRun
from core.codes import ReportFormat
from report import machine, text
from report.build_info import UNKNOWN_BUILD, BuildInfo


def _html(run: CheckRun, database: Path, build: BuildInfo) -> str:
    from report import html_page  # jinja2 and DuckDB: only for this format

    return html_page.to_html(run, database, build)


RENDERERS: dict[ReportFormat, Callable[[CheckRun, Path, BuildInfo], str]] = {
    ReportFormat.text: lambda run, database, build: text.to_text(run),
    ReportFormat.json: lambda run, database, build: machine.to_json(run),
    ReportFormat.junit: lambda run, database, build: machine.to_junit(run),
    ReportFormat.github: lambda run, database, build: machine.to_github(run),
    ReportFormat.html: _html,
}


def render(
    run: CheckRun, output_format: ReportFormat, database: Path, build: BuildInfo = UNKNOWN_BUILD
) -> str:
    """The report in any format, as one string."""
    return RENDERERS[output_format](run, database, build)
