"""The `pipeline` command: a thin translation from arguments to the stages in pipeline.build,
and from their outcome to an exit code. What is shown is drawn by pipeline.console."""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand

from core.codes import DiffFormat, ListFormat, ListKind, QueryFormat, ReportFormat
from core.errors import (
    InputError,
    InputErrors,
    PipelineError,
    bounded,
    excerpt,
    from_os_error,
    messages,
)
from core.escape import terminal
from pipeline.pipes import forgiving_output
from pipeline.unused_imports import unimportable

EXIT_OK, EXIT_CHECK_FAILED, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


class _Command(TyperCommand):
    """A command whose help reads as people write usage: `PAGE...`, not `{PAGE}...` with the
    argument's Python type beside it."""

    def get_usage(self, ctx: Any) -> str:  # shown above a usage error
        usage: str = super().get_usage(ctx)
        return re.sub(r"\{([A-Z][A-Z_.]*)\}", r"\1", usage)

    def get_help(self, ctx: Any) -> str:  # typer's vendored click Context
        text: str = super().get_help(ctx)
        text = re.sub(r"\{([A-Z][A-Z_.]*)\}", r"\1", text)
        text = re.sub(r"(\n  [A-Z][A-Z_]*) <list\[[A-Za-z]+\]>", r"\1...", text)
        return re.sub(r"(\n  [A-Z][A-Z_]*) <[a-z]+>", r"\1", text)


app = typer.Typer(
    help="Short-track results warehouse: raw pages -> Parquet -> DuckDB, behind data-quality "
    "checks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help text: rendering it with rich would double the time of `pipeline --help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
command = app.command


@dataclass
class Session:
    """Options of the whole invocation, read back by `main` when a command fails."""

    debug: bool = False


RawOption = Annotated[
    Path,
    typer.Option(
        "--raw",
        help="Folder of raw pages and registry.",
        metavar="DIR",
        envvar="PIPELINE_RAW",
        show_envvar=True,
    ),
]
WarehouseOption = Annotated[
    Path,
    typer.Option(
        "--warehouse",
        help="Warehouse folder.",
        metavar="DIR",
        envvar="PIPELINE_WAREHOUSE",
        show_envvar=True,
    ),
]
FormatOption = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        help="Check report format; without it, text, or what --output's suffix says (.json, "
        ".xml for junit, .html, .txt).",
        case_sensitive=False,
        show_default=False,
    ),
]
FullOption = Annotated[
    bool, typer.Option("--full", help="Parse every page, even those unchanged since last build.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", help="Write the check report to this file.", metavar="FILE"),
]
REPORT_SUFFIXES = {
    ".json": ReportFormat.json,
    ".xml": ReportFormat.junit,
    ".html": ReportFormat.html,
    ".txt": ReportFormat.text,
}
DIFF_SUFFIXES = {".json": DiffFormat.json, ".md": DiffFormat.markdown, ".txt": DiffFormat.text}


Format = TypeVar("Format", ReportFormat, DiffFormat)


def _chosen_format(
    given: Format | None, output: Path | None, suffixes: dict[str, Format], default: Format
) -> Format:
    """--format as given; else the one --output's suffix names (refused if none does)."""
    if given is not None:
        return given
    if output is None:
        return default
    found = suffixes.get(output.suffix.lower())
    if found is None:
        known = ", ".join(suffixes)
        raise InputError(
            "--output",
            f"expected --format, or a file ending {known}, found {excerpt(output.name)}",
        )
    return found


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


@command(cls=_Command)
def run(
    raw: RawOption = Path("raw"),
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: FormatOption = None,
    output: OutputOption = None,
    full: FullOption = False,
    warn_error: WarnErrorOption = False,
) -> None:
    """Rebuild the warehouse: parse, write Parquet, load DuckDB, run the checks, publish.

    A build whose error-level checks fail is not published: it is kept in
    <warehouse>/rejected/ and the command exits 1.

    \b
    Examples:
      pipeline run
      pipeline run --output report.html         # and the HTML report
      pipeline run --format github --warn-error # in CI: annotations; warnings fail
    """
    from pipeline import build, console
    from pipeline.ownership import check_paths

    check_paths([raw], warehouse, output)
    output_format = _chosen_format(output_format, output, REPORT_SUFFIXES, ReportFormat.text)
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
        console.print_rejection(warehouse, checked.rejected, warn_error)
        raise typer.Exit(EXIT_CHECK_FAILED)


@command(cls=_Command)
def add(
    pages: Annotated[list[Path], typer.Argument(help="Results pages to add.", metavar="PAGE...")],
    raw: RawOption = Path("raw"),
    event_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="Event id to file the page under (one PAGE only).", metavar="EVENT_ID"
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a different page already filed under the id.")
    ] = False,
) -> None:
    """Add results pages: copy each to <raw>/events/<id>/page.txt, draft its event.toml and
    register its new athletes. Refused (nothing written) where a name or nation needs review.

    \b
    Examples:
      pipeline add ~/pages/mens-1000m.txt
      pipeline add pages/*.txt && pipeline run
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


@command(cls=_Command)
def check(
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: FormatOption = None,
    output: OutputOption = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Run only these checks: an id, a family (records) or a pattern (tallies.*). "
            "Repeatable.",
            metavar="PATTERN",
        ),
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event", help="Check only this event (its id). Repeatable.", metavar="EVENT_ID"
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="Do not run these checks: an id, a family or a pattern. Repeatable.",
            metavar="PATTERN",
        ),
    ] = None,
    warn_error: WarnErrorOption = False,
) -> None:
    """Run the data-quality checks on a built warehouse; exit 1 if an error-level check fails.

    \b
    Examples:
      pipeline check
      pipeline check --select tallies --event 2006-men-1000m
      pipeline check --warehouse warehouse/rejected --output failures.json
    """
    from pipeline.manifest import code_digest

    code_digest()  # before the checks are imported: no stale bytecode of them runs
    from checks.runner import run_all
    from checks.selection import Selection
    from pipeline import console
    from pipeline.ownership import check_paths, raw_folders
    from pipeline.publish import DUCKDB_FILE

    check_paths(raw_folders(warehouse), warehouse, output)
    output_format = _chosen_format(output_format, output, REPORT_SUFFIXES, ReportFormat.text)
    selection = Selection(tuple(select or ()), tuple(event or ()), tuple(exclude or ()))
    database = warehouse / DUCKDB_FILE
    console.warn_if_unpublished(warehouse)
    with _reported(output_format, output):
        result = replace(run_all(database, selection=selection), warn_error=warn_error)
    console.report_checks(result, output_format, output, database)
    raise typer.Exit(EXIT_CHECK_FAILED if result.failed else EXIT_OK)


@command(cls=_Command)
def diff(
    base: Annotated[
        Path,
        typer.Argument(
            help="The warehouse to compare with, e.g. one built from main.", metavar="BASE"
        ),
    ],
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: Annotated[
        DiffFormat | None,
        typer.Option(
            "--format",
            help="text, markdown (a pull-request comment) or json; without it, text, or what "
            "--output's suffix says (.md, .json, .txt).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the diff here.", metavar="FILE")
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=1, help="Rows listed per table in text and markdown.", metavar="N"
        ),
    ] = 50,
) -> None:
    """What changed from the warehouse BASE to --warehouse: per table, the rows added, removed
    and changed (keyed by each table's row key, with the new row's file:line), and what that
    did to each event's standing. Exit 0 whatever changed.

    \b
    Examples:
      pipeline diff ../main/warehouse
      pipeline diff ../main/warehouse --output data-diff.md   # a pull-request comment
    """
    chosen = _chosen_format(output_format, output, DIFF_SUFFIXES, DiffFormat.text)
    from pipeline import console
    from pipeline.publish import DUCKDB_FILE
    from report.diff_render import RENDERERS
    from report.warehouse_diff import diff_warehouses

    changes = diff_warehouses(base / DUCKDB_FILE, warehouse / DUCKDB_FILE)
    console.print_diff(RENDERERS[chosen.value](changes, limit), output)


@command(name="list", cls=_Command)
def list_(
    kind: Annotated[
        ListKind,
        typer.Argument(help="checks, events or tables.", case_sensitive=False, metavar="WHAT"),
    ],
    warehouse: WarehouseOption = Path("warehouse"),
    output_format: Annotated[
        ListFormat, typer.Option("--format", help="text or json.", case_sensitive=False)
    ] = ListFormat.text,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing",
            help="With events: the reference events (raw/reference/) the warehouse lacks.",
        ),
    ] = False,
) -> None:
    """List the checks (no warehouse needed), the warehouse's events, or its tables and views
    with their row counts.

    \b
    Examples:
      pipeline list checks
      pipeline list tables --format json
      pipeline list events --missing            # what the references hold and we lack
    """
    from pipeline import listing
    from pipeline.query import print_result

    if missing and kind is not ListKind.events:
        found = f"pipeline list {kind.value} --missing"
        raise InputError("--missing", f"expected `pipeline list events --missing`, found {found}")
    if kind is ListKind.checks:
        columns, rows = listing.list_checks()
    elif kind is ListKind.events:
        columns, rows = (listing.list_missing if missing else listing.list_events)(warehouse)
    else:
        columns, rows = listing.list_tables(warehouse)
    shown = QueryFormat.json if output_format is ListFormat.json else QueryFormat.table
    print_result(columns, iter(rows), shown)


@command(cls=_Command)
def sql(
    query: Annotated[
        str,
        typer.Argument(
            help="SQL to run on the warehouse (read-only); several statements run in turn; "
            "- reads it from standard input.",
            metavar="QUERY",
        ),
    ],
    warehouse: WarehouseOption = Path("warehouse"),
    output: Annotated[
        QueryFormat, typer.Option("--format", help="Output format.", case_sensitive=False)
    ] = QueryFormat.table,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "-p",
            "--param",
            help="A value for $NAME in the query (-p NAME VALUE, or NAME=VALUE). Repeatable.",
            metavar="NAME VALUE",
        ),
    ] = None,
) -> None:
    """Run read-only SQL on the warehouse's DuckDB file, each statement's result in turn.

    \b
    Examples:
      pipeline sql "SELECT * FROM standings WHERE position <= 3"
      pipeline sql "SELECT * FROM results_wide" --format csv > results.csv
      pipeline sql 'SELECT * FROM athletes WHERE noc = $noc' -p noc KOR
      echo "DESCRIBE results; SELECT count(*) FROM results" | pipeline sql -
    """
    from pipeline.query import print_results, read_query, run_statements

    for given in param or []:
        if "=" not in given:
            raise InputError("-p", f"expected NAME VALUE, found {excerpt(given)} alone")
    params = dict(given.partition("=")[::2] for given in param or [])
    print_results(run_statements(warehouse, read_query(query), params, output), output)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. Input and usage errors are 2 with one
    message and no traceback; a bug is 3, with the traceback behind --debug."""
    with forgiving_output():  # a reader that stops reading changes no exit code
        return _main(argv)


def entry() -> int:
    """The `pipeline` command's process (the console script, `python -m pipeline`): `main`,
    with the libraries no command uses kept out, since the process ends with the command
    (`main` called in-process, as the tests do, imports as usual)."""
    with unimportable():
        return main()


def _debug_first(argv: list[str]) -> list[str]:
    """`--debug` anywhere before a `--` (after the command too, as users type it), moved to
    the front where the top-level option reads it."""
    end = argv.index("--") if "--" in argv else len(argv)
    head = argv[:end]
    if "--debug" not in head:
        return argv
    return ["--debug", *(arg for arg in head if arg != "--debug"), *argv[end:]]


def _params_joined(argv: list[str]) -> list[str]:
    """`-p NAME VALUE` (as sqlite-utils takes it) as the one value `--param=NAME=VALUE`;
    `-p NAME=VALUE` as it is."""
    joined: list[str] = []
    rest = iter(argv)
    for arg in rest:
        if arg == "--":
            joined += [arg, *rest]
            break
        name = next(rest, None) if arg in ("-p", "--param") else None
        if name is None:
            joined.append(arg)
            continue
        value = None if "=" in name else next(rest, None)
        joined.append(f"--param={name}" if value is None else f"--param={name}={value}")
    return joined


def _traceback_if(debug: bool) -> None:
    """With --debug, the traceback of the error being handled, before its message: the exit
    code stays the error's (2 for bad input, 3 for a bug)."""
    if debug:
        traceback.print_exc(file=sys.stderr)


def _main(argv: list[str] | None) -> int:
    session = Session()
    args = _params_joined(_debug_first(list(sys.argv[1:] if argv is None else argv)))
    try:
        app(args=args, obj=session, prog_name="pipeline")
    except SystemExit as exit_:  # typer's own ending: success, a usage error (2) or a verdict
        return exit_.code if isinstance(exit_.code, int) else EXIT_INPUT
    except PipelineError as error:
        _traceback_if(session.debug)
        for message in messages(error):
            print(f"error: {terminal(message)}", file=sys.stderr)
        for line in getattr(error, "detail", ()):  # DuckDB's query and caret, as it drew them
            print(terminal(line.expandtabs(4)), file=sys.stderr)
        return EXIT_INPUT
    except OSError as error:  # a disk full, a permission refused: the system's words, no trace
        _traceback_if(session.debug)
        print(f"error: {terminal(str(from_os_error(error)))}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as error:  # a bug: still one line, the traceback behind --debug
        _traceback_if(session.debug)
        print(
            f"internal error: {type(error).__name__}: {terminal(bounded(str(error)))} (this is "
            "a bug; rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_BUG
    return EXIT_OK
