"""Dates: every round inside the event's dates, and rounds dated in order."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate

WITHIN_EVENT = Check(
    id="dates.round-within-event",
    severity="error",
    description="Each round's date lies within the infobox's Dates.",
    message="the {round} are dated {date}, outside the event ({dates} at {dates_at})",
    expected="a day from {start_date} to {end_date}",
    found="{date}",
)
ROUNDS_IN_ORDER = Check(
    id="dates.rounds-in-order",
    severity="error",
    description="No round is dated before the round it follows.",
    message="the {round} are dated {date}, before the {previous_round} ({previous_date})",
    expected="{previous_date} or later",
    found="{date}",
)
CHECKS = (WITHIN_EVENT, ROUNDS_IN_ORDER)

FRAME_SQL = """
SELECT replace(rd.round, '_', ' ') AS round, rd.date, rd.date_source_file AS source_file,
       rd.date_source_line AS source_line, e.start_date, e.end_date,
       ib.value AS dates, ib.source_file || ':' || ib.source_line AS dates_at,
       lag(rd.date) OVER w AS previous_date,
       replace(lag(rd.round) OVER w, '_', ' ') AS previous_round
FROM rounds AS rd
JOIN events AS e USING (event_id)
LEFT JOIN infobox AS ib ON ib.event_id = rd.event_id AND ib.key = 'Dates'
WINDOW w AS (PARTITION BY rd.event_id ORDER BY rd.round_order)
"""


class RoundDates(pa.DataFrameModel):
    """Each round's date with the event's dates and the previous round's date."""

    date: pl.Date = pa.Field(description="The round's declared date.")
    start_date: pl.Date = pa.Field(description="First day of the event.")
    end_date: pl.Date = pa.Field(description="Last day of the event.")
    previous_date: pl.Date = pa.Field(nullable=True, description="Previous round's date.")

    @pa.dataframe_check(name=WITHIN_EVENT.id)
    def _within(cls, data: pa.PolarsData) -> pl.LazyFrame:
        date = pl.col("date")
        return data.lazyframe.select(date.is_between(pl.col("start_date"), pl.col("end_date")))

    @pa.dataframe_check(name=ROUNDS_IN_ORDER.id)
    def _in_order(cls, data: pa.PolarsData) -> pl.LazyFrame:
        previous = pl.col("previous_date")
        return data.lazyframe.select(previous.is_null() | (pl.col("date") >= previous))


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the date rules."""
    return validate(con.sql(FRAME_SQL), RoundDates, CHECKS, "rounds")


RULE = Rule(CHECKS, run, "event", order=90)
