"""How a check runs: a frame (built by DuckDB SQL) validated by a pandera model, lazily.

Every pandera check is named with the id of a declared Check; its failure cases are mapped back
to the frame's rows, which carry `source_file` and `source_line`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandera.polars as pa
import polars as pl

from checks.check import Check, Failure

SCHEMA_TYPES = Check(
    id="schema.types",
    severity="error",
    description="Every warehouse column has its declared type and nullability.",
    message="{table}.{column} breaks its declared type or nullability ({check})",
    expected="the type declared in pipeline/model.py",
    found="{failure_case}",
)


def validate(
    frame: pl.DataFrame,
    model: type[pa.DataFrameModel] | pa.DataFrameSchema,
    checks: Iterable[Check],
    table: str,
) -> list[Failure]:
    """Validate `frame` with `model`; return one Failure per failing row and check."""
    by_id = {check.id: check for check in checks}
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    failures = []
    seen: set[tuple[str, int]] = set()
    for case in cases.iter_rows(named=True):
        check = by_id.get(case["check"])
        index = case["index"]
        if check is None:
            # A dtype or nullability failure: pandera names these itself.
            row = frame.row(index, named=True) if index is not None else {}
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
        failures.append(check.failure(frame.row(index, named=True)))
    return failures
