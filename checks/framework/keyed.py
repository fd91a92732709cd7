"""Integer keys for races, events and entrants, the one preparation most rules read.

Rules partition and join results by race, event and entrant thousands of times over; integer
keys make that 2-3x cheaper than the string ids, so they are assigned once per connection.
"""

from __future__ import annotations

from checks.framework.rule import Preparation

KEYED_RESULTS = Preparation(
    "keyed_results",
    """
CREATE OR REPLACE TEMP TABLE keyed_races AS
SELECT ra.*, CAST(row_number() OVER () AS INTEGER) AS race_key, rd.round_order,
       CAST(dense_rank() OVER (ORDER BY ra.event_id) AS INTEGER) AS event_key
FROM races AS ra
LEFT JOIN rounds AS rd ON rd.event_id = ra.event_id AND rd.round = ra.round;

-- Only integers are stored per result (a copy of the strings would double the memory).
CREATE OR REPLACE TEMP TABLE result_keys AS
SELECT r.rowid AS result_key, k.race_key, e.entrant_key
FROM results AS r
LEFT JOIN keyed_races AS k USING (race_id)
LEFT JOIN (SELECT entrant_id, CAST(row_number() OVER () AS INTEGER) AS entrant_key
           FROM entrants) AS e USING (entrant_id);

CREATE OR REPLACE TEMP VIEW keyed_results AS
SELECT r.rowid AS result_key, r.*, k.race_key, kr.event_key, kr.round, kr.round_order,
       kr.label AS race_label, kr.race_number, k.entrant_key
FROM results AS r
JOIN result_keys AS k ON k.result_key = r.rowid
LEFT JOIN keyed_races AS kr USING (race_key);
""",
)
