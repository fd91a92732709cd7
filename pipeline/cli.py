"""The `pipeline` command: a thin translation from arguments to the stages in pipeline.build,
and from their outcome to an exit code. What is shown is drawn by pipeline.console."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

import typer

from core.codes import DiffFormat, ListFormat, QueryFormat, ReportFormat
from core.errors import InputErrors, PipelineError, bounded, from_os_error, messages
from core.escape import terminal
from pipeline.listing import ListKind
from pipeline.pipes import forgiving_output

EXIT_OK, EXIT_CHECK_FAILED, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3

app = typer.Typer(
    help="Olympic short-track results warehouse: raw pages -> Parquet -> DuckDB.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help text: rendering it with rich would double the time of `pipeline --help`.
    rich_markup_mode=None,
)


@dataclass
class Session:
    """Options of the whole invocation, read back by `main` when a command fails."""

    debug: bool = False


RawOption = Annotated[Path, typer.Option("--raw", help="Folder of raw pages and registry.")]
WarehouseOption = Annotated[Path, typer.Option("--warehouse", help="Warehouse folder.")]
FormatOption = Annotated[
    ReportFormat, typer.Option("--format", help="Check report format.", case_sensitive=False)
]
FullOption = Annotated[
    bool, typer.Option("--full", help="Parse every page, even those unchanged since last build.")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="Write the check report to this file.")
]
WarnErrorOption = Annotated[
    bool, typer.Option("--warn-error", help="Warnings fail the gate too (exit 1).")
]


def _print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version

        print(f"pipeline {version('skating-warehouse')}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    context: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
) -> None:
    context.ensure_object(Session).debug = debug


@contextmanager
def _reported(output_format: ReportFormat, output: Path | None) -> Iterator[None]:
    """Bad input found in the block is reported in the asked format too, then exits 2."""
    try:
        yield
    except PipelineError as error:
        _report_refusal(error, output_format, output)
        raise
    except OSError as error:  # a warehouse that cannot be written is bad input too
        refused = from_os_error(error)
        _report_refusal(refused, output_format, output)
        raise refused from error


def _report_refusal(error: PipelineError, output_format: ReportFormat, output: Path | None) -> None:
    """Write the refusal's report; a report that cannot be written is one more problem, and
    a bug in writing it must not hide the input errors (they still reach stderr, exit 2)."""
    from pipeline import console

    try:
        console.report_input_errors(error, output_format, output)
    except PipelineError as unwritable:
        found = error.errors if isinstance(error, InputErrors) else [error]
        raise InputErrors([*found, unwritable]) from None
    except Exception as bug:  # reported, and the input errors stand
        print(f"internal error writing the report: {terminal(bounded(repr(bug)))}", file=sys.stderr)


@app.command()
def run(
    raw: RawOption = Path("raw"),
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    full: FullOption = False,
    warn_error: WarnErrorOption = False,
) -> None:
    """Rebuild the warehouse: parse, write Parquet, load DuckDB, run the checks, publish.

    A build whose error-level checks fail is not published: it is kept in
    <warehouse>/rejected/ and the command exits 1.
    """
    from pipeline import build, console
    from pipeline.ownership import check_paths

    check_paths([raw], warehouse, output)
    update, display = console.progress_display()
    with display, _reported(output_format, output):
        checked = build.run(raw, warehouse, update, not full, console.print_notice, warn_error)
    # A machine-readable report printed to stdout owns it: the summary goes to stderr.
    machine = output is None and output_format is not ReportFormat.text
    console.print_summary(
        checked.built, warehouse, checked.rejected, to_stderr=machine, up_to_date=checked.up_to_date
    )
    console.report_checks(checked.checks, output_format, output, checked.database)
    if checked.rejected is not None:
        console.print_rejection(warehouse, checked.rejected)
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def add(
    pages: Annotated[list[Path], typer.Argument(help="Results pages to add.", metavar="PAGE")],
    raw: RawOption = Path("raw"),
    event_id: Annotated[
        str | None,
        typer.Option("--id", help="Event id to file the page under (one PAGE only)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a different page already filed under the id.")
    ] = False,
) -> None:
    """Add results pages: copy each to <raw>/events/<id>/page.txt, draft its event.toml and
    register its new athletes. Refused (nothing written) where a name or nation needs review.
    """
    from pipeline import console
    from pipeline.add.plan import plan_add
    from pipeline.add.staging import clear_debris
    from pipeline.add.write import write_plan
    from pipeline.read.rawlock import raw_lock

    with raw_lock(raw, shared=False):  # one writer; no run reads raw/ meanwhile
        clear_debris(raw)
        plan = plan_add(pages, raw, event_id, force)
        written = write_plan(plan)
    console.print_added(plan, written, raw)


@app.command()
def check(
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Run only these checks: an id, a family (records) or a pattern (tallies.*). "
            "Repeatable.",
        ),
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option("--event", help="Check only this event (its id). Repeatable."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="Do not run these checks: an id, a family or a pattern. Repeatable.",
        ),
    ] = None,
    warn_error: WarnErrorOption = False,
) -> None:
    """Run the data-quality checks on a built warehouse; exit 1 if an error-level check fails."""
    from pipeline.manifest import code_digest

    code_digest()  # before the checks are imported: no stale bytecode of them runs
    from checks.runner import run_all
    from checks.selection import Selection
    from pipeline import console
    from pipeline.ownership import check_paths, raw_folders
    from pipeline.publish import DUCKDB_FILE

    check_paths(raw_folders(warehouse), warehouse, output)
    selection = Selection(tuple(select or ()), tuple(event or ()), tuple(exclude or ()))
    database = warehouse / DUCKDB_FILE
    console.warn_if_unpublished(warehouse)
    with _reported(output_format, output):
        result = replace(run_all(database, selection=selection), warn_error=warn_error)
    console.report_checks(result, output_format, output, database)
    raise typer.Exit(EXIT_CHECK_FAILED if result.failed else EXIT_OK)


@app.command()
def diff(
    base: Annotated[
        Path,
        typer.Argument(
            help="The warehouse to compare with, e.g. one built from main.", metavar="BASE"
        ),
    ],
    warehouse: Annotated[
        Path, typer.Option("--warehouse", help="The warehouse that changed (the branch's).")
    ] = Path("warehouse"),
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", help="text, markdown (a pull-request comment) or json."),
    ] = DiffFormat.text,
    output: Annotated[Path | None, typer.Option("--output", help="Write the diff here.")] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=1, help="Rows listed per table in text and markdown."),
    ] = 50,
) -> None:
    """What changed from the warehouse BASE to --warehouse: per table, the rows added, removed
    and changed (keyed by each table's row key, with the new row's file:line), and what that
    did to each event's standing. Exit 0 whatever changed."""
    from pipeline import console
    from pipeline.publish import DUCKDB_FILE
    from report.diff_render import RENDERERS
    from report.warehouse_diff import diff_warehouses

    changes = diff_warehouses(base / DUCKDB_FILE, warehouse / DUCKDB_FILE)
    console.print_diff(RENDERERS[output_format.value](changes, limit), output)


@app.command(name="list")
def list_(
    kind: Annotated[
        ListKind, typer.Argument(help="checks, events or tables.", case_sensitive=False)
    ],
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: Annotated[
        ListFormat, typer.Option("--format", help="text or json.", case_sensitive=False)
    ] = ListFormat.text,
) -> None:
    """List the checks (no warehouse needed), the warehouse's events, or its tables and views
    with their row counts."""
    from pipeline import listing
    from pipeline.publish import DUCKDB_FILE
    from pipeline.query import print_result

    database = warehouse / DUCKDB_FILE
    if kind is ListKind.checks:
        columns, rows = listing.list_checks()
    elif kind is ListKind.events:
        columns, rows = listing.list_events(database)
    else:
        columns, rows = listing.list_tables(database)
    shown = QueryFormat.json if output_format is ListFormat.json else QueryFormat.table
    print_result(columns, iter(rows), shown)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run on the warehouse (read-only).")],
    warehouse: WarehouseOption = Path("warehouse"),
    output: Annotated[QueryFormat, typer.Option("--format", help="Output format.")] = (
        QueryFormat.table
    ),
) -> None:
    """Run a read-only SQL query on the warehouse's DuckDB file."""
    from pipeline.query import print_result, run_query

    columns, rows = run_query(warehouse, query)
    print_result(columns, rows, output)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. Input and usage errors are 2 with one
    message and no traceback; a bug is 3, with the traceback behind --debug."""
    with forgiving_output():  # a reader that stops reading changes no exit code
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    session = Session()
    try:
        app(args=argv, obj=session, prog_name="pipeline")
    except SystemExit as exit_:  # typer's own ending: success, a usage error (2) or a verdict
        return exit_.code if isinstance(exit_.code, int) else EXIT_INPUT
    except PipelineError as error:
        if session.debug:
            raise
        for message in messages(error):
            print(f"error: {terminal(message)}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as error:  # a disk full, a permission refused: the system's words, no trace
        if session.debug:
            raise
        print(f"error: {terminal(str(from_os_error(error)))}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as error:  # a bug: still one line, the traceback behind --debug
        if session.debug:
            raise
        print(
            f"internal error: {type(error).__name__}: {terminal(bounded(str(error)))} (this is "
            "a bug; rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_BUG
    return EXIT_OK
