"""Run the benchmarks that prove the app holds a school: one command, one verdict.

    .venv/bin/python -m bench [--learners 100] [--strict] [--quick]
    .venv/bin/python -m bench export      # the 1,000,000-response score export (minutes)
    .venv/bin/python -m bench jobs        # background imports: waits, and pages meanwhile

In order: the load run at full saturation, the same learners at a human pace (a pause of one to
three seconds before each answer), the fault run (a worker SIGKILLed mid-run), the query counts
on a small and a 100x data set, and the reading timings (spaCy model load and memory, imports
of growing size, adversarial input, each document reader, the dev set's pooled score), and
the saved news pages' article F1, the app's reader beside plain trafilatura. Each script
prints its own figures as it goes; a summary of the headline figures follows. The exit status
is non-zero if any run lost or duplicated an answer, met a server error, failed the integrity
check, found a page whose query count grows with the data or read news pages worse than plain
trafilatura; with ``--strict``, a missed performance target fails it too. ``--quick`` runs 20
learners and skips the paced run (and small reading sizes), to check the benchmarks themselves
still work.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The lines of each run's output that the summary repeats.
HEADLINES = re.compile(
    r"^(quiz path|log in \(|answer submission|targets|acknowledged|killed|gunicorn replaced"
    r"|connection retries|OK|FAIL|reading: |POOLED|jobs)"
)


@dataclass
class Run:
    name: str
    argv: list[str]
    returncode: int = 0
    seconds: float = 0.0
    headlines: tuple[str, ...] = ()


def plan(args: argparse.Namespace) -> list[Run]:
    if args.what == "export":
        return [Run("score export", ["bench_export.py"])]
    if args.what == "jobs":
        return [Run("background jobs", ["bench_jobs.py", *(["--quick"] if args.quick else [])])]
    learners = ["--learners", str(20 if args.quick else args.learners)]
    strict = ["--strict"] if args.strict else []
    runs = [Run("load, saturated", ["load.py", *learners, *strict])]
    if not args.quick:
        runs.append(Run("load, human pace", ["load.py", *learners, "--think", "1:3", *strict]))
    runs += [
        Run("fault: worker killed", ["load.py", *learners, "--fault"]),
        Run("query counts", ["query_counts.py", *(["--scale", "10"] if args.quick else [])]),
        Run("reading", ["bench_reading.py", *(["--quick"] if args.quick else [])]),
        Run("html pages", ["bench_html.py", *(["--pages", "10"] if args.quick else [])]),
    ]
    return runs


def execute(run: Run) -> None:
    """Run one script, echoing its output as it comes, and keep its headline lines."""
    print(f"\n=== {run.name}: {' '.join(run.argv)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(HERE / run.argv[0]), *run.argv[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    kept = []
    for line in process.stdout:
        if "alembic.runtime.migration" in line:
            continue  # each run migrates a fresh database; the log says nothing new
        print(line, end="", flush=True)
        if HEADLINES.match(line.strip()):
            kept.append(line.strip())
    run.returncode = process.wait()
    run.seconds = time.perf_counter() - started
    run.headlines = tuple(kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["all", "export", "jobs"], default="all")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--strict", action="store_true", help="fail on a missed target too")
    parser.add_argument("--quick", action="store_true", help="a small run of every check")
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    runs = plan(args)
    for run in runs:
        execute(run)
    print(f"\n=== summary ({time.strftime('%Y-%m-%d')}, {machine()})")
    for run in runs:
        verdict = "ok" if run.returncode == 0 else f"FAILED (exit {run.returncode})"
        print(f"{run.name}: {verdict}, {run.seconds:.0f} s")
        for line in run.headlines:
            print(f"    {line}")
    return 1 if any(run.returncode for run in runs) else 0


def machine() -> str:
    """What the figures were measured on, for the README's record of them."""
    return (
        f"{_proc_field('/proc/cpuinfo', 'model name') or platform.machine()},"
        f" {os.cpu_count()} CPUs, {_memory()} RAM,"
        f" Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def _memory() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal").removesuffix(" kB")
    return f"{int(total) / 1024**2:.1f} GiB" if total.isdigit() else "?"


def _proc_field(path: str, name: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        pass
    return ""


if __name__ == "__main__":
    sys.exit(main())
