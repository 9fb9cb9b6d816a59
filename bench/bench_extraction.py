"""Time fact extraction on the seed article and on long texts, and check growth stays linear.

    .venv/bin/python bench/bench_extraction.py [--runs N]

The long texts join the seed article and the test articles in a varied, seeded order until
they reach each size, so the extractor sees many speakers, lists and numbers, not one article
copied. Each timed stage is a named entry in STAGES taking the article text: extraction alone,
and extraction + question generation + quality gates (what an import computes before it
stores anything); every figure below is printed for each.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.core.extract import extract_facts  # noqa: E402
from quizapp.core.text import split_sentences  # noqa: E402
from quizapp.services.generation import gated_questions  # noqa: E402

SOURCES = [
    ROOT / "seeds" / "meta_e2ee_article.txt",
    *sorted((ROOT / "tests" / "articles").glob("*.txt")),
]
SIZES = (5_000, 10_000, 25_000, 50_000)  # words
TARGET_SEED_MS = 50.0
TARGET_50K_S = 2.0

Stage = Callable[[str], object]


def extract_and_generate(text: str) -> object:
    """What an import does before storing: extract, generate with the pool, run the gates."""
    return gated_questions(extract_facts(text), split_sentences(text), 0)


STAGES: dict[str, Stage] = {
    "extraction": extract_facts,
    "extraction + generation + gates": extract_and_generate,
}


def build_text(words: int, seed: int = 7) -> str:
    """Join shuffled copies of the articles, paragraph by paragraph, to at least `words` words."""
    articles = [path.read_text(encoding="utf-8") for path in SOURCES]
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    while count < words:
        order = articles[:]
        rng.shuffle(order)
        for article in order:
            parts.append(article.strip())
            count += len(article.split())
    return "\n\n".join(parts)


def build_crowded_text(words: int, seed: int = 7) -> str:
    """Synthetic sentences where almost every person and organisation is new.

    Real articles repeat a few names; this is the worst case for name lookups, so it shows
    that cost does not grow with the number of distinct names.
    """
    rng = random.Random(seed)

    def name() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(7)).capitalize()

    lines: list[str] = []
    count = 0
    while count < words:
        person, org = f"{name()} {name()}", f"{name()} Foundation"
        line = (
            f'{person}, the director of the {org}, said "we will leave the UK".'
            f" In 2021, {person} received more than {count} reports."
        )
        lines.append(line)
        count += len(line.split())
    return "\n".join(lines)


def median_seconds(text: str, stage: Stage, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        stage(text)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per seed-article timing")
    parser.add_argument("--long-runs", type=int, default=3, help="runs per long-text timing")
    args = parser.parse_args()

    seed_text = SOURCES[0].read_text(encoding="utf-8")
    for name, stage in STAGES.items():
        ms = median_seconds(seed_text, stage, args.runs) * 1000
        verdict = "ok" if ms < TARGET_SEED_MS else "OVER TARGET"
        print(f"{name}: seed article ({len(seed_text.split())} words), median of {args.runs}:"
              f" {ms:.1f} ms (target < {TARGET_SEED_MS:.0f} ms: {verdict})")  # fmt: skip

        # The time target is for real prose; the "new names" text is the adversarial case.
        for label, build, target in (
            ("joined articles", build_text, TARGET_50K_S),
            ("new names", build_crowded_text, None),
        ):
            print(f"{name}, {label}:")
            time_sizes(stage, build, SIZES, args.long_runs, target)


def time_sizes(
    stage: Stage,
    build: Callable[[int], str],
    sizes: tuple[int, ...],
    runs: int,
    target: float | None,
) -> None:
    """Print the time per size and the growth from each size to the next."""
    previous: tuple[int, float] | None = None
    for size in sizes:
        text = build(size)
        words = len(text.split())
        seconds = median_seconds(text, stage, runs)
        line = f"  {words:>6} words: {seconds:.3f} s ({seconds / words * 1e6:.1f} us/word)"
        if previous is not None:
            word_ratio = words / previous[0]
            time_ratio = seconds / previous[1]
            line += f", x{word_ratio:.2f} words -> x{time_ratio:.2f} time"
        if target is not None and size == sizes[-1]:
            verdict = "ok" if seconds < target else "OVER TARGET"
            line += f" (target < {target:.0f} s: {verdict})"
        print(line)
        previous = (words, seconds)


if __name__ == "__main__":
    main()
