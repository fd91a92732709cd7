"""Run one `pipeline` command in this process, as the `pipeline` command runs it (`entry`: the
libraries no command uses kept out), and record its exit code and peak memory (for
benchmarks.run).

`python -m benchmarks.measure OUT.json pipeline-args...`
"""

from __future__ import annotations

import json
import resource
import sys

from pipeline.cli import entry


def run() -> None:
    out, args = sys.argv[1], sys.argv[2:]
    sys.argv = ["pipeline", *args]
    code: int | str | None = 3  # a bug, unless the command returns or exits
    try:
        code = entry()
    except SystemExit as exit_:
        code = exit_.code
    finally:
        usage = {
            "exit": code,
            # ru_maxrss is in KiB on Linux; children are the parsing workers.
            "main_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(usage, handle)


if __name__ == "__main__":
    run()
