"""How a check runs: a frame (built by DuckDB SQL) validated by a pandera model, lazily.

Every pandera check is named with the id of a declared Check; its failure cases are mapped back
to the frame's rows, which carry `source_file` and `source_line`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import duckdb
import pandera.polars as pa
import polars as pl
import pyarrow

from checks.framework.check import Check, Failure

SCHEMA_TYPES = Check(
    id="schema.types",
    severity="error",
    description="Every warehouse column has its declared type and nullability.",
    message="{table}.{column} breaks its declared type or nullability ({check})",
    expected="the type declared in core/model.py",
    found="{failure_case}",
)


# Frames are validated in batches, so memory stays flat as results grow: about one DuckDB row
# group at a time (its batches hold at most one, and are gathered until they reach this many
# rows). Two lanes validate at once; batches of up to three row groups put a 10,000-event
# check's peak at 0.94-1.13 GB, of about one at 0.84-0.89 GB, in as long.
BATCH_ROWS = 122_880


def validate(
    frame: duckdb.DuckDBPyRelation,
    model: type[pa.DataFrameModel] | pa.DataFrameSchema,
    checks: Iterable[Check],
    table: str,
    batch_rows: int = BATCH_ROWS,
) -> list[Failure]:
    """Validate a frame (a DuckDB query) batch by batch with `model`, `batch_rows` rows or
    more at a time (a frame of fewer rows in one batch: a key's uniqueness is judged whole).

    Every rule computes its windows and joins in SQL, so each row of the frame can be judged
    on its own and batches are independent. Returns one Failure per failing row and check."""
    failures = []
    for rows in _batches(frame.to_arrow_reader(batch_rows), batch_rows):
        failures += _validate_batch(rows, model, checks, table)
    return failures


def _batches(reader: pyarrow.RecordBatchReader, size: int) -> Iterator[pyarrow.Table]:
    """The reader's rows in tables of at least `size` rows (the last of fewer): DuckDB hands
    out at most one row group (122,880 rows) a batch, whatever size was asked for. A frame of
    no rows is one empty table: its columns and their types are still judged."""
    pending: list[pyarrow.RecordBatch] = []
    rows, tables = 0, 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= size:
            yield pyarrow.Table.from_batches(pending)
            pending, rows, tables = [], 0, tables + 1
    if pending or not tables:
        yield pyarrow.Table.from_batches(pending, schema=reader.schema)


def _validate_batch(
    rows: pyarrow.Table,
    model: type[pa.DataFrameModel] | pa.DataFrameSchema,
    checks: Iterable[Check],
    table: str,
) -> list[Failure]:
    """Validate the columns `model` declares; messages are built from all of a failing row's
    columns (only failing rows are read)."""
    by_id = {check.id: check for check in checks}
    schema = model if isinstance(model, pa.DataFrameSchema) else model.to_schema()
    wanted = [name for name in rows.column_names if name in schema.columns]
    # Strings for messages stay in Arrow: converting them to polars costs more than the checks.
    frame = pl.from_arrow(rows.select(wanted) if not schema.strict else rows)
    assert isinstance(frame, pl.DataFrame)
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    case_rows = list(cases.iter_rows(named=True))
    # The failing rows' own columns, read from Arrow in one take (not one slice per failure).
    indices = sorted({case["index"] for case in case_rows if case["index"] is not None})
    taken = rows.take(pyarrow.array(indices, pyarrow.int64())).to_pylist()
    row_at = dict(zip(indices, taken, strict=True))
    failures = []
    seen: set[tuple[str, int]] = set()
    for case in case_rows:
        check = by_id.get(case["check"])
        index = case["index"]
        if check is None:
            # A dtype or nullability failure: pandera names these itself.
            row = row_at[index] if index is not None else {}
            context = {
                "table": table,
                "column": case["column"],
                "check": case["check"],
                "failure_case": case["failure_case"],
                "source_file": row.get("source_file", table),
                "source_line": row.get("source_line", 0),
            }
            failures.append(SCHEMA_TYPES.failure(context))
            continue
        if index is None or (check.id, index) in seen:
            continue
        seen.add((check.id, index))
        case_context = {
            "table": table,
            "column": case["column"],
            "failure_case": case["failure_case"],
        }
        failures.append(check.failure({**case_context, **row_at[index]}))
    return failures
