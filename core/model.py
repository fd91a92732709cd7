"""The warehouse tables: Arrow types and descriptions, written once and fed to Parquet, DuckDB
`COMMENT ON` and docs/schema.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

import pyarrow as pa

from core import codes, rows


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool
    description: str
    accepted: tuple[str, ...] | None = None  # the codes it may hold (core/codes.py)
    references: tuple[str, str] | None = None  # (table, key column) each value must name


# An event table's rows belong to one event (they carry event_id and come from its folder): they
# are parsed per event, reused per event by incremental builds and checked per event. A shared
# table comes from the registry or the waivers and is read whole.
# A check table's rows are what the checks of the build found (written after they ran).
Scope = Literal["event", "shared", "checks"]
EVENT: Scope = "event"
SHARED: Scope = "shared"
CHECKS: Scope = "checks"


@dataclass(frozen=True)
class TableSpec:
    name: str
    scope: Scope
    description: str
    row: type[NamedTuple]
    columns: tuple[Column, ...]
    key: str | None = None  # the column that names a row, unique in the table
    # The columns that tell one row from another where the data is sound (`pipeline diff`
    # pairs the rows of two builds by them); a corrupt page may repeat them.
    row_key: tuple[str, ...] = ()

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])


def _col(
    name: str,
    type_: pa.DataType,
    description: str,
    *,
    nullable: bool = False,
    accepted: tuple[str, ...] | None = None,
    references: tuple[str, str] | None = None,
) -> Column:
    return Column(name, type_, nullable, description, accepted, references)


def _refers(column: Column, table: str, key: str) -> Column:
    """A shared column that, in this table, must name a row of `table` (by `key`)."""
    return replace(column, references=(table, key))


def _coded(column: Column, accepted: tuple[str, ...]) -> Column:
    """A shared column that, in this table, holds only these codes."""
    return replace(column, accepted=accepted)


STR, DATE, BOOL = pa.string(), pa.date32(), pa.bool_()
I8, I16, I32, F64 = pa.int8(), pa.int16(), pa.int32(), pa.float64()

EVENT_ID = _col(
    "event_id", STR, "Event key: the folder name under raw/events/, e.g. 2006-men-1000m."
)
SOURCE = (
    _col(
        "source_file",
        STR,
        "Raw file the row was read from, under the --raw folder, e.g. raw/events/…/page.txt.",
    ),
    _col("source_line", I32, "1-based line in source_file that states this row."),
)
ATHLETE_ID = _col("athlete_id", STR, "Registered athlete (athletes.athlete_id).")
ENTRANT_ID = _col(
    "entrant_id",
    STR,
    "Who races (entrants.entrant_id): an athlete, or a team in a relay, within one event.",
)
ENTRY_ATHLETE_ID = _col(
    "athlete_id",
    STR,
    "The entrant's athlete (athletes.athlete_id); null for a team.",
    nullable=True,
)
RACE_ID = _col("race_id", STR, "Race key: event_id/label-slug, e.g. 2006-men-1000m/heat-1.")
ROUND = _col(
    "round",
    STR,
    "Round: preliminaries, heats, repechage_quarterfinals, repechage_semifinals, "
    "quarterfinals, semifinals or finals.",
)
TIME_MS = "Time in integer milliseconds"
DECIMALS = "Decimals printed in the time (3 = thousandths, 2 = hundredths)"

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "events",
        EVENT,
        "One row per event page: the infobox facts, typed.",
        rows.EventRow,
        (
            EVENT_ID,
            _col("title", STR, "Page title (the `= … =` line)."),
            _col("event_name", STR, "Infobox Event, e.g. Men's 1000 metres."),
            _col(
                "gender", STR, "men, women or mixed, from the event name.", accepted=codes.GENDERS
            ),
            _col("distance_m", I16, "Race distance in metres, from the event name."),
            _col(
                "games",
                STR,
                "Infobox Games, e.g. 2006 Winter; null off the Olympics.",
                nullable=True,
            ),
            _col("games_year", I16, "Year of the Games; null off the Olympics.", nullable=True),
            _col(
                "season", STR, "Season of the Games: Winter; null off the Olympics.", nullable=True
            ),
            _col(
                "competition",
                STR,
                "The competition: infobox Competition (e.g. 2099/2100 ISU World Tour, Stage 2), "
                "or the Games' (2006 Winter Olympics).",
            ),
            _col(
                "competition_kind",
                STR,
                "olympics, world tour, world championships, continental or other.",
                accepted=codes.COMPETITION_KINDS,
            ),
            _col(
                "competition_season",
                STR,
                "The season a competition names, as 2099/2100; null for the Olympics.",
                nullable=True,
            ),
            _col(
                "stage", I16, "The World Tour stage a competition names (Stage 2).", nullable=True
            ),
            _col("venue", STR, "Infobox Venue.", nullable=True),
            _col("start_date", DATE, "First day of the event (infobox Dates)."),
            _col("end_date", DATE, "Last day of the event (infobox Dates)."),
            _col(
                "competitors_declared",
                I16,
                "Infobox Competitors: skaters the page claims (in a relay, every team's skaters).",
                nullable=True,
            ),
            _col("nations_declared", I16, "Infobox Nations: NOCs the page claims.", nullable=True),
            _col("is_relay", BOOL, "A relay: the entrants are teams (the event name ends relay)."),
            _col(
                "teams_declared", I16, "Infobox Teams: relay teams the page claims.", nullable=True
            ),
            *SOURCE,
        ),
        key="event_id",
        row_key=("event_id",),
    ),
    TableSpec(
        "infobox",
        EVENT,
        "Every infobox field as printed, one row per `- Key: Value` line.",
        rows.InfoboxRow,
        (
            EVENT_ID,
            _col("key", STR, "Field name as printed, e.g. Competitors."),
            _col("value", STR, "Field value as printed."),
            *SOURCE,
        ),
        row_key=("event_id", "key"),
    ),
    TableSpec(
        "medals",
        EVENT,
        "Medalists as the infobox names them.",
        rows.MedalRow,
        (
            EVENT_ID,
            _col("medal", STR, "gold, silver or bronze.", accepted=codes.MEDALS),
            _col("place", I8, "1 for gold, 2 for silver, 3 for bronze."),
            _refers(ENTRANT_ID, "entrants", "entrant_id"),
            _refers(ENTRY_ATHLETE_ID, "athletes", "athlete_id"),
            _col("name_as_printed", STR, "Medalist name exactly as the infobox prints it."),
            _col(
                "noc_as_printed",
                STR,
                "The infobox's NOC for the medalist (Goldnoc, …).",
                nullable=True,
            ),
            _col("noc_source_line", I32, "Line of that NOC field in source_file.", nullable=True),
            *SOURCE,
        ),
        row_key=("event_id", "medal", "entrant_id"),
    ),
    TableSpec(
        "nations",
        SHARED,
        "National Olympic Committees (raw/registry/nocs.csv).",
        rows.NationRow,
        (
            _col("noc", STR, "Three-letter NOC code, e.g. KOR."),
            _col("name", STR, "Nation name, e.g. South Korea."),
            *SOURCE,
        ),
        key="noc",
        row_key=("noc",),
    ),
    TableSpec(
        "athletes",
        SHARED,
        "The athlete registry (raw/registry/athletes.csv).",
        rows.AthleteRow,
        (
            _col("athlete_id", STR, "Stable athlete key, e.g. ahn-hyun-soo."),
            _col("name", STR, "Canonical spelling of the athlete's name."),
            _col(
                "noc",
                STR,
                "NOC the athlete skated for (nations.noc).",
                references=("nations", "noc"),
            ),
            *SOURCE,
        ),
        key="athlete_id",
        row_key=("athlete_id",),
    ),
    TableSpec(
        "athlete_aliases",
        SHARED,
        "Reviewed alternative spellings (raw/registry/aliases.csv).",
        rows.AliasRow,
        (
            _col("alias", STR, "A spelling seen on a page that is not the canonical name."),
            _refers(ATHLETE_ID, "athletes", "athlete_id"),
            _col("reason", STR, "Why this spelling is that athlete (reviewed)."),
            _col(
                "since",
                DATE,
                "For a name the athlete took (a name change): the day it applies from; "
                "null for a misspelling.",
                nullable=True,
            ),
            *SOURCE,
        ),
        row_key=("alias",),
    ),
    TableSpec(
        "nationalities",
        SHARED,
        "Changes of sporting nationality (raw/registry/nationalities.csv): from `since` on, "
        "the athlete skates for `noc`.",
        rows.NationalityRow,
        (
            _refers(ATHLETE_ID, "athletes", "athlete_id"),
            _col(
                "noc",
                STR,
                "The NOC the athlete skates for from that day (nations.noc).",
                references=("nations", "noc"),
            ),
            _col("since", DATE, "First day of the new nationality."),
            _col("reason", STR, "What the change is and where it is documented (reviewed)."),
            *SOURCE,
        ),
        row_key=("athlete_id", "since"),
    ),
    TableSpec(
        "rounds",
        EVENT,
        "Rounds of each event as found on the page, dated by event.toml.",
        rows.RoundRow,
        (
            _refers(EVENT_ID, "events", "event_id"),
            _coded(ROUND, codes.ROUNDS),
            _col(
                "round_order",
                I8,
                "The round's place among the event's rounds in skating order, 1 for its first "
                "(preliminaries, heats, repechage quarterfinals, repechage semifinals, "
                "quarterfinals, semifinals, finals).",
            ),
            _col("date", DATE, "Day the round was skated (event.toml)."),
            _col("date_source_file", STR, "The event.toml that dates the round."),
            _col("date_source_line", I32, "Line of the round's date in date_source_file."),
            _col(
                "seeded",
                BOOL,
                "True where entrants who skated no earlier round enter directly (event.toml "
                "`seeded`: the World Tour's seeded skaters in the heats).",
            ),
            *SOURCE,
        ),
        row_key=("event_id", "round"),
    ),
    TableSpec(
        "races",
        EVENT,
        "One row per race: each heat, quarterfinal, semifinal and final.",
        rows.RaceRow,
        (
            RACE_ID,
            _refers(EVENT_ID, "events", "event_id"),
            _coded(ROUND, codes.ROUNDS),
            _col("race_number", I8, "Race number within the round (Final A = 1, Final B = 2)."),
            _col(
                "label",
                STR,
                "Race label, e.g. Heat 1, Quarterfinal 3, Final A, Repechage quarterfinals Heat 2.",
            ),
            _col("date", DATE, "Day the race was skated."),
            _col(
                "contested", BOOL, "False for a race declared not held (event.toml `uncontested`)."
            ),
            *SOURCE,
        ),
        key="race_id",
        row_key=("race_id",),
    ),
    TableSpec(
        "entrants",
        EVENT,
        "Who races in each event: an athlete, or a team (a nation and its skaters) in a relay. "
        "The entrant places, advances, sets records and wins medals; the nationality is the "
        "entry's.",
        rows.EntrantRow,
        (
            _col("entrant_id", STR, "Entrant key: event_id/athlete_id, or event_id/team-<noc>."),
            _refers(EVENT_ID, "events", "event_id"),
            _col("kind", STR, "athlete or team.", accepted=codes.ENTRANT_KINDS),
            _refers(ENTRY_ATHLETE_ID, "athletes", "athlete_id"),
            _col(
                "noc",
                STR,
                "NOC the entrant skated for in this event (nations.noc).",
                references=("nations", "noc"),
            ),
            _col("name", STR, "The athlete's registered name, or the team's nation name."),
            *SOURCE,
        ),
        key="entrant_id",
        row_key=("entrant_id",),
    ),
    TableSpec(
        "team_skaters",
        EVENT,
        "The skaters of a relay team in each race (a team may change its line-up between "
        "rounds); empty for individual events.",
        rows.TeamSkaterRow,
        (
            EVENT_ID,
            _refers(RACE_ID, "races", "race_id"),
            _col(
                "entrant_id",
                STR,
                "The team (entrants.entrant_id).",
                references=("entrants", "entrant_id"),
            ),
            _refers(ATHLETE_ID, "athletes", "athlete_id"),
            _col("name_as_printed", STR, "Skater name exactly as the page prints it."),
            _col(
                "name_match",
                STR,
                "How the name resolved: exact, folded, alias or renamed (a dated alias).",
                accepted=codes.NAME_MATCHES,
            ),
            *SOURCE,
        ),
        row_key=("race_id", "entrant_id", "athlete_id"),
    ),
    TableSpec(
        "results",
        EVENT,
        "One row per entrant per race, as printed in the race's table.",
        rows.ResultRow,
        (
            _refers(EVENT_ID, "events", "event_id"),
            _refers(RACE_ID, "races", "race_id"),
            _refers(ENTRANT_ID, "entrants", "entrant_id"),
            _refers(ENTRY_ATHLETE_ID, "athletes", "athlete_id"),
            _col("name_as_printed", STR, "Athlete name exactly as the page prints it."),
            _col(
                "name_match",
                STR,
                "How the name resolved: exact, folded (case/diacritics) or alias.",
                accepted=codes.NAME_MATCHES,
            ),
            _col(
                "country_as_printed",
                STR,
                "Country cell or bracketed NOC, if the page has one.",
                nullable=True,
            ),
            _col(
                "rank",
                I8,
                "Place in the race; null where the page prints – (e.g. a DQ).",
                nullable=True,
            ),
            _col(
                "place_as_printed",
                I8,
                "The place as the page prints it: the race place, or the overall place where "
                "a Final B prints 6, 7, 8 …; null for –.",
                nullable=True,
            ),
            _col("time_ms", I32, f"{TIME_MS}; null without a time.", nullable=True),
            _col("time_decimals", I8, f"{DECIMALS}; null without a time.", nullable=True),
            _col("status", STR, "finished, no time, DQ, DNF or DNS.", accepted=codes.STATUSES),
            _col(
                "note",
                STR,
                "Advancement or penalty note: Q, q, QA, QB, qA, qB, ADV, ADVA, ADVB, PEN, YC "
                "(`ADV A` read as ADVA); record marks are kept apart in record_mark.",
                nullable=True,
            ),
            _col(
                "record_mark",
                STR,
                "OR or WR where the Notes cell marks a record (a WR is an OR too).",
                nullable=True,
                accepted=codes.RECORD_KINDS,
            ),
            _col("notes_as_printed", STR, "The Notes cell exactly as printed.", nullable=True),
            *SOURCE,
        ),
        row_key=("race_id", "entrant_id"),
    ),
    TableSpec(
        "records",
        EVENT,
        "New records set during the event (the page's records table).",
        rows.RecordRow,
        (
            EVENT_ID,
            _refers(RACE_ID, "races", "race_id"),
            _col("date", DATE, "Day the record was set, as printed (year from the event)."),
            _col("time_ms", I32, f"{TIME_MS}."),
            _col("time_decimals", I8, f"{DECIMALS}."),
            _col("is_olympic_record", BOOL, "The OR column is marked."),
            _col("is_world_record", BOOL, "The WR column is marked."),
            _col(
                "holder_as_printed",
                STR,
                "The Team/holder cell; null when empty (derive it from "
                "results, see view records_wide).",
                nullable=True,
            ),
            _col(
                "holder_athlete_id",
                STR,
                "The printed holder resolved to an athlete; null when the cell is empty.",
                nullable=True,
                references=("athletes", "athlete_id"),
            ),
            _col(
                "holder_entrant_id",
                STR,
                "The printed holder as an entrant of the event; null when the cell is empty.",
                nullable=True,
                references=("entrants", "entrant_id"),
            ),
            *SOURCE,
        ),
        row_key=("event_id", "race_id", "holder_entrant_id"),
    ),
    TableSpec(
        "prior_records",
        EVENT,
        'Records standing before the event: the page\'s "Prior to this competition" table, '
        "or event.toml [prior_record] for a page that lost it.",
        rows.PriorRecordRow,
        (
            EVENT_ID,
            _col(
                "kind",
                STR,
                "OR (Olympic record) or WR (world record).",
                accepted=codes.RECORD_KINDS,
            ),
            _col("time_ms", I32, f"{TIME_MS}."),
            _col("time_decimals", I8, f"{DECIMALS}."),
            _col("athlete_name", STR, "Holder as printed or declared (a skater, or a team)."),
            _col("noc", STR, "Holder's NOC; null when the page names none.", nullable=True),
            _col("date", DATE, "Day the record was set."),
            *SOURCE,
        ),
        row_key=("event_id", "kind"),
    ),
    TableSpec(
        "advancement_rules",
        EVENT,
        "Who advances from each round (event.toml `advance`).",
        rows.AdvancementRuleRow,
        (
            EVENT_ID,
            _coded(ROUND, codes.ROUNDS),
            _col(
                "note",
                STR,
                "Note given to advancing athletes, e.g. Q, q, QA; null: the rule sends those "
                "of its ranks the page gives no advancing note.",
                nullable=True,
            ),
            _col("rank_min", I8, "Lowest rank the rule covers."),
            _col("rank_max", I8, "Highest rank the rule covers."),
            _col(
                "fastest",
                I8,
                "If set, only the N fastest of those ranks across the round "
                "advance (ties at the cut-off all advance).",
                nullable=True,
            ),
            _col(
                "to_round",
                STR,
                "Round they advance to: event.toml `to`, else the event's next round (null "
                "after its last).",
                nullable=True,
                accepted=codes.ROUNDS,
            ),
            _col(
                "to_label",
                STR,
                "Race they advance to, e.g. Final A; null = any race of to_round.",
                nullable=True,
            ),
            *SOURCE,
        ),
        row_key=("event_id", "round", "note"),
    ),
    TableSpec(
        "classification",
        EVENT,
        "The final standings of each event, derived from its races: Final A, then Final B, then "
        "those eliminated in each earlier round (later rounds first; by place in their last "
        "race, then ISU points, then best time). Disqualified in their last race: unranked. Off "
        "the Olympics, the ISU's order (docs/classification.md).",
        rows.ClassificationRow,
        (
            EVENT_ID,
            _col(
                "position",
                I16,
                "Final position; equal entrants share one (1, 2, 2, 4); null when unranked.",
                nullable=True,
            ),
            ENTRANT_ID,
            ENTRY_ATHLETE_ID,
            _col("noc", STR, "NOC the entrant skated for."),
            _col("last_round", STR, "Round of the entrant's last race."),
            _col("last_race", STR, "Label of the last race, e.g. Quarterfinal 2."),
            _col(
                "place_in_last_race",
                I8,
                "Place in that race (a dead heat shares the better place); for an uncontested "
                "final, the place it awarded; null when disqualified.",
                nullable=True,
            ),
            _col(
                "points",
                F64,
                "ISU points summed over the entrant's races (places 1-8: 34, 21, 13, 8, 5, 3, 2, "
                "1; a dead heat shares the mean of the places it covers).",
            ),
            _col("best_time_ms", I32, f"{TIME_MS}: the fastest in the event.", nullable=True),
            _col(
                "status",
                STR,
                "ranked, awarded (declared in event.toml), DQ, DNF, DNS, yellow card, or a status "
                "ranked last of its round or final: DQ, ranked last of Heats.",
            ),
            _col(
                "source_file",
                STR,
                "Raw file of the result that decided the position (the last race's row).",
            ),
            _col("source_line", I32, "Line of that result in source_file."),
        ),
        row_key=("event_id", "entrant_id"),
    ),
    TableSpec(
        "printed_classification",
        EVENT,
        "The standing a page prints itself (a ==Classification== table), held against the "
        "derived one by classification.printed.",
        rows.PrintedStandingRow,
        (
            EVENT_ID,
            _refers(ENTRANT_ID, "entrants", "entrant_id"),
            _col(
                "position_as_printed",
                I16,
                "Position the page prints; null where it prints none (a dash).",
                nullable=True,
            ),
            _col("name_as_printed", STR, "The athlete, or in a relay the team, as printed."),
            *SOURCE,
        ),
        key="entrant_id",
        row_key=("event_id", "entrant_id"),
    ),
    TableSpec(
        "waivers",
        SHARED,
        "Reviewed exceptions (raw/waivers.toml): a check failure accepted at one raw line.",
        rows.WaiverRow,
        (
            _col("check_id", STR, "Id of the check whose failure is accepted."),
            _col("file", STR, "Raw file of the accepted failure, e.g. raw/events/…/page.txt."),
            _col("line", I32, "Line of the accepted failure in file."),
            _col("reason", STR, "Why the failure is a real mistake of the source (reviewed)."),
            *SOURCE,
        ),
        row_key=("check_id", "file", "line"),
    ),
    TableSpec(
        "reference_events",
        SHARED,
        "Events of an independent reference (raw/reference/*.csv in Olympedia's tallies format): "
        "one row per Olympic event with its competitors and nations.",
        rows.ReferenceEventRow,
        (
            _col(
                "reference_id",
                STR,
                "Reference event key: Games year, gender, distance, relay, e.g. 2006-men-1000m "
                "or 2006-men-5000m-relay.",
            ),
            _col("games", STR, "The Games as the reference prints them, e.g. XX / 2006."),
            _col("games_year", I16, "Year of the Games."),
            _col("host", STR, "Host city and country as printed, e.g. Torino, Italy."),
            _col("event", STR, "The event as printed, e.g. 1,000 metres, Men."),
            _col("gender", STR, "men, women or mixed.", accepted=codes.GENDERS),
            _col("distance_m", I16, "Race distance in metres."),
            _col("is_relay", BOOL, "A relay event."),
            _col("dates", STR, "Dates as printed, e.g. 15 – 18 February 2006."),
            _col("participants", I16, "Competitors (in a relay, every skater entered)."),
            _col("countries", I16, "Nations (NOCs) taking part."),
            *SOURCE,
        ),
        key="reference_id",
        row_key=("reference_id",),
    ),
    TableSpec(
        "reference_podiums",
        SHARED,
        "The podium of each reference event (its gold, silver and bronze columns), each "
        "medalist resolved through the registry where a name or reviewed alias names them.",
        rows.ReferencePodiumRow,
        (
            _refers(
                _col("reference_id", STR, "The reference event (reference_events)."),
                "reference_events",
                "reference_id",
            ),
            _col("medal", STR, "gold, silver or bronze.", accepted=codes.MEDALS),
            _col("place", I8, "1 for gold, 2 for silver, 3 for bronze."),
            _col("name", STR, "The medalist as printed: a skater, or a relay's team."),
            _col("noc", STR, "The medalist's NOC as printed.", references=("nations", "noc")),
            _col(
                "athlete_id",
                STR,
                "The registered athlete the name or an alias names; null for a team, or a "
                "name the registry does not know.",
                nullable=True,
                references=("athletes", "athlete_id"),
            ),
            _col(
                "name_match",
                STR,
                "How the name matched the registry: matched (one athlete), unknown (no name "
                "or alias), ambiguous (several athletes: none chosen) or team (a relay's).",
                accepted=codes.REFERENCE_MATCHES,
            ),
            *SOURCE,
        ),
        row_key=("reference_id", "medal"),
    ),
    TableSpec(
        "reference_medals",
        SHARED,
        "Medals of a reference in the medals format (raw/reference/*.csv), one row per "
        "medalist: a relay medal has a row for each team member.",
        rows.ReferenceMedalRow,
        (
            _col("reference_id", STR, "The event's reference key, as reference_events's."),
            _col("year", I16, "Year of the Games."),
            _col("city", STR, "Host city as printed."),
            _col("athlete", STR, "The medalist as printed, SURNAME, Given names."),
            _col("noc", STR, "The medalist's NOC.", references=("nations", "noc")),
            _col("gender", STR, "men, women or mixed.", accepted=codes.GENDERS),
            _col("event", STR, "The event as printed, e.g. 5000M Relay."),
            _col("distance_m", I16, "Race distance in metres."),
            _col("is_relay", BOOL, "A relay medal."),
            _col("medal", STR, "gold, silver or bronze.", accepted=codes.MEDALS),
            _col(
                "athlete_id",
                STR,
                "The registered athlete the name (given names first or surname first) or an "
                "alias names; null if the registry knows no such skater.",
                nullable=True,
                references=("athletes", "athlete_id"),
            ),
            _col(
                "name_match",
                STR,
                "How the name matched the registry: matched (one athlete), unknown (no name "
                "or alias), ambiguous (several athletes: none chosen).",
                accepted=codes.REFERENCE_MATCHES,
            ),
            *SOURCE,
        ),
        row_key=("reference_id", "medal", "athlete"),
    ),
)

# The outcome of the build's own checks, stored beside the data (dbt's --store-failures): select
# over a rejected build's failures. Not Parquet inputs of the load: written after the checks.
CHECK_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "failures",
        CHECKS,
        "Every failure the build's checks found, waived ones included, in report order (the "
        "checks `pipeline run` ran; a later `pipeline check` does not change it).",
        rows.FailureRow,
        (
            _col("check_id", STR, "The check (checks.check_id)."),
            _col("severity", STR, "error or warn.", accepted=("error", "warn")),
            _col(
                "event_id",
                STR,
                "The event of the blamed file; null for a registry or waiver file.",
                nullable=True,
            ),
            _col("source_file", STR, "The raw file the failure points at."),
            _col("source_line", I32, "Its 1-based line."),
            _col("message", STR, "What is wrong, in words."),
            _col("expected", STR, "What the check expected there."),
            _col("found", STR, "What it found."),
            _col("waived", BOOL, "True when a waiver in raw/waivers.toml accepts it."),
            _col("waiver_reason", STR, "The waiver's reviewed reason.", nullable=True),
            _col(
                "note",
                STR,
                "The other side of a mismatch, `path:line: note: see …` (the race a record "
                "names, the reference row a page disagrees with); null if none.",
                nullable=True,
            ),
        ),
        # Not the line: a failure whose line moved (an edit above it) is the same failure.
        row_key=("check_id", "source_file", "message"),
    ),
    TableSpec(
        "checks",
        CHECKS,
        "The check catalogue with each check's outcome in the build.",
        rows.CheckRow,
        (
            _col("check_id", STR, "The check's id, e.g. records.time-matches-result."),
            _col("family", STR, "Its family, the id's first part (records)."),
            _col("severity", STR, "error (fails the build) or warn.", accepted=("error", "warn")),
            _col(
                "status",
                STR,
                "passed, failed, warned or waived in this build.",
                accepted=("passed", "failed", "warned", "waived"),
            ),
            _col("failures", I32, "Its failures in this build, waived ones included."),
            _col("description", STR, "What it asserts."),
        ),
        key="check_id",
        row_key=("check_id",),
    ),
)

TABLES_BY_NAME = {spec.name: spec for spec in TABLES}
EVENT_TABLES = tuple(spec.name for spec in TABLES if spec.scope == EVENT)
SHARED_TABLES = tuple(spec.name for spec in TABLES if spec.scope == SHARED)


def to_arrow(spec: TableSpec, table_rows: list[tuple[object, ...]]) -> pa.Table:
    """Build an Arrow table from row tuples, typed by the spec's schema."""
    columns = list(zip(*table_rows, strict=True)) if table_rows else [()] * len(spec.columns)
    arrays = [
        pa.array(values, type=column.type)
        for values, column in zip(columns, spec.columns, strict=True)
    ]
    for array, column in zip(arrays, spec.columns, strict=True):
        # Arrow does not enforce nullable=False; a null here is a parser bug, not bad input.
        if not column.nullable and array.null_count:
            raise AssertionError(f"{spec.name}.{column.name}: {array.null_count} nulls")
    return pa.Table.from_arrays(arrays, schema=spec.schema)


def constraint_statements(specs: Iterable[TableSpec]) -> list[str]:
    """The PRIMARY KEY and NOT NULL of each table as the model declares them, as ALTER
    statements (DuckDB adds both to a loaded table, never a foreign key)."""
    statements = []
    for spec in specs:
        if spec.key is not None:
            statements.append(constraint_statement(spec.name, "PRIMARY KEY", spec.key))
        statements += [
            constraint_statement(spec.name, "NOT NULL", column.name)
            for column in spec.columns
            if not column.nullable and column.name != spec.key
        ]
    return statements


def constraint_statement(table: str, kind: str, column: str) -> str:
    """The ALTER statement declaring a one-column PRIMARY KEY or NOT NULL (as DuckDB's
    duckdb_constraints() names the kind)."""
    if kind == "PRIMARY KEY":
        return f"ALTER TABLE {table} ADD PRIMARY KEY ({column})"
    return f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"
