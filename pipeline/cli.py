"""The `pipeline` command: a thin translation from arguments to the stages in pipeline.build."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.errors import InputError, PipelineError

if TYPE_CHECKING:
    from checks.outcome import CheckRun
    from pipeline.build import BuildReport, Progress

app = typer.Typer(
    help="Olympic short-track results warehouse: raw pages -> Parquet -> DuckDB.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help text: rendering it with rich would double the time of `pipeline --help`.
    rich_markup_mode=None,
)
_state = {"debug": False}

RawOption = Annotated[Path, typer.Option("--raw", help="Folder of raw pages and registry.")]
WarehouseOption = Annotated[Path, typer.Option("--warehouse", help="Warehouse folder.")]


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"


FormatOption = Annotated[
    ReportFormat, typer.Option("--format", help="Check report format.", case_sensitive=False)
]
FullOption = Annotated[
    bool, typer.Option("--full", help="Parse every page, even those unchanged since last build.")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="Write the check report to this file.")
]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    _state["debug"] = debug


def _progress_display() -> tuple[Progress, AbstractContextManager[object]]:
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
    labels = {
        "parse": "parsing pages, writing Parquet",
        "load": "loading DuckDB",
        "check": "running checks",
    }

    def update(step: str, total: int) -> None:
        if step == "parsed":
            display.advance(tasks["parse"], total)
            return
        for task in tasks.values():
            display.update(task, completed=display.tasks[task].total)
        tasks[step] = display.add_task(labels[step], total=total or 1)

    return update, display


def _build(stage: str, raw: Path, warehouse: Path, full: bool = False) -> BuildReport:
    from pipeline import build

    update, display = _progress_display()
    with display:
        if stage == "run":
            return build.run(raw, warehouse, update, incremental=not full)
        if stage == "ingest":
            return build.ingest(raw, warehouse, update, incremental=not full)
        return build.load(warehouse, update)


def _print_summary(report: BuildReport, warehouse: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Warehouse {warehouse.as_posix()}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in report.rows.items():
        table.add_row(name, str(rows))
    console = Console()
    console.print(table)
    timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items())
    parsed = f": {report.parsed} parsed, {report.reused} unchanged" if report.reused else ""
    console.print(
        f"{'rejected' if report.rejected else 'published'} build {report.build.name} "
        f"({report.events} events{parsed}){'; ' + timings if timings else ''}",
        highlight=False,
    )


def _report_checks(run: CheckRun, output_format: ReportFormat, output: Path | None) -> None:
    """The text report on the terminal; another format to stdout or --output instead."""
    from rich.console import Console

    from checks.report import RENDERERS, print_text

    if output is None and output_format is not ReportFormat.text:
        sys.stdout.write(RENDERERS[output_format.value](run))
        return
    print_text(run, Console())
    if output is not None:
        try:
            if output_format is ReportFormat.text:
                with output.open("w", encoding="utf-8") as handle:
                    print_text(run, Console(file=handle, width=120))
            else:
                output.write_text(RENDERERS[output_format.value](run), encoding="utf-8")
        except OSError as error:
            message = f"expected a writable file ({error.strerror})"
            raise InputError(output.as_posix(), message) from None
        print(f"report written to {output.as_posix()}", file=sys.stderr)


@app.command()
def run(
    raw: RawOption = Path("raw"),
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    full: FullOption = False,
) -> None:
    """Rebuild the warehouse: parse, write Parquet, load DuckDB, run the checks, publish.

    A build whose error-level checks fail is not published: it is kept in
    <warehouse>/rejected/ and the command exits 1.
    """
    report = _build("run", raw, warehouse, full)
    _print_summary(report, warehouse)
    assert report.checks is not None
    _report_checks(report.checks, output_format, output)
    if report.rejected is not None:
        rejected = report.rejected.as_posix()
        print(
            f"build rejected: the warehouse in {warehouse.as_posix()} is unchanged; the rejected "
            f"build is in {rejected} (pipeline check --warehouse {rejected})",
            file=sys.stderr,
        )
        raise typer.Exit(1)


@app.command()
def ingest(
    raw: RawOption = Path("raw"),
    warehouse: WarehouseOption = Path("warehouse"),
    full: FullOption = False,
) -> None:
    """Parse raw pages and publish the Parquet tables only (no checks)."""
    _print_summary(_build("ingest", raw, warehouse, full), warehouse)


@app.command()
def load(warehouse: WarehouseOption = Path("warehouse")) -> None:
    """Load the published Parquet tables into a new DuckDB file (no checks)."""
    _print_summary(_build("load", Path("raw"), warehouse), warehouse)


@app.command()
def check(
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
) -> None:
    """Run the data-quality checks on a built warehouse; exit 1 if an error-level check fails."""
    from checks.runner import run_all

    result = run_all(warehouse / "skating.duckdb")
    _report_checks(result, output_format, output)
    raise typer.Exit(int(result.failed))


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run on the warehouse (read-only).")],
    warehouse: WarehouseOption = Path("warehouse"),
    output: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = (
        OutputFormat.table
    ),
) -> None:
    """Run a read-only SQL query on the warehouse's DuckDB file."""
    from pipeline.query import print_result, run_query

    columns, rows = run_query(warehouse, query)
    print_result(columns, rows, output.value)


def main() -> None:
    """Console entry point: input and usage errors exit 2 with one message, no traceback."""
    try:
        app()
    except PipelineError as error:
        if _state["debug"]:
            raise
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    except OSError as error:  # a disk full, a permission refused: the system's words, no trace
        if _state["debug"]:
            raise
        where = error.filename if error.filename is not None else "warehouse"
        print(f"error: {where}: {error.strerror or error}", file=sys.stderr)
        sys.exit(2)
    except Exception as error:  # a bug: still one line, the traceback behind --debug
        if _state["debug"]:
            raise
        print(
            f"internal error: {type(error).__name__}: {error} (this is a bug; rerun with "
            "--debug for the traceback)",
            file=sys.stderr,
        )
        sys.exit(3)
