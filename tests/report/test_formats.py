"""Every report format has its renderer, in one table (report.renderers), and every renderer
gives that format's document for the same run."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from checks.runner import run_all
from core.codes import ReportFormat
from report import input_errors
from report.renderers import RENDERERS, render


def test_every_format_has_one_renderer() -> None:
    assert set(RENDERERS) == set(ReportFormat)
    assert set(input_errors.RENDERERS) == set(ReportFormat)  # and shows bad input


@pytest.mark.parametrize("output_format", list(ReportFormat))
def test_each_renderer_gives_its_format(built_warehouse: Path, output_format: ReportFormat) -> None:
    database = built_warehouse / "skating.duckdb"
    document = render(run_all(database), output_format, database)
    if output_format is ReportFormat.json:
        assert json.loads(document)["passed"] is True
    elif output_format is ReportFormat.junit:
        assert ElementTree.fromstring(document.split("?>", 1)[1]).tag == "testsuites"
    elif output_format is ReportFormat.github:
        assert all(line.startswith("::warning ") for line in document.splitlines())
    elif output_format is ReportFormat.html:
        assert document.startswith("<!DOCTYPE html>")
    else:
        assert document.splitlines()[-1].startswith("PASSED: 47 checks")
