"""The build's check outcome as tables of its DuckDB file (`failures`, `checks`), so that a
rejected build's failures can be selected, joined and counted like the data they point at."""

from __future__ import annotations

import duckdb

from checks.outcome import CheckRun
from checks.selection import event_folder
from core.escape import sql_text
from core.model import CHECK_TABLES, constraint_statements, to_arrow
from core.rows import CheckRow, FailureRow


def failure_rows(run: CheckRun) -> list[FailureRow]:
    return [
        FailureRow(
            f.check_id,
            f.severity,
            event_folder(f.path),
            f.path,
            f.line,
            f.message,
            f.expected,
            f.found,
            f.waiver is not None,
            f.waiver,
            f.note,
        )
        for f in run.failures
    ]


def check_rows(run: CheckRun) -> list[CheckRow]:
    return [
        CheckRow(
            check.id,
            check.family,
            check.severity,
            run.status(check),
            len(run.failures_of(check)),
            check.description,
        )
        for check in run.checks
    ]


def store_checks(run: CheckRun, con: duckdb.DuckDBPyConnection) -> None:
    """Write the run's `failures` and `checks` tables, with their comments, into the
    database, in one transaction."""
    tables: dict[str, list[tuple[object, ...]]] = {
        "failures": list(failure_rows(run)),
        "checks": list(check_rows(run)),
    }
    con.execute("BEGIN")
    for spec in CHECK_TABLES:
        arrow = to_arrow(spec, tables[spec.name])
        con.register("stored_rows", arrow)
        con.execute(f"CREATE OR REPLACE TABLE {spec.name} AS SELECT * FROM stored_rows")
        con.unregister("stored_rows")
        con.execute(f"COMMENT ON TABLE {spec.name} IS {sql_text(spec.description)}")
        for column in spec.columns:
            description = sql_text(column.description)
            con.execute(f"COMMENT ON COLUMN {spec.name}.{column.name} IS {description}")
    for statement in constraint_statements(CHECK_TABLES):  # the code writes them: they hold
        con.execute(statement)
    con.execute("COMMIT")
