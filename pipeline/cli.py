"""The `pipeline` command: a thin translation from arguments to the stages in pipeline.build."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.build import BuildReport, Progress

app = typer.Typer(
    help="Olympic short-track results warehouse: raw pages -> Parquet -> DuckDB.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}

RawOption = Annotated[Path, typer.Option("--raw", help="Folder of raw pages and registry.")]
WarehouseOption = Annotated[Path, typer.Option("--warehouse", help="Warehouse folder to build.")]


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
    labels = {"parse": "parsing pages", "write": "writing Parquet", "load": "loading DuckDB"}

    def update(step: str, total: int) -> None:
        if step == "parsed":
            display.advance(tasks["parse"])
            return
        for task in tasks.values():
            display.update(task, completed=display.tasks[task].total)
        tasks[step] = display.add_task(labels[step], total=total or 1)

    return update, display


def _build(stage: str, raw: Path, warehouse: Path) -> BuildReport:
    from pipeline import build

    update, display = _progress_display()
    with display:
        if stage == "run":
            return build.run(raw, warehouse, update)
        if stage == "ingest":
            return build.ingest(raw, warehouse, update)
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
    console.print(f"published build {report.build.name} ({report.events} events)")


@app.command()
def run(raw: RawOption = Path("raw"), warehouse: WarehouseOption = Path("warehouse")) -> None:
    """Rebuild the warehouse: parse raw pages, write Parquet, load DuckDB, publish atomically."""
    _print_summary(_build("run", raw, warehouse), warehouse)


@app.command()
def ingest(raw: RawOption = Path("raw"), warehouse: WarehouseOption = Path("warehouse")) -> None:
    """Parse raw pages and publish the Parquet tables only."""
    _print_summary(_build("ingest", raw, warehouse), warehouse)


@app.command()
def load(warehouse: WarehouseOption = Path("warehouse")) -> None:
    """Load the published Parquet tables into a new DuckDB file."""
    _print_summary(_build("load", Path("raw"), warehouse), warehouse)


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
