"""Time `pipeline add` on pages whose new names stress the near-match search (issue 21, item 14).

`python -m benchmarks.nearmatch [RUNS]` prints, per case, the median time of RUNS (3) runs of
`pipeline add` (in a fresh interpreter, timed from the call of the CLI's main) into a fresh raw/
folder holding only nocs.csv, its exit code and the longest line it printed.
Cases: two new names of 4,000 and of 8,000 characters differing in the last letter; 1,000
distinct new names in one heats table (plus the page's own 12), and 1,000 that all begin `Kim `.
"""

from __future__ import annotations

import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "tests" / "fixtures" / "raw" / "events" / "2099-men-1000m" / "page.txt"
LAST_HEAT_ROW = "| 4 | 3 | Tomas Figment | Slovakia | 1:28.000 | +1.800 | YC |"


def page_with(names: list[str]) -> str:
    """The fixture page with these names added to its heats, twelve to a heat (heats 4 to 87
    for 1,000), as Canadians."""
    rows = [
        f"| {place} | {index // 12 + 4} | {name} | Canada | 1:{29 + place}.000 | – | |"
        for index, name in enumerate(names)
        for place in [index % 12 + 1]
    ]
    text = PAGE.read_text(encoding="utf-8")
    return text.replace(LAST_HEAT_ROW, "\n".join([LAST_HEAT_ROW, *rows]))


def long_pair(length: int) -> list[str]:
    stem = "".join(random.Random(length).choices(string.ascii_lowercase, k=length - 2))
    return [f"A{stem}x", f"A{stem}y"]


def many_names(count: int, family: str | None = None) -> list[str]:
    """`count` distinct random names; with a `family`, all of them share it as their first
    word (as many Kims race in one Korean field)."""
    rng = random.Random(count)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))).title()

    return [f"{family or word()} {word()}-{word().lower()}" for _ in range(count)]


# Times `pipeline add` in a fresh interpreter, after importing the CLI module (the interpreter's
# start and that import are the same for every case).
TIMED_MAIN = """
import sys, time
from pipeline.cli import main
started = time.perf_counter()
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(time.perf_counter() - started))
sys.exit(code)
"""


def timed_add(text: str, work: Path) -> tuple[float, int, int]:
    """Seconds in `pipeline add` of `text`, its exit code and its longest stderr line."""
    if work.exists():
        shutil.rmtree(work)
    raw = work / "raw"
    (raw / "registry").mkdir(parents=True)
    shutil.copy(REPO / "raw" / "registry" / "nocs.csv", raw / "registry" / "nocs.csv")
    page = work / "incoming" / "2099-men-1000m" / "page.txt"
    page.parent.mkdir(parents=True)
    page.write_text(text, encoding="utf-8")
    seconds = work / "seconds"
    command = [sys.executable, "-c", TIMED_MAIN, str(seconds), "add", str(page), "--raw", str(raw)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO)
    longest = max((len(line) for line in result.stderr.splitlines()), default=0)
    return float(seconds.read_text()), result.returncode, longest


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cases = {
        "fixture page only": [],
        "two 4,000-character names": long_pair(4000),
        "two 8,000-character names": long_pair(8000),
        "1,000 new names": many_names(1000),
        "1,000 new names all beginning Kim": many_names(1000, "Kim"),
    }
    with tempfile.TemporaryDirectory() as folder:
        for label, names in cases.items():
            results = [timed_add(page_with(names), Path(folder) / "w") for _ in range(runs)]
            median = statistics.median(seconds for seconds, _, _ in results)
            _, code, longest = results[-1]
            shown = f"median {median:.2f} s of {runs}, exit {code}, longest line {longest:,}"
            print(f"{label}: {shown}")


if __name__ == "__main__":
    main()
