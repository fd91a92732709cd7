"""The named corruptions of the real seed page (and its event.toml) and what each must cause."""

from __future__ import annotations

from tests.checks.harness import Corruption
from tests.conftest import FIXTURES

P, T = "page.txt", "event.toml"
# The reference files, from an event folder (raw/events/<event>/).
REFERENCE_TALLIES = "../../reference/olympedia-event-tallies-1992-2018.csv"
REFERENCE_MEDALS = "../../reference/medals-1992-2014.csv"
FIXTURE_TALLIES = "../../reference/fictional-event-tallies-2099.csv"
FIXTURE_MEDALS = "../../reference/fictional-medals-2099.csv"

SEED_CORRUPTIONS = (
    # results: ranges, values, status, uniqueness
    Corruption(
        "rank zero",
        P,
        "| 4 | Dariusz Kulesza |",
        "| 0 | Dariusz Kulesza |",
        (("results.rank-range", P, "| 0 | Dariusz Kulesza |"),),
    ),
    Corruption(
        "implausibly slow time",
        P,
        "| 1:42.677 | ADV |",
        "| 4:42.677 | ADV |",
        (("results.time-plausible", P, "4:42.677"),),
    ),
    Corruption(
        "implausibly fast time",
        P,
        "| 5 | Li Ye | | 1:29.918 |",
        "| 5 | Li Ye | | 0:29.918 |",
        (("results.time-plausible", P, "0:29.918"), ("ranks.time-order", P, "0:29.918")),
    ),
    Corruption(
        "unknown note",
        P,
        "| 5 | Li Ye | | 1:29.918 | |",
        "| 5 | Li Ye | | 1:29.918 | X |",
        (("results.note-values", P, "1:29.918 | X"),),
    ),
    Corruption(
        "penalty without DQ",
        P,
        "| 5 | Li Ye | | 1:29.918 | |",
        "| 5 | Li Ye | | 1:29.918 | PEN |",
        (("results.penalty-dq", P, "1:29.918 | PEN"),),
    ),
    Corruption(
        "yellow card then skating on",
        P,
        "| 1 | 1 | Li Ye | | 1:27.048 | Q |",
        "| 1 | 1 | Li Ye | | 1:27.048 | YC |",
        (
            ("results.yellow-card-out", P, "1:27.048 | YC"),
            # The rules send the heat's winner on (Q), and the card sends no one.
            ("advancement.note-follows-rule", P, "1:27.048 | YC"),
            ("advancement.only-advancers", P, "| 2 | Li Ye | | 1:27.078"),
        ),
    ),
    Corruption(
        "DQ given a rank",
        P,
        "| 5 | – | Maxime Chataignier |",
        "| 5 | 4 | Maxime Chataignier |",
        (("results.status-time", P, "Maxime Chataignier"),),
    ),
    Corruption(
        "DQ given a time",
        P,
        "| Maxime Chataignier | | DQ |",
        "| Maxime Chataignier | | 1:30.000 |",
        (("results.status-time", P, "Maxime Chataignier"),),
    ),
    Corruption(
        "finisher without a rank",
        P,
        "| 1 | 3 | Jean Charles Mattei |",
        "| 1 | – | Jean Charles Mattei |",
        (("results.status-time", P, "Jean Charles Mattei"), ("ranks.no-gaps", P, "Paul Stanley")),
    ),
    Corruption(
        "duplicated row",
        P,
        "| 5 | Volodymyr Grygoriev | | 1:29.168 | |\n",
        "| 5 | Volodymyr Grygoriev | | 1:29.168 | |\n| 6 | Volodymyr Grygoriev | | 1:29.268 | |\n",
        (
            ("results.one-per-athlete", P, "| 5 | Volodymyr Grygoriev |"),
            ("results.one-per-athlete", P, "| 6 | Volodymyr Grygoriev |"),
        ),
    ),
    Corruption(
        "a skater in two heats",
        P,
        "| 4 | 3 | Vyacheslav Kurginyan | | 1:36.070 | |\n",
        "| 4 | 3 | Vyacheslav Kurginyan | | 1:36.070 | |\n| 4 | 4 | Mark McNee | | 1:37.000 | |\n",
        (
            ("results.one-race-per-round", P, "| 2 | 4 | Mark McNee |"),
            ("results.one-race-per-round", P, "| 4 | 4 | Mark McNee |"),
        ),
    ),
    Corruption(
        "shared rank with different times",
        P,
        "| 4 | Arian Nachbar | | 1:27.679 |",
        "| 3 | Arian Nachbar | | 1:27.679 |",
        (
            ("results.unique-rank", P, "| 3 | Fabio Carta |"),
            ("results.unique-rank", P, "| 3 | Arian Nachbar |"),
        ),
    ),
    Corruption(
        "two winners of one heat",
        P,
        "| 1 | 2 | Nicola Rodigari |",
        "| 1 | 1 | Nicola Rodigari |",
        (
            ("results.unique-rank", P, "| 1 | 1 | Li Ye |"),
            ("results.unique-rank", P, "| 1 | 1 | Nicola Rodigari |"),
        ),
    ),
    # ranks agree with times
    Corruption(
        "changed time",
        P,
        "| 4 | Rusty Smith | | 1:27.435 |",
        "| 4 | Rusty Smith | | 1:30.435 |",
        (("ranks.time-order", P, "| 5 | Li Ye |"),),
    ),
    Corruption(
        "swapped ranks",
        P,
        "| 1 | 1 | Li Ye | | 1:27.048 | Q |\n| 1 | 2 | Nicola",
        "| 1 | 2 | Li Ye | | 1:27.048 | Q |\n| 1 | 1 | Nicola",
        (("ranks.time-order", P, "| 1 | 2 | Li Ye |"),),
    ),
    Corruption(
        "gap in ranks",
        P,
        "| 5 | Volodymyr Grygoriev |",
        "| 6 | Volodymyr Grygoriev |",
        (("ranks.no-gaps", P, "| 6 | Volodymyr Grygoriev |"),),
    ),
    # advancement
    Corruption(
        "dropped Q",
        P,
        "| 3 | 2 | Rusty Smith | | 1:27.508 | Q |",
        "| 3 | 2 | Rusty Smith | | 1:27.508 | |",
        (
            ("advancement.note-follows-rule", P, "| 3 | 2 | Rusty Smith |"),
            ("advancement.only-advancers", P, "| 1 | Rusty Smith | | 1:27.000 |"),
        ),
    ),
    Corruption(
        "added q",
        P,
        "| 1 | 3 | Jean Charles Mattei | | 1:28.009 | |",
        "| 1 | 3 | Jean Charles Mattei | | 1:28.009 | q |",
        (
            ("advancement.note-follows-rule", P, "Jean Charles Mattei"),
            ("advancement.advancers-appear", P, "Jean Charles Mattei"),
        ),
    ),
    Corruption(
        "QB written QA",
        P,
        "| 3 | Li Jiajun | | 1:29.183 | QB |",
        "| 3 | Li Jiajun | | 1:29.183 | QA |",
        (
            ("advancement.note-follows-rule", P, "| 3 | Li Jiajun |"),
            ("advancement.advancers-appear", P, "| 3 | Li Jiajun |"),
        ),
    ),
    Corruption(
        "dead heat broken by a thousandth",
        P,
        "| 4 | Arian Nachbar | | 1:27.994 | q |",
        "| 4 | Arian Nachbar | | 1:27.995 | q |",
        (("advancement.note-follows-rule", P, "| 4 | Arian Nachbar | | 1:27.995"),),
    ),
    Corruption(
        "one fastest third place instead of two",
        T,
        "fastest = 2",
        "fastest = 1",
        (
            ("advancement.note-follows-rule", P, "| 6 | 3 | Pieter Gysel |"),
            ("advancement.note-follows-rule", P, "| 6 | 4 | Arian Nachbar |"),
        ),
    ),
    Corruption(
        "advanced skater missing from the final",
        P,
        "| 5 | Li Ye | | 1:29.918 | |\n",
        "",
        (("advancement.advancers-appear", P, "| 3 | Li Ye | | 1:47.965 | ADV |"),),
    ),
    Corruption(
        "dropped quarterfinal row",
        P,
        "| 4 | Peter Darazs | | 1:28.738 | |\n",
        "",
        (("advancement.advancers-appear", P, "| 3 | 3 | Peter Darazs |"),),
    ),
    Corruption(
        "dropped DQ row",
        P,
        "| – | Pieter Gysel | | DQ | |\n",
        "",
        (("advancement.advancers-appear", P, "| 2 | Pieter Gysel | | 1:28.335 | Q |"),),
    ),
    Corruption(
        "athlete renamed to a non-qualifier",
        P,
        "| 3 | Satoru Terao |",
        "| 3 | Jon Eley |",
        (
            ("advancement.only-advancers", P, "| 3 | Jon Eley | | 1:28.499"),
            ("advancement.advancers-appear", P, "| 2 | 2 | Satoru Terao |"),
        ),
    ),
    Corruption(
        "dropped ADV",
        P,
        "| 5 | 3 | Sebastian Praus | | 1:35.375 | ADV |",
        "| 5 | 3 | Sebastian Praus | | 1:35.375 | |",
        (("advancement.only-advancers", P, "| 3 | Sebastian Praus | | 1:29.820 |"),),
    ),
    Corruption(
        "ADV written QB",
        P,
        "| 3 | Li Ye | | 1:47.965 | ADV |",
        "| 3 | Li Ye | | 1:47.965 | QB |",
        (
            ("advancement.only-advancers", P, "| 5 | Li Ye | | 1:29.918 |"),
            ("advancement.uncontested-race", T, '{ label = "Final B"'),
        ),
    ),
    Corruption(
        "second B finalist",
        P,
        "| – | Éric Bédard | | DQ | |",
        "| 4 | Éric Bédard | | 1:30.000 | QB |",
        (("advancement.uncontested-race", T, '{ label = "Final B"'),),
    ),
    # records
    Corruption(
        "record time changed",
        P,
        "| Quarterfinal 1 | | 1:27.000 |",
        "| Quarterfinal 1 | | 1:27.100 |",
        (
            ("records.time-matches-result", P, "| Quarterfinal 1 | | 1:27.100 |"),
            ("records.progression", P, "| Quarterfinal 1 | | 1:27.100 |"),
        ),
    ),
    Corruption(
        "record in the wrong race",
        P,
        "| 18 February | Quarterfinal 1 |",
        "| 18 February | Quarterfinal 2 |",
        (
            ("records.time-matches-result", P, "| 18 February | Quarterfinal 2 |"),
            ("records.unrecorded-faster-result", P, "| 1 | Rusty Smith | | 1:27.000 |"),
        ),
    ),
    Corruption(
        "record date moved",
        P,
        "| 15 February | Heat 1 |",
        "| 16 February | Heat 1 |",
        (("records.date-matches-race", P, "| 16 February | Heat 1 |"),),
    ),
    Corruption(
        "record time shared by two skaters",
        P,
        "| 1 | 2 | Nicola Rodigari | | 1:27.184 |",
        "| 1 | 2 | Nicola Rodigari | | 1:27.048 |",
        (("records.holder-derivable", P, "| 15 February | Heat 1 |"),),
    ),
    Corruption(
        "record holder misnamed",
        P,
        "| 15 February | Heat 1 | |",
        "| 15 February | Heat 1 | Nicola Rodigari |",
        (("records.holder-derivable", P, "| 15 February | Heat 1 |"),),
    ),
    Corruption(
        "record that beats nothing",
        P,
        "| 18 February | Final A |",
        "| 18 February | Quarterfinal 4 | | 1:27.265 | OR | |\n| 18 February | Final A |",
        (("records.progression", P, "| 18 February | Quarterfinal 4 |"),),
    ),
    Corruption(
        "prior record faster than the heat record",
        T,
        'time = "1:27.185"',
        'time = "1:27.000"',
        (
            ("records.progression", P, "| 15 February | Heat 1 |"),
            ("records.progression", P, "| 18 February | Quarterfinal 1 |"),
        ),
    ),
    Corruption(
        "dropped record row",
        P,
        "| 18 February | Quarterfinal 1 | | 1:27.000 | OR | |\n",
        "",
        (("records.unrecorded-faster-result", P, "| 1 | Rusty Smith | | 1:27.000 |"),),
    ),
    # tallies
    Corruption(
        "competitors miscounted",
        P,
        "- Competitors: 26",
        "- Competitors: 25",
        (
            ("tallies.competitors", P, "- Competitors:"),
            ("classification.entrants", P, "- Competitors:"),
            ("reference.competitors", P, "- Competitors:"),  # Olympedia counts 26 too
        ),
    ),
    Corruption(
        "nations miscounted",
        P,
        "- Nations: 17",
        "- Nations: 18",
        (("tallies.nations", P, "- Nations:"), ("reference.nations", P, "- Nations:")),
    ),
    Corruption(
        "athlete dropped from every round",
        P,
        "| 2 | 4 | Mark McNee | | 1:30.033 | |\n",
        "",
        (
            ("tallies.competitors", P, "- Competitors:"),
            ("tallies.nations", P, "- Nations:"),
            ("classification.entrants", P, "- Competitors:"),
        ),
    ),
    Corruption(
        "wrong bronze medalist",
        P,
        "- Bronze: Apolo Anton Ohno",
        "- Bronze: Rusty Smith",
        (
            ("tallies.medalists", P, "- Bronze:"),
            ("classification.medalists", P, "- Bronze:"),
            ("reference.podium", P, "- Bronze:"),
        ),
    ),
    Corruption(
        "gold and silver swapped",
        P,
        "- Gold: Ahn Hyun-soo\n- Goldnoc: KOR\n- Silver: Lee Ho-suk",
        "- Gold: Lee Ho-suk\n- Goldnoc: KOR\n- Silver: Ahn Hyun-soo",
        (
            ("tallies.medalists", P, "- Gold:"),
            ("tallies.medalists", P, "- Silver:"),
            ("classification.medalists", P, "- Gold:"),
            ("classification.medalists", P, "- Silver:"),
            ("reference.podium", P, "- Gold:"),
            ("reference.podium", P, "- Silver:"),
        ),
    ),
    Corruption(
        "medalist's NOC wrong",
        P,
        "- Goldnoc: KOR",
        "- Goldnoc: CHN",
        (("tallies.medal-nocs", P, "- Goldnoc:"),),
    ),
    # reference: the page against Olympedia (raw/reference/), the row it disagrees with
    Corruption(
        "reference participants mistyped",
        REFERENCE_TALLIES,
        "2006,26,17,Hyeon-Su An",
        "2006,25,17,Hyeon-Su An",
        (("reference.competitors", P, "- Competitors: 26"),),
    ),
    Corruption(
        "reference countries mistyped",
        REFERENCE_TALLIES,
        "2006,26,17,Hyeon-Su An",
        "2006,26,71,Hyeon-Su An",
        (("reference.nations", P, "- Nations: 17"),),
    ),
    Corruption(
        "reference silver of another nation",
        REFERENCE_TALLIES,
        "Lee Ho-Seok,KOR,Apolo Anton Ohno,USA",
        "Lee Ho-Seok,CHN,Apolo Anton Ohno,USA",
        (("reference.podium", P, "- Silver: Lee Ho-suk"),),
    ),
    Corruption(
        "reference gold spelt in a way no alias declares",
        REFERENCE_TALLIES,
        "2006,26,17,Hyeon-Su An,KOR",
        "2006,26,17,Hyeon-Soo An,KOR",
        (("reference.podium", P, "- Gold: Ahn Hyun-soo"),),
    ),
    Corruption(
        "reference medals table silver spelt in a way no alias declares",
        REFERENCE_MEDALS,
        '"LEE, Ho-Suk",KOR,Men,1000M',
        '"LEE, Ho-Sukk",KOR,Men,1000M',
        (("reference.podium", P, "- Silver: Lee Ho-suk"),),
    ),
    # dates
    Corruption(
        "event dates exclude the heats",
        P,
        "- Dates: 15–18 February 2006",
        "- Dates: 16–18 February 2006",
        (("dates.round-within-event", T, "date = 2006-02-15"),),
    ),
    Corruption(
        "semifinals dated before the quarterfinals",
        T,
        "[rounds.semifinals]\ndate = 2006-02-18",
        "[rounds.semifinals]\ndate = 2006-02-17",
        (("dates.rounds-in-order", T, "date = 2006-02-17"),),
    ),
    Corruption(
        "final dated after the event",
        T,
        "[rounds.finals]\ndate = 2006-02-18",
        "[rounds.finals]\ndate = 2006-02-19",
        (
            ("dates.round-within-event", T, "date = 2006-02-19"),
            ("records.date-matches-race", P, "| 18 February | Final A |"),
        ),
    ),
)

RELAY, LATER = "2099-women-3000m-relay", "2099-men-1000m"
NED_SF2 = "| 2 | 2 | Netherlands | Femke Verzon<br>Lotte Fictief<br>Sanne Nepnaam<br>Yara Droom |"

# Relays and later Games' layouts, on the fictional fixture pages (every check that applies to
# a team, and the checks of marks only later pages print).
FIXTURE_CORRUPTIONS: tuple[Corruption, ...] = (
    Corruption(
        "printed classification disagrees",
        P,
        "| 4 | Chloé Sample (FRA) |",
        "| 5 | Chloé Sample (FRA) |",
        (("classification.printed", P, "| 5 | Chloé Sample (FRA) |"),),
        event="2099-women-500m",
        raw=FIXTURES,
    ),
    Corruption(
        "printed classification ranks the yellow card",
        P,
        "| – | Fei Stub (CHN) |",
        "| 7 | Fei Stub (CHN) |",
        (("classification.printed", P, "| 7 | Fei Stub (CHN) |"),),
        event="2099-women-500m",
        raw=FIXTURES,
    ),
    Corruption(
        "relay teams miscounted",
        P,
        "- Teams: 8",
        "- Teams: 9",
        (("tallies.teams", P, "- Teams: 9"), ("classification.entrants", P, "- Teams: 9")),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay skaters miscounted",
        P,
        "- Competitors: 33",
        "- Competitors: 32",
        (
            ("tallies.competitors", P, "- Competitors: 32"),
            ("reference.competitors", P, "- Competitors: 32"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay nations miscounted",
        P,
        "- Nations: 8",
        "- Nations: 7",
        (("tallies.nations", P, "- Nations: 7"), ("reference.nations", P, "- Nations: 7")),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay bronze given to the fourth team",
        P,
        "- Bronzenoc: CHN",
        "- Bronzenoc: NED",
        (
            ("tallies.medalists", P, "- Bronze: Lan Fabel"),
            ("classification.medalists", P, "- Bronze: Lan Fabel"),
            ("reference.podium", P, "- Bronze: Lan Fabel"),
            # The reference's Chinese medalists: of a team the page gives no bronze.
            ("reference.relay-line-ups", P, "= Fictional test event"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay team twice in a race",
        P,
        "| 4 | 1 | United States | Emma Madeup<br>Faye Pretend<br>Gwen Nobody<br>Hope Example "
        "| 4:09.000 | QB |\n",
        "| 4 | 1 | United States | Emma Madeup<br>Faye Pretend<br>Gwen Nobody<br>Hope Example "
        "| 4:09.000 | QB |\n| 5 | 1 | United States | Emma Madeup | 4:09.500 | |\n",
        (
            ("results.one-per-athlete", P, "| 4:09.000 | QB |"),
            ("results.one-per-athlete", P, "| 4:09.500 |"),
            # Both rows are the one team, now listed with five skaters, Emma Madeup twice.
            ("teams.line-up", P, "| 4:09.000 | QB |"),
            ("teams.line-up", P, "| 4:09.500 |"),
            ("teams.skater-once", P, "| 4:09.000 | QB |"),
            ("teams.skater-once", P, "| 4:09.500 |"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay record row dropped",
        P,
        "| 20 February | Semifinal 2 | Lan Fabel, Mei Story, Qiu Tale, Rong Myth | China "
        "| 4:04.900 | OR |\n",
        "",
        (
            ("records.marked-result", P, "| 4:04.900 | QA, OR |"),
            ("records.unrecorded-faster-result", P, "| 4:04.900 | QA, OR |"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay record given to another team",
        P,
        "| Lan Fabel, Mei Story, Qiu Tale, Rong Myth | China | 4:04.900 | OR |",
        "| Lan Fabel, Mei Story, Qiu Tale, Rong Myth | Netherlands | 4:04.900 | OR |",
        (("records.holder-derivable", P, "| Netherlands | 4:04.900 | OR |"),),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay team sent to the wrong final",
        P,
        f"{NED_SF2} 4:05.300 | QA |",
        f"{NED_SF2} 4:05.300 | QB |",
        (
            ("advancement.note-follows-rule", P, "| 4:05.300 | QB |"),
            ("advancement.advancers-appear", P, "| 4:05.300 | QB |"),
            ("advancement.only-advancers", P, "| 4 | Netherlands |"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay world record that beats nothing",
        P,
        "| World record | South Korea (KOR) | 4:03.800 |",
        "| World record | South Korea (KOR) | 4:03.400 |",
        (("records.progression", P, "| 22 February | Final A |"),),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "record mark without a record",
        P,
        "| 1:25.600 | +0.300 | Q |",
        "| 1:25.600 | +0.300 | Q, OR |",
        (("records.marked-result", P, "| 1:25.600 | +0.300 | Q, OR |"),),
        event=LATER,
        raw=FIXTURES,
    ),
    Corruption(
        "referee's advancement to the wrong final",
        P,
        "| 1:27.100 | +1.100 | ADV A |",
        "| 1:27.100 | +1.100 | ADV B |",
        (
            ("advancement.advancers-appear", P, "| 1:27.100 | +1.100 | ADV B |"),
            ("advancement.only-advancers", P, "| 5 | Noël Proxy |"),
        ),
        event=LATER,
        raw=FIXTURES,
    ),
)
FIXTURE_CORRUPTIONS += (
    Corruption(
        "final B printed one place too far down",
        P,
        "| 6 | Quentin Decoy | Belgium | 1:27.000 | – | |\n"
        "| 7 | Oli Mockup | Great Britain | 1:27.300 | +0.300 | |\n"
        "| 8 | Kim Draft |",
        "| 7 | Quentin Decoy | Belgium | 1:27.000 | – | |\n"
        "| 8 | Oli Mockup | Great Britain | 1:27.300 | +0.300 | |\n"
        "| 9 | Kim Draft |",
        (
            ("ranks.printed-places", P, "| 7 | Quentin Decoy |"),
            ("ranks.printed-places", P, "| 8 | Oli Mockup |"),
            ("ranks.printed-places", P, "| 9 | Kim Draft |"),
        ),
        event=LATER,
        raw=FIXTURES,
    ),
)
FIXTURE_CORRUPTIONS += (
    Corruption(
        "awarded place that leaves a gap",
        T,
        "[rounds.finals]",
        "[classification]\nawarded = [\n"
        '    { entrant = "li-jiajun", position = 7, reason = "A place declared wrongly." },\n'
        "]\n\n[rounds.finals]",
        (
            ("classification.positions", P, "| 3 | Li Jiajun | | 1:29.183 | QB |"),
            ("classification.positions", P, "| 3 | Nicola Rodigari |"),
        ),
    ),
)
FIXTURE_CORRUPTIONS += (
    Corruption(
        "relay team of three",
        P,
        "| Ada Maple<br>Bo Fictio<br>Cy Pretend<br>Di Imagine | 4:05.500 |",
        "| Ada Maple<br>Bo Fictio<br>Cy Pretend | 4:05.500 |",
        (("teams.line-up", P, "| Ada Maple<br>Bo Fictio<br>Cy Pretend | 4:05.500 |"),),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay skater listed twice in a team",
        P,
        "| Ada Maple<br>Bo Fictio<br>Cy Pretend<br>Di Imagine | 4:05.500 |",
        "| Ada Maple<br>Bo Fictio<br>Cy Pretend<br>Ada Maple | 4:05.500 |",
        (
            ("teams.skater-once", P, "| Ada Maple<br>Bo Fictio<br>Cy Pretend<br>Ada Maple |"),
            ("teams.skater-once", P, "| Ada Maple<br>Bo Fictio<br>Cy Pretend<br>Ada Maple |"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "relay skater in another nation's team",
        P,
        "| United States | Emma Madeup<br>Faye Pretend<br>Gwen Nobody<br>Hope Example | 4:09.000 |",
        "| United States | Arianna Finta<br>Faye Pretend<br>Gwen Nobody<br>Hope Example | "
        "4:09.000 |",
        (
            ("teams.skater-once", P, "| Italy | Arianna Finta<br>Bianca Favola"),
            ("teams.skater-once", P, "| United States | Arianna Finta<br>Faye Pretend"),
            ("teams.skater-nation", P, "| United States | Arianna Finta<br>Faye Pretend"),
        ),
        event=RELAY,
        raw=FIXTURES,
    ),
)
WORLD_TOUR = "2099-2100-isu-short-track-world-tour-stage-2-women-1000m"

# The World Tour's advancement graph (preliminaries, seeded heats, repechage), on the fictional
# fixture page: each corruption breaks one path through it, caught at the rows it concerns.
FIXTURE_CORRUPTIONS += (
    Corruption(
        "repechage qualifier's note dropped",
        P,
        "| 2 | Liu Mockmei | China | 1:30.245 | Q |",
        "| 2 | Liu Mockmei | China | 1:30.245 | |",
        (
            ("advancement.note-follows-rule", P, "| 2 | Liu Mockmei | China | 1:30.245 | |"),
            # Sent nowhere, she still skates the repechage semifinal.
            ("advancement.only-advancers", P, "| 3 | Liu Mockmei | China | 1:30.122 |"),
        ),
        event=WORLD_TOUR,
        raw=FIXTURES,
    ),
    Corruption(
        "heat's third sent past the repechage",
        P,
        "| 3 | Ava Pretendson | United States | 1:29.881 | |",
        "| 3 | Ava Pretendson | United States | 1:29.881 | Q |",
        (
            ("advancement.note-follows-rule", P, "| Ava Pretendson | United States | 1:29.881"),
            # Her Q sends her to the quarterfinals, which she does not skate, and no longer to
            # the repechage, which she does.
            ("advancement.advancers-appear", P, "| Ava Pretendson | United States | 1:29.881"),
            ("advancement.only-advancers", P, "| 3 | Ava Pretendson | United States | 1:30.580"),
        ),
        event=WORLD_TOUR,
        raw=FIXTURES,
    ),
    Corruption(
        "sent into the quarterfinals twice",
        P,
        "| 3 | Britt Nepstra | Netherlands | 1:29.950 | |",
        "| 3 | Britt Nepstra | Netherlands | 1:29.950 | Q |",
        (
            ("advancement.note-follows-rule", P, "| Britt Nepstra | Netherlands | 1:29.950"),
            ("advancement.only-advancers", P, "| 1 | Britt Nepstra | Netherlands | 1:30.102"),
            # By her heat's Q and by the repechage semifinal's.
            ("advancement.sent-once", P, "| 3 | Britt Nepstra | Netherlands | 1:29.230"),
        ),
        event=WORLD_TOUR,
        raw=FIXTURES,
    ),
    Corruption(
        "a preliminary's loser in the seeded heats",
        P,
        "| 2 | Yui Kasouda | Japan | 1:31.377 | Q |",
        "| 2 | Yui Kasouda | Japan | 1:31.377 | |",
        (
            ("advancement.note-follows-rule", P, "| 2 | Yui Kasouda | Japan | 1:31.377 | |"),
            # She skated the preliminaries, so she is not one of the seeded.
            ("advancement.only-advancers", P, "| 4 | Yui Kasouda | Japan | 1:30.612 |"),
        ),
        event=WORLD_TOUR,
        raw=FIXTURES,
    ),
    Corruption(
        "repechage heat without one it was sent",
        P,
        "| 4 | Ola Fikcyjna | Poland | 1:31.006 | |\n",
        "",
        (("advancement.advancers-appear", P, "| 4 | Ola Fikcyjna | Poland | 1:30.455 |"),),
        event=WORLD_TOUR,
        raw=FIXTURES,
    ),
)

# The relay podium and line-ups against the fictional references of tests/fixtures/raw.
FIXTURE_CORRUPTIONS += (
    Corruption(
        "reference relay gold of another nation",
        FIXTURE_TALLIES,
        "Republic of Korea,KOR,Canada,CAN",
        "Republic of Korea,JPN,Canada,CAN",
        (("reference.podium", P, "- Gold: Seo Fictive"),),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "reference relay medalist of another team",
        FIXTURE_MEDALS,
        '"SEO, Fictive",KOR',
        '"MADEUP, Emma",KOR',
        (("reference.relay-line-ups", P, "- Gold: Seo Fictive"),),
        event=RELAY,
        raw=FIXTURES,
    ),
    Corruption(
        "reference relay medalist the registry does not know",
        FIXTURE_MEDALS,
        '"HA, Invented"',
        '"HAA, Invented"',
        (("reference.relay-line-ups", P, "- Gold: Seo Fictive"),),
        event=RELAY,
        raw=FIXTURES,
    ),
)

CORRUPTIONS = (*SEED_CORRUPTIONS, *FIXTURE_CORRUPTIONS)

# Identity is a warning: the build still passes, and the new line is listed.
WARNINGS = (
    Corruption(
        "name in capitals",
        P,
        "| 1 | 1 | Li Ye |",
        "| 1 | 1 | LI YE |",
        (
            ("identity.indirect-name", P, "| 1 | 1 | LI YE |"),
            ("identity.indirect-name", P, "| 1 | Ahn Hyun-Soo |", 1),
            ("identity.indirect-name", P, "| 1 | Ahn Hyun-Soo |", 2),
            ("identity.indirect-name", P, "| 1 | Li Juajun |"),
        ),
    ),
)
