"""What the command line shows: progress, the build summary, the check report and what
`pipeline add` did.

Everything read from raw files or given on the command line is printed as plain text, never as
rich markup, with control characters shown as escapes (core.escape)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from core.codes import ReportFormat
from core.errors import InputError, PipelineError
from core.escape import terminal
from core.plural import plural

if TYPE_CHECKING:
    from checks.outcome import CheckRun
    from pipeline.add.plan import AddPlan
    from pipeline.build import Built, Progress

STEP_LABELS = {
    "parse": "parsing pages, writing Parquet",
    "load": "loading DuckDB",
    "check": "running checks",
}


def progress_display() -> tuple[Progress, AbstractContextManager[object]]:
    """A rich progress bar on stderr when it is a terminal; silent in CI and pipes."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    console = Console(stderr=True)
    if not console.is_terminal:
        return (lambda step, total: None), nullcontext()
    display = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def update(step: str, total: int) -> None:
        if step == "parsed":
            display.advance(tasks["parse"], total)
            return
        for task in tasks.values():
            display.update(task, completed=display.tasks[task].total)
        tasks[step] = display.add_task(STEP_LABELS[step], total=total or 1)

    return update, display


def print_summary(
    built: Built,
    warehouse: Path,
    rejected: Path | None = None,
    to_stderr: bool = False,
    up_to_date: bool = False,
) -> None:
    """Rows per table, then what was built and where, and how to open it. On stderr when a
    machine-readable report owns stdout."""
    from rich.console import Console
    from rich.table import Table

    from pipeline.publish import DUCKDB_FILE

    table = Table(title="Rows per table")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in built.rows.items():
        table.add_row(Text(terminal(name)), str(rows))
    console = Console(stderr=to_stderr)
    console.print(table)
    timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in built.timings.items())
    parsed = f": {built.parsed} parsed, {built.reused} unchanged" if built.reused else ""
    # Only a matter of time: the row reader is the columnar reader's oracle, and reads alike.
    declined = (
        f"; {plural(built.row_read, 'event')} parsed row by row, declined by the columnar reader"
        if built.row_read
        else ""
    )
    events = f" ({plural(built.events, 'event')}{parsed}{declined})" if built.events else ""
    place = rejected if rejected is not None else warehouse
    database = place / DUCKDB_FILE
    opened = f"open it with: duckdb -readonly {terminal(database.as_posix())}"
    state = "up to date: nothing changed since" if up_to_date else "published"
    lines = [
        f"{'rejected' if rejected else state} build {terminal(built.build.name)}"
        f"{events}{'; ' + timings if timings else ''}",
        f"{'rejected build in' if rejected else 'warehouse'}: {terminal(place.as_posix())}; "
        f"{opened}",
    ]
    for line in lines:
        console.print(Text(line), highlight=False, soft_wrap=True)


@contextmanager
def _report_file(output: Path) -> Iterator[TextIO]:
    """The --output file, open for the report; a file that cannot be written is bad input."""
    try:
        with output.open("w", encoding="utf-8") as handle:
            yield handle
    except OSError as error:
        message = f"expected a writable file ({error.strerror})"
        raise InputError(output.as_posix(), message) from None
    print(f"report written to {terminal(output.as_posix())}", file=sys.stderr)


def report_checks(
    run: CheckRun, output_format: ReportFormat, output: Path | None, database: Path
) -> None:
    """The text report on the terminal; another format to stdout or --output instead.
    `database` is the checked warehouse file, which the HTML report reads."""
    from rich.console import Console

    from pipeline.build_identity import build_info
    from report.build_info import UNKNOWN_BUILD
    from report.renderers import render
    from report.text import print_text

    # Only the HTML page names its build (telling a changed build hashes its files).
    build = build_info(database) if output_format is ReportFormat.html else UNKNOWN_BUILD
    if output is None and output_format is not ReportFormat.text:
        sys.stdout.write(render(run, output_format, database, build))
        return
    print_text(run, Console())
    if output is not None:
        with _report_file(output) as handle:
            handle.write(render(run, output_format, database, build))


def print_diff(document: str, output: Path | None) -> None:
    """`pipeline diff`'s document, to stdout or to --output."""
    if output is None:
        sys.stdout.write(document)
        return
    with _report_file(output) as handle:
        handle.write(document)


def report_input_errors(
    error: PipelineError, output_format: ReportFormat, output: Path | None
) -> None:
    """A refused run's problems as the report asked for: a machine format to stdout or
    --output, the text lines to --output. (The terminal's `error:` lines are main's.)"""
    from report.input_errors import render_input_errors

    if output is None and output_format is ReportFormat.text:
        return
    document = render_input_errors(error, output_format)
    if output is None:
        sys.stdout.write(document)
        return
    with _report_file(output) as handle:
        handle.write(document)


def print_notice(message: str) -> None:
    """A warning about the run (not its verdict) on stderr."""
    print(f"warning: {terminal(message)}", file=sys.stderr)


def warn_if_unpublished(warehouse: Path) -> None:
    """Say so when the database about to be checked is not what a published build's checks
    passed: the report then judges the data as it is now."""
    from pipeline.publish import unpublished_change

    changed = unpublished_change(warehouse)
    if changed is not None:
        print_notice(f"{changed} since it was published: the checks judge the data as it is now")


def print_rejection(warehouse: Path, rejected: Path, warn_error: bool = False) -> None:
    """Where the rejected build is, and that the published warehouse did not change (and the
    command that shows why: with --warn-error when warnings rejected it)."""
    where, kept = terminal(warehouse.as_posix()), terminal(rejected.as_posix())
    strict = " --warn-error" if warn_error else ""
    print(
        f"build rejected: the warehouse in {where} is unchanged; the rejected "
        f"build is in {kept} (pipeline check --warehouse {kept}{strict})",
        file=sys.stderr,
    )


def print_added(plan: AddPlan, written: list[Path], raw: Path) -> None:
    """What `pipeline add` wrote or kept, each athlete it registered, and what to review."""
    from pipeline.add.new_athletes import csv_line

    say: list[str] = []
    for page in plan.pages:
        target = f"{page.shown}/page.txt"
        if page.page_action:
            say.append(f"{page.event_id}: {page.page_action} {page.given} to {target}")
        else:
            say.append(f"{page.event_id}: already there ({target} is this page)")
        if page.toml_action:
            say.append(f"{page.event_id}: {page.toml_action} {page.shown}/event.toml")
    athletes_file = f"{plan.registry_shown}/athletes.csv"
    if plan.athletes:
        count = len(plan.athletes)
        say.append(f"registered {count} athlete{'s' * (count != 1)} in {athletes_file}:")
        for row in plan.athletes:
            first = plan.first_printed[row.athlete_id]
            line = csv_line(row.athlete_id, row.name, row.noc)
            say.append(f"  {line} (line {row.source_line}; first printed at {first})")
    if plan.registry_folder / "aliases.csv" in written:
        say.append(f"created {plan.registry_shown}/aliases.csv (no aliases yet)")
    review = [note for page in plan.pages for note in page.review]
    if plan.athletes:
        review.append(f"{athletes_file}: the spelling and NOC of each athlete registered above")
    if review:
        say.append("review:")
        say += [f"  {note}" for note in review]
    if written:
        say.append(f"then build: pipeline run --raw {raw.as_posix()}")
    else:
        say.append("nothing written")
    print("\n".join(terminal(line) for line in say))
