"""Views and macros created in the DuckDB warehouse for the questions people ask most."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    name: str
    description: str
    sql: str
    columns: dict[str, str]


# Mirrors core.timefmt.format_time (a test holds the two equal): m:ss.fff, or ss.fff under
# a minute, with the decimals the page printed.
FORMAT_TIME_MACRO = """
CREATE MACRO format_time(ms, decimals) AS
CASE
    WHEN ms IS NULL THEN NULL
    WHEN ms >= 60000 THEN printf('%d:%02d.%s', ms // 60000, (ms % 60000) // 1000,
                                 left(printf('%03d', ms % 1000), decimals))
    ELSE printf('%d.%s', ms // 1000, left(printf('%03d', ms % 1000), decimals))
END
"""

RESULTS_WIDE = View(
    "results_wide",
    "Every result with its event, round, race, entrant, nation and time as text.",
    """
    SELECT res.event_id, e.event_name, e.games, e.competition, ra.round, rd.round_order,
           ra.race_number, ra.label AS race_label, ra.date AS race_date, res.rank, res.athlete_id,
           a.name AS athlete_name, res.name_as_printed, en.noc, n.name AS nation, res.time_ms,
           res.time_decimals, format_time(res.time_ms, res.time_decimals) AS time, res.status,
           res.note,
           res.source_file, res.source_line, res.race_id, res.entrant_id,
           en.kind AS entrant_kind, en.name AS entrant_name
    FROM results AS res
    JOIN races AS ra USING (race_id)
    JOIN rounds AS rd ON rd.event_id = ra.event_id AND rd.round = ra.round
    JOIN events AS e ON e.event_id = res.event_id
    -- Teams have no athlete: the entrant carries the name and the nationality of the entry.
    JOIN entrants AS en USING (entrant_id)
    LEFT JOIN athletes AS a ON a.athlete_id = res.athlete_id
    LEFT JOIN nations AS n ON n.noc = en.noc
    """,
    {
        "event_id": "Event key.",
        "event_name": "Event name, e.g. Men's 1000 metres.",
        "games": "Games, e.g. 2006 Winter; null off the Olympics.",
        "competition": "The competition, e.g. 2006 Winter Olympics or a World Tour stage.",
        "round": "preliminaries, heats, repechage_quarterfinals, repechage_semifinals, "
        "quarterfinals, semifinals or finals.",
        "round_order": "The round's place in the event's skating order: sort by this, not by "
        "round.",
        "race_number": "Race number within the round.",
        "race_label": "Race label, e.g. Quarterfinal 2.",
        "race_date": "Day the race was skated.",
        "rank": "Finishing rank; null for –.",
        "athlete_id": "Registered athlete key; null for a relay team.",
        "athlete_name": "Canonical athlete name from the registry; null for a relay team.",
        "name_as_printed": "Name exactly as the page prints it.",
        "noc": "NOC the entrant skated for in this event.",
        "nation": "That NOC's nation name.",
        "time_ms": "Time in integer milliseconds.",
        "time_decimals": "Decimals printed in the time.",
        "time": "Time as text, m:ss.fff (decimals as printed).",
        "status": "finished, no time, DQ, DNF or DNS.",
        "note": "Note as printed: Q, q, QA, QB, qA, qB, ADV, …",
        "source_file": "Page the result was read from.",
        "source_line": "Line of the result in source_file.",
        "race_id": "Race key (races.race_id): join or compare races without their labels.",
        "entrant_id": "Entrant key (entrants.entrant_id): an athlete, or a relay team.",
        "entrant_kind": "athlete or team.",
        "entrant_name": "The athlete's registered name, or the team's nation name.",
    },
)

ATHLETE_PATHS = View(
    "athlete_paths",
    "Each entrant's path through the rounds of an event, one row per entrant per event.",
    """
    SELECT event_id, athlete_id, athlete_name, noc, count(*) AS races,
           string_agg(race_label || ' #' || coalesce(CAST(rank AS VARCHAR), '–') || ' '
                      || coalesce(time, status) || coalesce(' ' || note, ''),
                      ' → ' ORDER BY round_order, race_number) AS path,
           arg_max(race_label, CAST(round_order AS INTEGER) * 100 + race_number) AS last_race,
           min(time_ms) AS best_time_ms,
           format_time(min(time_ms), arg_min(time_decimals, time_ms)) AS best_time,
           entrant_id, entrant_name
    FROM results_wide
    GROUP BY event_id, entrant_id, entrant_name, athlete_id, athlete_name, noc
    """,
    {
        "event_id": "Event key.",
        "athlete_id": "Registered athlete key; null for a relay team.",
        "athlete_name": "Canonical athlete name; null for a relay team.",
        "noc": "NOC the entrant skated for.",
        "races": "Races skated in the event.",
        "path": "Each race in order: label, #rank, time or status, note.",
        "last_race": "Furthest race reached.",
        "best_time_ms": "Fastest time in the event, in milliseconds.",
        "best_time": "Fastest time as text.",
        "entrant_id": "Entrant key: an athlete, or a relay team.",
        "entrant_name": "The athlete's registered name, or the team's nation name.",
    },
)

RECORDS_WIDE = View(
    "records_wide",
    "Records with their race and the holder derived from the race's result of that time.",
    """
    SELECT rec.event_id, rec.date, ra.label AS race_label, rec.time_ms,
           format_time(rec.time_ms, rec.time_decimals) AS time, rec.is_olympic_record,
           rec.is_world_record, en.name AS holder,
           en.athlete_id, en.noc, rec.source_file, rec.source_line, en.entrant_id
    FROM records AS rec
    JOIN races AS ra USING (race_id)
    LEFT JOIN results AS res ON res.race_id = rec.race_id AND res.time_ms = rec.time_ms
        AND rec.holder_entrant_id IS NULL
    LEFT JOIN entrants AS en ON en.entrant_id = coalesce(rec.holder_entrant_id, res.entrant_id)
    """,
    {
        "event_id": "Event key.",
        "date": "Day the record was set.",
        "race_label": "Race the record was set in.",
        "time_ms": "Record time in milliseconds.",
        "time": "Record time as text.",
        "is_olympic_record": "An Olympic record.",
        "is_world_record": "A world record.",
        "holder": "The printed holder, else the entrant whose result in the race has that time.",
        "athlete_id": "Holder's athlete key; null for a team, or if no holder is printed and no "
        "result matches.",
        "noc": "Holder's NOC in the event.",
        "source_file": "Page the record row was read from.",
        "source_line": "Line of the record row.",
        "entrant_id": "Holder's entrant key: an athlete, or a relay team.",
    },
)

PRIOR_RECORDS_WIDE = View(
    "prior_records_wide",
    "The records standing before each event, the holder's name without its bracketed NOC and, "
    "where the registry knows the name (a spelling or alias, case and accents aside), the "
    "athlete; where that athlete (or the holder's nation's team) skates the event, its entrant.",
    r"""
    WITH held AS (
        SELECT p.*, regexp_replace(p.athlete_name, '\s*\([A-Z]{3}\)$', '') AS holder
        FROM prior_records AS p
    ),
    spellings AS (
        SELECT strip_accents(lower(name)) AS spelling, athlete_id FROM athletes
        UNION
        SELECT strip_accents(lower(alias)), athlete_id FROM athlete_aliases
    ),
    known AS (
        -- A spelling of one athlete only: namesakes are not guessed between.
        SELECT spelling, any_value(athlete_id) AS athlete_id FROM spellings
        GROUP BY spelling HAVING count(DISTINCT athlete_id) = 1
    )
    SELECT h.event_id, h.kind, h.time_ms, format_time(h.time_ms, h.time_decimals) AS time,
           h.holder, coalesce(h.noc, a.noc) AS noc, k.athlete_id,
           coalesce(ea.entrant_id, et.entrant_id) AS entrant_id, h.date, h.source_file,
           h.source_line
    FROM held AS h
    LEFT JOIN known AS k ON k.spelling = strip_accents(lower(h.holder))
    LEFT JOIN athletes AS a ON a.athlete_id = k.athlete_id
    LEFT JOIN entrants AS ea ON ea.event_id = h.event_id AND ea.athlete_id = k.athlete_id
    LEFT JOIN nations AS n ON strip_accents(lower(n.name)) = strip_accents(lower(h.holder))
    LEFT JOIN entrants AS et ON et.event_id = h.event_id AND et.kind = 'team'
        AND et.noc = coalesce(h.noc, n.noc) AND k.athlete_id IS NULL
    """,
    {
        "event_id": "Event key.",
        "kind": "OR or WR.",
        "time_ms": "Record time in milliseconds.",
        "time": "Record time as text.",
        "holder": "The holder as printed or declared, without a bracketed NOC.",
        "noc": "Holder's NOC: printed, else the registered athlete's.",
        "athlete_id": "The registered athlete of that name; null for a team or a holder the "
        "registry does not know.",
        "entrant_id": "The holder's entrant in this event (an athlete, or the nation's team), "
        "if it skates it.",
        "date": "Day the record was set.",
        "source_file": "Page or event.toml the prior record was read from.",
        "source_line": "Its line.",
    },
)

STANDINGS = View(
    "standings",
    "Each event's final classification as people read it: position, name or team, NOC, last "
    "race, ISU points, best time. Order by event_id, position NULLS LAST.",
    """
    SELECT c.event_id, c.position, coalesce(a.name, en.name) AS name, c.noc,
           c.last_race, c.place_in_last_race, c.points, c.best_time_ms,
           format_time(c.best_time_ms, coalesce(
               (SELECT arg_min(r.time_decimals, r.time_ms) FROM results AS r
                WHERE r.entrant_id = c.entrant_id AND r.time_ms = c.best_time_ms), 3))
               AS best_time,
           c.status, c.entrant_id, c.athlete_id, c.source_file, c.source_line
    FROM classification AS c
    JOIN entrants AS en USING (entrant_id)
    LEFT JOIN athletes AS a ON a.athlete_id = c.athlete_id
    """,
    {
        "event_id": "Event key.",
        "position": "Final position (shared by equal entrants); null when unranked.",
        "name": "The athlete's registered name, or the relay team's nation.",
        "noc": "NOC the entrant skated for.",
        "last_race": "Furthest race reached (for an uncontested final, the one awarded).",
        "place_in_last_race": "Place in that race; null when disqualified there.",
        "points": "ISU points over the event (34, 21, 13, 8, 5, 3, 2, 1 for places 1-8).",
        "best_time_ms": "Fastest time in the event, in milliseconds.",
        "best_time": "Fastest time as text, with the decimals printed.",
        "status": "ranked, awarded, DQ, DNF, DNS, yellow card, or DQ, ranked last of Heats ….",
        "entrant_id": "Entrant key.",
        "athlete_id": "Athlete key; null for a relay team.",
        "source_file": "Page of the result that decided the position.",
        "source_line": "Line of that result.",
    },
)

MEDAL_COLUMNS = {
    "rank": "Place in the medal table; equal gold, silver and bronze counts share it.",
    "noc": "NOC.",
    "nation": "Nation name.",
    "gold": "Gold medals (position 1; a tie for first gives two).",
    "silver": "Silver medals.",
    "bronze": "Bronze medals.",
    "total": "All medals.",
}


def _medals(where: str, by: str) -> str:
    """Medals by NOC (and `by`, if any) from the classification's first three positions,
    ranked as the IOC does: golds, then silvers, then bronzes."""
    group = f"{by}, " if by else ""
    return f"""
    SELECT {group}rank() OVER ({f"PARTITION BY {by} " if by else ""}ORDER BY gold DESC,
                                silver DESC, bronze DESC) AS rank,
           noc, nation, gold, silver, bronze, total
    FROM (
        SELECT {f"e.{by}, " if by else ""}min(e.start_date) AS starts, c.noc, n.name AS nation,
               count(*) FILTER (WHERE c.position = 1) AS gold,
               count(*) FILTER (WHERE c.position = 2) AS silver,
               count(*) FILTER (WHERE c.position = 3) AS bronze,
               count(*) AS total
        FROM classification AS c
        JOIN events AS e USING (event_id)
        LEFT JOIN nations AS n USING (noc)
        WHERE c.position <= 3 {where}
        GROUP BY {f"e.{by}, " if by else ""}c.noc, n.name
    )
    ORDER BY {f"min(starts) OVER (PARTITION BY {by}), {by}, " if by else ""}gold DESC,
             silver DESC, bronze DESC, nation
    """


MEDAL_TABLE = View(
    "medal_table",
    "Medals by NOC in each competition (an Olympic Games, a World Tour stage …), from the "
    "classification (positions 1, 2, 3), ranked as the IOC does: golds, then silvers, then "
    "bronzes; competitions in date order.",
    _medals("", "competition"),
    {"competition": "The competition, e.g. 2006 Winter Olympics.", **MEDAL_COLUMNS},
)

MEDAL_TABLE_ALL_GAMES = View(
    "medal_table_all_games",
    "Olympic medals by NOC over every Games in the warehouse (no other competition counts), "
    "ranked as medal_table.",
    _medals("AND e.competition_kind = 'olympics'", ""),
    MEDAL_COLUMNS,
)

# How a warehouse event `e` is the reference event `r`: an Olympic event of the same Games year,
# gender, distance and relay (the reference family's checks match the same way).
REFERENCE_MATCH = """e.competition_kind = 'olympics' AND e.games_year = r.games_year
     AND e.gender = r.gender AND e.distance_m = r.distance_m AND e.is_relay = r.is_relay"""

COVERAGE = View(
    "coverage",
    "Every reference event (raw/reference/) with the warehouse event that matches it, if any: "
    "what the warehouse holds of the Games the references cover, and what it still lacks.",
    f"""
    -- if(): DuckDB's DESCRIBE would report events.event_id's NOT NULL through the LEFT JOIN.
    SELECT r.games_year, r.games, r.event, r.reference_id,
           if(e.event_id IS NULL, NULL, e.event_id) AS event_id,
           e.event_id IS NOT NULL AS present, r.gender, r.distance_m, r.is_relay,
           r.participants, r.countries, r.source_file, r.source_line
    FROM reference_events AS r
    LEFT JOIN events AS e ON {REFERENCE_MATCH}
    ORDER BY r.games_year, r.is_relay, r.gender, r.distance_m
    """,
    {
        "games_year": "Year of the Games.",
        "games": "The Games as the reference prints them, e.g. XX / 2006.",
        "event": "The event as the reference prints it, e.g. 1,000 metres, Men.",
        "reference_id": "Reference event key, e.g. 2006-men-1000m (reference_events).",
        "event_id": "The warehouse event that matches it; null when the warehouse lacks it.",
        "present": "The warehouse holds the event.",
        "gender": "men, women or mixed.",
        "distance_m": "Race distance in metres.",
        "is_relay": "A relay event.",
        "participants": "The reference's competitors.",
        "countries": "The reference's nations.",
        "source_file": "The reference file.",
        "source_line": "The reference event's line in it.",
    },
)

VIEWS = (
    RESULTS_WIDE,
    ATHLETE_PATHS,
    RECORDS_WIDE,
    PRIOR_RECORDS_WIDE,
    STANDINGS,
    MEDAL_TABLE,
    MEDAL_TABLE_ALL_GAMES,
    COVERAGE,
)
