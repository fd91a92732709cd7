"""The check report in the formats machines read: JSON (documented in docs/checks.md), JUnit XML
and GitHub workflow commands. Every raw value passes the escape function of its format."""

from __future__ import annotations

import json
from dataclasses import asdict
from xml.etree import ElementTree

from checks.framework.check import Failure
from checks.outcome import CheckRun, summary
from core import escape
from report.text import failure_line


def to_json(run: CheckRun) -> str:
    """The whole run as JSON (documented in docs/checks.md)."""
    document = {
        "passed": not run.failed,
        "selection": run.selection,
        "warn_error": run.warn_error,
        "summary": summary(run),
        # How many reference events the warehouse holds (null without references).
        "coverage": None if run.coverage is None else asdict(run.coverage),
        "errors": [],  # input errors: a run that has a check report had none
        "checks": [
            {
                "id": check.id,
                "severity": check.severity,
                "description": check.description,
                "status": run.status(check),
                "failures": len(run.failures_of(check)),
            }
            for check in run.checks
        ],
        "failures": [
            {
                "check": f.check_id,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "message": f.message,
                "expected": f.expected,
                "found": f.found,
                "waived": f.waiver is not None,
                "waiver_reason": f.waiver,
                # The other side of a mismatch, `path:line: note: see …` (null if none).
                "note": f.note,
            }
            for f in run.failures
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_junit(run: CheckRun) -> str:
    """JUnit XML: one testcase per check; warnings and waived failures go to system-out.
    Every value passes escape.xml: a control character would make the file unreadable, and a
    line break inside a failure would start a line of stdout with a raw value."""
    counts = summary(run)
    suites = ElementTree.Element(
        "testsuites",
        name="pipeline check",
        tests=str(len(run.checks)),
        failures=str(counts["failed"]),
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="data-quality",
        tests=str(len(run.checks)),
        failures=str(counts["failed"]),
        errors="0",
        skipped="0",
    )
    for check in run.checks:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=escape.xml(f"checks.{check.family}"),
            name=escape.xml(check.id),
        )
        found = run.failures_of(check)
        blocking = [f for f in found if f.waiver is None and check.severity == "error"]
        if blocking:
            failure = ElementTree.SubElement(
                case,
                "failure",
                type=escape.xml(check.id),
                message=escape.xml(f"{len(blocking)} failures: {check.description}"),
            )
            failure.text = "\n".join(_junit_lines(f) for f in blocking)
        others = [f for f in found if f not in blocking]
        if others:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                _junit_lines(f) for f in others
            )
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _junit_lines(failure: Failure) -> str:
    """A failure's line, and its note's under it, each one escaped line."""
    lines = [failure_line(failure)] + ([failure.note] if failure.note is not None else [])
    return "\n".join(escape.xml(line, one_line=True) for line in lines)


def to_github(run: CheckRun) -> str:
    """GitHub Actions workflow commands: one annotation on the offending line per failure."""
    lines = []
    for f in run.failures:
        level = "notice" if f.waiver else ("error" if f.severity == "error" else "warning")
        text = f"{f.message} (expected {f.expected}, found {f.found})"
        if f.note is not None:
            text += f"; {f.note}"
        if f.waiver:
            text += f" [waived: {f.waiver}]"
        lines.append(
            f"::{level} file={escape.github_property(f.path)},line={f.line},"
            f"title={escape.github_property(f.check_id)}::{escape.github_message(text)}"
        )
    return "".join(f"{line}\n" for line in lines)
