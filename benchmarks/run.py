"""Benchmark `pipeline run` on generated corpora and print (and save) the figures.

`python -m benchmarks.run --events 1,1000,10000 [--runs 3] [--big 100000|0]`

Size 1 is the bundled raw/ (the seed event); other sizes are generated once into --work and
reused. Each size is built --runs times from scratch (`pipeline run --full`, each in a fresh
process) and the medians are reported, then once incrementally after one page is edited.
--big adds one run at a large size (100,000 events by default; 0 skips it). Figures go to
the terminal and to --json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.generate import generate

REPO = Path(__file__).resolve().parent.parent
STAGES = ("parse", "parquet", "load", "checks")


def corpus(size: int, work: Path) -> Path:
    """The raw folder for a size: raw/ itself for 1, else a generated one (made once)."""
    if size == 1:
        return REPO / "raw"
    folder, complete = work / f"corpus-{size}", work / f"corpus-{size}.complete"
    # The mark lies beside the corpus: a raw folder holds only the files the pipeline reads.
    if not complete.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(size, folder)
        complete.write_text("")
    return folder


def timed(command: list[str]) -> float:
    """Wall seconds of a command in a fresh process."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


def build_once(raw: Path, warehouse: Path, *extra: str) -> dict[str, Any]:
    """One `pipeline run` in a fresh process: wall time, stage timings, memory, rows."""
    with tempfile.NamedTemporaryFile(suffix=".json") as usage_file:
        command = [
            sys.executable,
            "-m",
            "benchmarks.measure",
            usage_file.name,
            "run",
            "--raw",
            str(raw),
            "--warehouse",
            str(warehouse),
            *extra,
        ]
        wall = timed(command)
        usage = json.loads(Path(usage_file.name).read_text())
    if usage["exit"] != 0:
        raise SystemExit(f"pipeline run exited {usage['exit']} on {raw}")
    manifest = json.loads((warehouse / "current" / "manifest.json").read_text())
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(warehouse / "parquet" / "results.parquet").metadata.num_rows
    return {
        "wall": wall,
        **manifest["timings"],
        "main_rss_mib": usage["main_rss_mib"],
        "worker_rss_mib": usage["worker_rss_mib"],
        "events": len(manifest["events"]),
        "results": rows,
    }


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(run[key] for run in runs))


def measure_size(size: int, runs: int, work: Path, incremental: bool) -> dict[str, Any]:
    raw = corpus(size, work)
    measured = []
    for attempt in range(runs):
        warehouse = work / f"warehouse-{size}-{attempt}"
        shutil.rmtree(warehouse, ignore_errors=True)
        measured.append(build_once(raw, warehouse, "--full"))
    figures: dict[str, Any] = {
        "events": measured[0]["events"],
        "results": measured[0]["results"],
        "runs": runs,
    }
    for key in ("wall", *STAGES, "main_rss_mib", "worker_rss_mib"):
        figures[key] = median(measured, key)
    figures["rows_per_s"] = figures["results"] / figures["wall"]
    if incremental and size > 1:
        figures["incremental_wall"] = incremental_run(raw, work / f"warehouse-{size}-0")
        figures["incremental_ratio"] = figures["incremental_wall"] / figures["wall"]
    if incremental:
        figures["noop_wall"] = noop_run(raw, work / f"warehouse-{size}-0", runs)
    return figures


def noop_run(raw: Path, warehouse: Path, runs: int) -> float:
    """Median wall time of reruns with nothing changed (after one run brings it up to date)."""
    command = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw)]
    command += ["--warehouse", str(warehouse)]
    timed(command)
    return float(statistics.median(timed(command) for _ in range(runs)))


def incremental_run(raw: Path, warehouse: Path) -> float:
    """Edit one page of the corpus, time the incremental run, then restore the page."""
    page = sorted((raw / "events").iterdir())[len(list((raw / "events").iterdir())) // 2]
    original = (page / "page.txt").read_bytes()
    (page / "page.txt").write_bytes(original.replace(b"Generated Arena", b"Edited Arena"))
    try:
        figures = build_once(raw, warehouse)
    finally:
        (page / "page.txt").write_bytes(original)
    return float(figures["wall"])


def baselines(runs: int) -> dict[str, float]:
    """Medians of the reference commands the targets are stated against."""
    python = sys.executable
    commands = {
        "import_stack": [python, "-c", "import duckdb, pyarrow.parquet, typer, pandera.polars"],
        "import_typer": [python, "-c", "import typer"],
        "pipeline_help": [python, "-m", "pipeline", "--help"],
    }
    return {name: statistics.median(timed(c) for _ in range(runs)) for name, c in commands.items()}


def show(results: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"pipeline run, medians of {results['runs']} runs — "
        f"{results['machine']} — {results['date']}"
    )
    for column in (
        "events",
        "results",
        *STAGES,
        "total s",
        "rows/s",
        "RSS main MiB",
        "RSS worker MiB",
        "incremental s",
        "no-op s",
    ):
        table.add_column(column, justify="right")
    for size in results["sizes"]:
        f = results["sizes"][size]
        table.add_row(
            f"{f['events']:,}",
            f"{f['results']:,}",
            *(f"{f[s]:.2f}" for s in STAGES),
            f"{f['wall']:.2f}",
            f"{f['rows_per_s']:,.0f}",
            f"{f['main_rss_mib']:.0f}",
            f"{f['worker_rss_mib']:.0f}",
            f"{f['incremental_wall']:.2f} ({f['incremental_ratio']:.0%})"
            if "incremental_wall" in f
            else "",
            f"{f['noop_wall']:.2f}" if "noop_wall" in f else "",
        )
    console.print(table)
    base = results["baselines"]
    console.print(
        f"import duckdb, pyarrow.parquet, typer, pandera.polars: {base['import_stack']:.2f} s; "
        f"import typer: {base['import_typer']:.2f} s; pipeline --help: "
        f"{base['pipeline_help']:.2f} s ({base['pipeline_help'] / base['import_typer']:.1f}x)"
    )
    if "1" in results["sizes"]:
        ratio = results["sizes"]["1"]["wall"] / base["import_stack"]
        console.print(f"bundled raw/: pipeline run is {ratio:.1f}x the import of the stack")
    sizes = results["sizes"]
    if "1000" in sizes and "10000" in sizes:
        growth = sizes["10000"]["wall"] / sizes["1000"]["wall"]
        console.print(f"growth: time(10,000) / time(1,000) = {growth:.1f}")


def markdown(results: dict[str, Any]) -> str:
    """The figures as the README's Markdown table."""
    lines = [
        f"Measured {results['date']} on {results['machine']}; medians of {results['runs']} "
        "runs (the largest size: one run).",
        "",
        "| events | results | parse s | Parquet s | load s | checks s | total s | rows/s "
        "| RSS main MiB | RSS worker MiB | incremental s (of full) | no-op rerun s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in results["sizes"].values():
        incremental = (
            f"{f['incremental_wall']:.2f} ({f['incremental_ratio']:.0%})"
            if "incremental_wall" in f
            else "–"
        )
        lines.append(
            f"| {f['events']:,} | {f['results']:,} | "
            + " | ".join(f"{f[s]:.2f}" for s in STAGES)
            + f" | {f['wall']:.2f} | {f['rows_per_s']:,.0f} | {f['main_rss_mib']:.0f} | "
            f"{f['worker_rss_mib']:.0f} | {incremental} | "
            + (f"{f['noop_wall']:.2f} |" if "noop_wall" in f else "– |")
        )
    base = results["baselines"]
    lines += [
        "",
        f"Reference: `import duckdb, pyarrow.parquet, typer, pandera.polars` "
        f"{base['import_stack']:.2f} s; `import typer` {base['import_typer']:.2f} s; "
        f"`pipeline --help` {base['pipeline_help']:.2f} s.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", default="1,1000,10000", help="comma-separated sizes; 1 = the bundled raw/"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--big",
        type=int,
        default=100_000,
        help="one extra run at this size (0: none); its corpus takes 1.2 GB",
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "skating-bench")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "latest.json")
    parser.add_argument("--markdown", type=Path, help="print this JSON's figures as Markdown")
    args = parser.parse_args()
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())), end="")
        return
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(size) for size in args.events.split(",")]
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "runs": args.runs,
        "baselines": baselines(args.runs),
        "sizes": {str(size): measure_size(size, args.runs, args.work, True) for size in sizes},
    }
    if args.big:
        results["sizes"][str(args.big)] = measure_size(args.big, 1, args.work, False)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    show(results, Console())


if __name__ == "__main__":
    main()
