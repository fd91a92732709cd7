"""An Olympic event agrees with an independent reference (raw/reference/, Olympedia's tallies
and a medals table): its competitors, its nations, its podium and its relay line-ups.

An event is matched to its reference event by Games year, gender, distance and relay (the
reference_id both share); an event no reference holds (a later Games, another competition) is
judged by nothing here. Each failure points at the page's line and, as a note, at the
reference's."""

from __future__ import annotations

import duckdb
import pandera.polars as pa
import polars as pl

from checks.framework.check import Check, Failure
from checks.framework.rule import Rule
from checks.framework.validate import validate
from checks.rules.tallies import FOUND_COUNTS, count_agrees
from core.codes import ALIAS_REASON_PLACEHOLDER
from core.views import REFERENCE_MATCH

REFERENCE_ROW = ("ref_file", "ref_line", "the reference's row")

COMPETITORS = Check(
    id="reference.competitors",
    severity="error",
    description="An Olympic event's competitors (the infobox's, which tallies.competitors holds "
    "to the results) equal its reference event's participants.",
    message="{said} {found} competitors; the reference counts {counted}",
    expected="{counted}",
    found="{found}",
    related=REFERENCE_ROW,
)
NATIONS = Check(
    id="reference.nations",
    severity="error",
    description="An Olympic event's nations (the infobox's, which tallies.nations holds to the "
    "results) equal its reference event's countries.",
    message="{said} {found} nations; the reference counts {counted}",
    expected="{counted}",
    found="{found}",
    related=REFERENCE_ROW,
)
PODIUM = Check(
    id="reference.podium",
    severity="error",
    description="An Olympic event's gold, silver and bronze medalists (the skater, or a relay's "
    "team, and the NOC) are its reference event's podium, and those of its medals table.",
    message="the {medal} medalist: the page names {page_medalists}, the reference {name} ({noc})"
    "{advice}",
    expected="{name} ({noc})",
    found="{page_medalists}",
    related=REFERENCE_ROW,
)
LINE_UPS = Check(
    id="reference.relay-line-ups",
    severity="error",
    description="Every relay medalist of the reference's medals table skated for the "
    "medal-winning team of the event (team_skaters).",
    message="the reference's {medal} medalist {athlete} ({noc}) {problem}",
    expected="{athlete} among the {noc} team's skaters",
    found="{team_skaters}",
    related=REFERENCE_ROW,
)
CHECKS = (COMPETITORS, NATIONS, PODIUM, LINE_UPS)

# Each warehouse event that a reference event names, with the line to blame when the page has
# no line of its own for what disagrees.
MATCHED = f"""
matched AS (
    SELECT e.event_id, e.is_relay, e.source_file AS event_file, e.source_line AS event_line,
           r.reference_id, r.participants, r.countries,
           r.source_file AS ref_file, r.source_line AS ref_line
    FROM events AS e
    JOIN reference_events AS r ON {REFERENCE_MATCH}
)"""

# The page's count of each tally: the infobox's claim where it states one (tallies.* holds it
# to the results), else the results' own count, at the page's title line.
COUNTS_SQL = f"""
WITH {MATCHED}, {FOUND_COUNTS}
SELECT m.event_id, k.kind,
       coalesce(ib.source_file, m.event_file) AS source_file,
       coalesce(ib.source_line, m.event_line) AS source_line,
       m.ref_file, m.ref_line,
       CASE k.kind WHEN 'Competitors' THEN m.participants ELSE m.countries END AS counted,
       CASE WHEN ib.key IS NOT NULL THEN 'the infobox claims' ELSE 'the results have' END
           AS said,
       CASE k.kind WHEN 'Competitors' THEN coalesce(e.competitors_declared, f.competitors, 0)
                   ELSE coalesce(e.nations_declared, f.nations, 0) END AS found
FROM matched AS m
JOIN events AS e USING (event_id)
CROSS JOIN (VALUES ('Competitors'), ('Nations')) AS k(kind)
LEFT JOIN found AS f USING (event_id)
LEFT JOIN infobox AS ib ON ib.event_id = m.event_id AND ib.key = k.kind
"""

# Per medal of a matched event: each reference's medalist (the tallies' podium, and the medals
# table's rows of an individual event) beside the page's (the infobox's Gold/Silver/Bronze
# rows: tallies.medalists holds them to Final A).
PODIUM_SQL = f"""
WITH {MATCHED},
reference AS (
    SELECT reference_id, medal, name, noc, athlete_id, name_match, source_file, source_line
    FROM reference_podiums
    UNION ALL
    SELECT reference_id, medal, athlete, noc, athlete_id, name_match, source_file, source_line
    FROM reference_medals WHERE NOT is_relay
),
page AS (
    SELECT md.event_id, md.medal,
           list(md.athlete_id ORDER BY md.source_line) AS athlete_ids,
           list(coalesce(en.noc, a.noc) ORDER BY md.source_line) AS nocs,
           string_agg(md.name_as_printed || ' (' || coalesce(en.noc, a.noc, '?') || ')', ', '
                      ORDER BY md.source_line) AS page_medalists,
           min(md.source_file) AS source_file, min(md.source_line) AS source_line
    FROM medals AS md
    LEFT JOIN entrants AS en USING (entrant_id)
    LEFT JOIN athletes AS a ON a.athlete_id = md.athlete_id
    GROUP BY md.event_id, md.medal
)
SELECT m.event_id, r.medal, r.name, r.noc, r.athlete_id,
       r.source_file AS ref_file, r.source_line AS ref_line,
       coalesce(pg.source_file, m.event_file) AS source_file,
       coalesce(pg.source_line, m.event_line) AS source_line,
       coalesce(pg.page_medalists, 'nobody') AS page_medalists,
       coalesce(list_contains(pg.nocs, r.noc), false)
       AND (m.is_relay OR coalesce(list_contains(pg.athlete_ids, r.athlete_id), false))
           AS agrees,
       CASE r.name_match
           -- The aliases.csv line, its name quoted as CSV where it holds a comma.
           WHEN 'unknown' THEN '; if they are one skater, declare `'
                || CASE WHEN r.name LIKE '%,%' OR r.name LIKE '%"%'
                        THEN '"' || replace(r.name, '"', '""') || '"' ELSE r.name END
                || ',' || coalesce(pg.athlete_ids[1], 'athlete_id')
                || ',{ALIAS_REASON_PLACEHOLDER}` in registry/aliases.csv'
           WHEN 'ambiguous' THEN '; the name matches several athletes: give each their own'
           ELSE ''
       END AS advice
FROM matched AS m
JOIN reference AS r USING (reference_id)
LEFT JOIN page AS pg ON pg.event_id = m.event_id AND pg.medal = r.medal
"""

# Per relay medalist of the reference's medals table: the page's team of that NOC and medal.
LINE_UPS_SQL = f"""
WITH {MATCHED},
teams AS (
    SELECT md.event_id, md.medal, en.noc, md.entrant_id,
           md.source_file, md.source_line
    FROM medals AS md JOIN entrants AS en USING (entrant_id)
),
skated AS (
    SELECT t.event_id, t.medal, t.noc,
           list(DISTINCT ts.athlete_id) AS skater_ids,
           string_agg(DISTINCT a.name, ', ' ORDER BY a.name) AS team_skaters
    FROM teams AS t
    JOIN team_skaters AS ts ON ts.entrant_id = t.entrant_id
    JOIN athletes AS a ON a.athlete_id = ts.athlete_id
    GROUP BY ALL
)
SELECT m.event_id, rm.athlete, rm.noc, rm.medal, rm.athlete_id,
       rm.source_file AS ref_file, rm.source_line AS ref_line,
       coalesce(t.source_file, m.event_file) AS source_file,
       coalesce(t.source_line, m.event_line) AS source_line,
       coalesce(s.team_skaters, 'no team') AS team_skaters,
       coalesce(list_contains(s.skater_ids, rm.athlete_id), false) AS agrees,
       CASE
           WHEN rm.name_match = 'ambiguous' THEN 'names several athletes: give each their own'
           WHEN rm.athlete_id IS NULL THEN 'is no athlete of the registry: declare this '
                || 'spelling an alias of the skater in registry/aliases.csv'
           WHEN t.noc IS NULL THEN 'is of a team the page gives no ' || rm.medal || ' medal'
           ELSE 'skated for no race of the page''s ' || rm.noc || ' team'
       END AS problem
FROM matched AS m
JOIN reference_medals AS rm ON rm.reference_id = m.reference_id AND rm.is_relay
LEFT JOIN teams AS t ON t.event_id = m.event_id AND t.medal = rm.medal AND t.noc = rm.noc
LEFT JOIN skated AS s ON s.event_id = m.event_id AND s.medal = rm.medal AND s.noc = rm.noc
"""


class Counts(pa.DataFrameModel):
    """Each matched event's competitors and nations, counted by its results and the reference."""

    kind: pl.String = pa.Field(description="Competitors or Nations.")
    counted: pl.Int16 = pa.Field(description="The reference's count.")
    found: pl.Int64 = pa.Field(description="The infobox's count, else the results'.")

    @pa.dataframe_check(name=COMPETITORS.id)
    def _competitors(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return count_agrees(data, "Competitors", "counted", key="kind")

    @pa.dataframe_check(name=NATIONS.id)
    def _nations(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return count_agrees(data, "Nations", "counted", key="kind")


def agreement(check: Check) -> pa.DataFrameSchema:
    """A frame whose `agrees` column says, row by row, whether the page agrees with the
    reference: each false row is a failure of `check`."""
    holds = pa.Check(lambda data: data.lazyframe.select(pl.col("agrees")), name=check.id)
    return pa.DataFrameSchema({"agrees": pa.Column(pl.Boolean, checks=holds)})


def run(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Failures of the reference rules."""
    return [
        *validate(con.sql(COUNTS_SQL), Counts, CHECKS, "events"),
        *validate(con.sql(PODIUM_SQL), agreement(PODIUM), CHECKS, "medals"),
        *validate(con.sql(LINE_UPS_SQL), agreement(LINE_UPS), CHECKS, "team_skaters"),
    ]


RULE = Rule(CHECKS, run, "event", order=95)
