"""What the command line shows: progress, the build summary and the check report.

Everything read from raw files or given on the command line is printed as plain text, never as
rich markup, with control characters shown as escapes (pipeline.escape)."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.codes import ReportFormat
from pipeline.errors import InputError
from pipeline.escape import terminal

if TYPE_CHECKING:
    from checks.outcome import CheckRun
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


def print_summary(built: Built, warehouse: Path, rejected: bool = False) -> None:
    """Rows per table, then one line: published or rejected, events, seconds per stage."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"Warehouse {terminal(warehouse.as_posix())}"))
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in built.rows.items():
        table.add_row(Text(terminal(name)), str(rows))
    console = Console()
    console.print(table)
    timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in built.timings.items())
    parsed = f": {built.parsed} parsed, {built.reused} unchanged" if built.reused else ""
    console.print(
        f"{'rejected' if rejected else 'published'} build {terminal(built.build.name)} "
        f"({built.events} events{parsed}){'; ' + timings if timings else ''}",
        markup=False,
        highlight=False,
    )


def report_checks(
    run: CheckRun, output_format: ReportFormat, output: Path | None, database: Path
) -> None:
    """The text report on the terminal; another format to stdout or --output instead.
    `database` is the checked warehouse file, which the HTML report reads."""
    from rich.console import Console

    from checks.report import print_text, render

    if output is None and output_format is not ReportFormat.text:
        sys.stdout.write(render(run, output_format, database))
        return
    print_text(run, Console())
    if output is not None:
        try:
            if output_format is ReportFormat.text:
                with output.open("w", encoding="utf-8") as handle:
                    print_text(run, Console(file=handle, width=120))
            else:
                output.write_text(render(run, output_format, database), encoding="utf-8")
        except OSError as error:
            message = f"expected a writable file ({error.strerror})"
            raise InputError(output.as_posix(), message) from None
        print(f"report written to {terminal(output.as_posix())}", file=sys.stderr)


def print_rejection(warehouse: Path, rejected: Path) -> None:
    """Where the rejected build is, and that the published warehouse did not change."""
    where, kept = terminal(warehouse.as_posix()), terminal(rejected.as_posix())
    print(
        f"build rejected: the warehouse in {where} is unchanged; the rejected "
        f"build is in {kept} (pipeline check --warehouse {kept})",
        file=sys.stderr,
    )
