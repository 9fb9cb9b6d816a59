"""Time reading articles with spaCy: the model, imports of growing size, adversarial input, and
the dev set's pooled score.

    .venv/bin/python bench/bench_reading.py [--runs N] [--long-runs N] [--quick] [--no-eval]

Every timing goes through ``_import`` below, what an import computes before it stores anything,
so the figures are what a teacher waits for. The model's load time and the process's peak
memory are measured in fresh processes, since a warm process hides both. Long texts join the
real articles of ``../shared/eval/articles`` (their ``#`` lines dropped), paragraph by paragraph,
repeated to each size: real prose with its many speakers, lists and numbers, not one article
copied. The adversarial texts are the shapes that made earlier readers quadratic; each runs at
two sizes, and time growing faster than size (more than x2 time for x2 size) is the thing to
look for. HTML ones are whole pages, so they go through the article extractor an upload meets.
The document readers (PDF, Word, saved page, Markdown) are then timed alone at two sizes of
the same joined articles: what reading a file adds before the import above. Last,
``../shared/eval/score.sh`` scores the generated questions against the dev set's gold facts;
its POOLED line is printed as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from fpdf import FPDF  # noqa: E402

from quizapp.core.formats.documents import DocumentError, document_text  # noqa: E402
from quizapp.core.reading.nlp import DEFAULT_MODEL, load_nlp  # noqa: E402
from quizapp.core.reading.pipeline import read_article  # noqa: E402
from quizapp.services.generation import gated_questions  # noqa: E402


def _import(text: str) -> object:
    """What an import computes before it stores anything: read the article with the spaCy
    pipeline, generate questions with the shipped distractor pool, run the quality gates.

    The one function every timing here calls: if the import's entry point moves, change it
    here only.
    """
    read = read_article(text, nlp=load_nlp())
    return gated_questions(read.facts, read.sentences, 0)


SEED = ROOT / "seeds" / "meta_e2ee_article.txt"
# The dev set sits beside the checkout; EVAL_DIR points at it from a checkout elsewhere.
EVAL = Path(os.environ.get("EVAL_DIR") or ROOT.parent / "shared" / "eval")
SIZES = (5_000, 10_000, 50_000)  # words of joined real articles
QUICK_SIZES = (1_000, 2_000)
MEMORY_WORDS = 50_000
NO_LIMIT = 10**9  # the adversarial texts are measured, not refused for their length


# --- texts -------------------------------------------------------------------------------------


def eval_paragraphs() -> list[str]:
    """The dev set's articles as paragraphs, in file order, without their ``#`` comment lines."""
    paragraphs: list[str] = []
    for path in sorted((EVAL / "articles").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.startswith("#"))
        paragraphs += [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    if not paragraphs:
        raise SystemExit(f"no articles in {EVAL / 'articles'}: the long-text timings need them")
    return paragraphs


def joined_articles(words: int) -> str:
    """Whole paragraphs of the real articles, repeated in order, to at least ``words`` words."""
    paragraphs = eval_paragraphs()
    parts: list[str] = []
    count = 0
    while count < words:
        paragraph = paragraphs[len(parts) % len(paragraphs)]
        parts.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(parts)


def no_full_stop(words: int) -> str:
    """The real articles' words with every sentence end removed: one paragraph, no sentence."""
    text = re.sub(r"[.!?…;:]", "", " ".join(joined_articles(words).split()))
    return " ".join(text.split()[:words])


_FIRST = (
    "Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Isla", "James", "Karen",
    "Liam", "Maria", "Noah", "Olivia", "Peter", "Quinn", "Rosa", "Samuel", "Tara", "Umar", "Vera",
    "William", "Xena", "Yusuf", "Zoe", "Aaron", "Bella", "Conor", "Daisy", "Elliot", "Fiona",
    "George", "Hannah", "Ivan", "Julia", "Kevin", "Laura", "Martin", "Nadia", "Oscar", "Paula",
    "Ravi", "Sofia", "Thomas", "Ursula", "Victor", "Wendy", "Adam", "Beth", "Colin", "Diana",
    "Edward", "Freya", "Gareth", "Helen", "Imran", "Jane", "Kieran", "Lucy", "Mohammed", "Nora",
    "Owen", "Priya",
)  # fmt: skip
_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell",
    "Rose", "Davis", "Rodriguez", "Cox", "Alexander", "Morgan", "Moore", "Martin", "Price", "Bell",
    "Hughes", "Edwards", "Turner", "Hill", "Cooper", "Ward", "Morris", "King", "Watson", "Harris",
    "Baker", "Lee", "Young", "Allen", "Scott", "Carter", "Murphy", "Kelly", "Shaw", "Chapman",
    "Ellis", "Foster", "Gray", "Hunt", "Palmer", "Reid", "Stone",
)  # fmt: skip


def many_people(people: int, seed: int = 7) -> str:
    """Sentences that each name new people, some of them speaking: thousands of names, each
    a new speaker, subject or distractor candidate (an open letter's signatories look like it)."""
    names = [f"{first} {last}" for first in _FIRST for last in _LAST]
    if people > len(names):
        raise ValueError(f"at most {len(names)} different people")
    random.Random(seed).shuffle(names)
    sentences = []
    for i in range(0, people - 3, 4):
        a, b, c, d = names[i : i + 4]
        sentences.append(f'{a} met {b}, {c} and {d}. "We will not back down," {a} said.')
    return "\n".join(sentences)


# --- measuring ---------------------------------------------------------------------------------


class Timing(NamedTuple):
    """Wall-clock seconds, what a teacher waits, and this process's CPU seconds, which other
    work on the same cores barely changes: growth is judged on CPU time."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.3f} s (CPU {self.cpu:.3f} s)"


def timed(function: Callable[[], object], runs: int = 1) -> Timing:
    """The median of ``runs`` runs, wall and CPU time each."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def growth(size: float, timing: Timing, previous: tuple[float, Timing] | None, unit: str) -> str:
    """x size -> x CPU time from the previous size: linear keeps the two close."""
    if previous is None or previous[1].cpu <= 0:
        return ""
    return f", x{size / previous[0]:.2f} {unit} -> x{timing.cpu / previous[1].cpu:.2f} CPU time"


def child(argv: Sequence[str]) -> dict[str, float]:
    """Run this script's ``--child`` mode in a fresh interpreter and read its JSON answer."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"child {' '.join(argv)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# Timed in a fresh interpreter before anything else is imported: what a new worker pays.
_LOAD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
import spacy
imported = time.perf_counter()
from quizapp.core.reading.nlp import load_nlp
load_nlp()
print(json.dumps({"import_spacy": imported - started, "load": time.perf_counter() - imported}))
"""


def load_child() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(ROOT)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"loading the model failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory_child(words: int) -> None:
    """The fresh process's side of the memory figure: model, then the two imports."""
    load_nlp()
    answer = {"rss_model_mb": _maxrss_mb()}
    _import(SEED.read_text(encoding="utf-8"))
    _import(joined_articles(words))
    answer["rss_peak_mb"] = _maxrss_mb()
    print(json.dumps(answer))


# --- the benchmark -----------------------------------------------------------------------------


def bench_model(runs: int, words: int) -> None:
    loads = [load_child() for _ in range(runs)]
    spacy_s = statistics.median(load["import_spacy"] for load in loads)
    load_s = statistics.median(load["load"] for load in loads)
    print(
        f"reading: model load ({DEFAULT_MODEL}, fresh process, median of {runs}):"
        f" {load_s:.2f} s load_nlp + {spacy_s:.2f} s importing spaCy"
    )
    memory = child(["memory", "--words", str(words)])
    print(
        f"reading: peak memory (fresh process, model + seed article + {words:,} words):"
        f" {memory['rss_peak_mb']:.0f} MB max RSS ({memory['rss_model_mb']:.0f} MB once the"
        " model is loaded)"
    )


def bench_sizes(runs: int, long_runs: int, sizes: Sequence[int]) -> None:
    seed_text = SEED.read_text(encoding="utf-8")
    _import(seed_text)  # first use: the model's lazy parts, the distractor pool
    seed = timed(lambda: _import(seed_text), runs)
    print(
        f"reading: seed article ({len(seed_text.split())} words), median of {runs}:"
        f" {seed.wall * 1000:.0f} ms (CPU {seed.cpu * 1000:.0f} ms)"
    )
    print(f"import of joined eval articles (median of {long_runs}, the largest once):")
    previous: tuple[float, Timing] | None = None
    for size in sizes:
        text = joined_articles(size)
        words = len(text.split())
        # The largest size runs once: it is the one that keeps the bench under three minutes.
        timing = timed(lambda text=text: _import(text), long_runs if size < sizes[-1] else 1)
        print(
            f"  {words:>7,} words: {timing}, {timing.cpu / words * 1e6:.0f} us CPU/word"
            + growth(words, timing, previous, "words")
        )
        previous = (words, timing)
    if previous is not None:
        print(f"reading: {previous[0]:,} words: {previous[1]}")


def markup(piece: str, extension: str) -> Callable[[int], tuple[str, bytes]]:
    def build(chars: int) -> tuple[str, bytes]:
        return f"article{extension}", (piece * (chars // len(piece) + 1))[:chars].encode()

    return build


def page_of(piece: str) -> Callable[[int], tuple[str, bytes]]:
    """``piece`` repeated inside a page's paragraph: a saved page, read as an upload is."""

    def build(chars: int) -> tuple[str, bytes]:
        body = (piece * (chars // len(piece) + 1))[:chars]
        return "article.html", f"<html><body><p>{body}</p></body></html>".encode()

    return build


def text_of(build: Callable[[int], str]) -> Callable[[int], tuple[str, bytes]]:
    return lambda size: ("article.txt", build(size).encode())


ADVERSARIAL: tuple[tuple[str, Callable[[int], tuple[str, bytes]], tuple[int, int], str], ...] = (
    ('"end-to-end-" repeated, .txt', markup("end-to-end-", ".txt"), (10_000, 20_000), "chars"),
    ('"![" repeated, .md', markup("![", ".md"), (10_000, 20_000), "chars"),
    ('"![" repeated, .html', page_of("!["), (10_000, 20_000), "chars"),
    ('"<a " repeated, .md', markup("<a ", ".md"), (10_000, 20_000), "chars"),
    ('"<a " repeated, .html', page_of("<a "), (10_000, 20_000), "chars"),
    ('"<div>" nested, .html', markup("<div>", ".html"), (10_000, 20_000), "chars"),
    ("no full stop, .txt", text_of(no_full_stop), (10_000, 20_000), "words"),
    ("new people in every sentence, .txt", text_of(many_people), (1_000, 2_000), "people"),
)


def read_and_import(filename: str, data: bytes, notes: list[str]) -> None:
    """An upload's whole way in: the reader for its extension, then the import; ``notes``
    gets the reader's own share of the time, or its refusal."""
    started = time.perf_counter()
    try:
        text = document_text(filename, data, NO_LIMIT)
    except DocumentError as exc:
        notes.append(f"refused: {str(exc).split(':')[0]}")
        return
    notes.append(f"reader {time.perf_counter() - started:.3f} s")
    _import(text)


def bench_adversarial(halve: bool) -> None:
    # The page reader loads its fallback extractors on first use: not a cost of any one size.
    for warm_up in (page_of("Warm up the page reader's lazy imports. "), page_of("<a ")):
        with contextlib.suppress(DocumentError):
            document_text(*warm_up(2_000), NO_LIMIT)
    print("adversarial input, reader (document_text) + import:")
    for label, build, sizes, unit in ADVERSARIAL:
        previous: tuple[float, Timing] | None = None
        for size in sizes:
            size = size // 2 if halve else size
            notes: list[str] = []
            timing = timed(partial(read_and_import, *build(size), notes))
            line = f"  {label}, {size:,} {unit}: {timing}, {notes[-1]}"
            print(line + growth(size, timing, previous, unit))
            previous = (size, timing)


# --- documents: each reader alone ------------------------------------------------------------


def _paragraphs(words: int) -> list[str]:
    return joined_articles(words).split("\n\n")


def html_page(words: int) -> tuple[str, bytes]:
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(words))
    nav = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(20))
    page = (
        f"<html><head><title>Joined articles</title></head><body><nav><ul>{nav}</ul></nav>"
        f"<article><h1>Joined articles</h1>{body}</article><footer>© Example</footer></body></html>"
    )
    return "article.html", page.encode()


class _Paper(FPDF):
    """Pages with a running header and numbered footer, as a newspaper's PDF has."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, "The Joined Articles - Reading bench", align="C")
        self.ln(12)
        self.set_font("Helvetica", size=11)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")
        self.set_font("Helvetica", size=11)


def pdf_pages(pages: int) -> tuple[str, bytes]:
    """A PDF of exactly ``pages`` full pages of the joined articles."""
    pdf = _Paper()
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for paragraph in _paragraphs(pages * 700):  # more words than the pages hold
        text = paragraph.encode("latin-1", "replace").decode("latin-1")  # the core fonts' set
        height = pdf.multi_cell(0, 6, text, dry_run=True, output="HEIGHT") + 4
        if pdf.page_no() == pages and pdf.will_page_break(height):
            break
        pdf.multi_cell(0, 6, text)
        pdf.ln(4)
    return "article.pdf", bytes(pdf.output())


def word_file(words: int) -> tuple[str, bytes]:
    document = docx.Document()
    for paragraph in _paragraphs(words):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return "article.docx", out.getvalue()


def markdown_file(words: int) -> tuple[str, bytes]:
    return "article.md", "\n\n".join(f"**{p}**" for p in _paragraphs(words)).encode()


DOCUMENTS: tuple[tuple[str, Callable[[int], tuple[str, bytes]], tuple[int, int], str], ...] = (
    ("saved page, .html", html_page, (25_000, 50_000), "words"),
    ("PDF", pdf_pages, (10, 20), "pages"),
    ("Word, .docx", word_file, (25_000, 50_000), "words"),
    ("Markdown, .md", markdown_file, (25_000, 50_000), "words"),
)


def bench_documents(halve: bool) -> None:
    print("document readers alone (read_document), the file made beforehand:")
    for label, build, sizes, unit in DOCUMENTS:
        previous: tuple[float, Timing] | None = None
        for size in sizes:
            size = size // 10 if halve else size
            filename, data = build(size)
            timing = timed(partial(document_text, filename, data, NO_LIMIT), 3)
            print(
                f"  {label}, {size:,} {unit} ({len(data) / 1024:,.0f} KB): {timing}"
                + growth(size, timing, previous, unit)
            )
            previous = (size, timing)
        if unit == "pages":
            print(f"reading: a {size}-page PDF read in {timing.wall:.2f} s")


def bench_eval(quick: bool) -> bool:
    """Score the dev set as its README says; False when it could not be scored."""
    script = EVAL / "score.sh"
    if not script.exists():
        print(f"eval: {script} not found, not scored")
        return True
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "FLASK": str(bin_dir / "flask"), "PY": sys.executable}
    started = time.perf_counter()
    done = subprocess.run(
        ["bash", str(script), *(["01"] if quick else [])],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )
    seconds = time.perf_counter() - started
    lines = done.stdout.splitlines()
    for line in lines:
        if "failed" in line:
            print(f"eval: {line.strip()}")
    pooled = [line for line in lines if line.startswith("POOLED")]
    if not pooled:
        print(f"eval: score.sh printed no POOLED line (exit {done.returncode}): {done.stderr}")
        return False
    print(" ".join(pooled[-1].split()) + f"  [questions, coverage, unsound; {seconds:.0f} s]")
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per seed-article timing")
    parser.add_argument("--long-runs", type=int, default=2, help="runs per long-text timing")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the bench")
    parser.add_argument("--no-eval", action="store_true", help="skip scoring the dev set")
    parser.add_argument("--child", choices=["memory"], help=argparse.SUPPRESS)
    parser.add_argument("--words", type=int, default=MEMORY_WORDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        memory_child(args.words)
        return 0
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    runs, long_runs = (1, 1) if args.quick else (args.runs, args.long_runs)
    bench_model(1 if args.quick else 3, QUICK_SIZES[-1] if args.quick else MEMORY_WORDS)
    bench_sizes(runs, long_runs, QUICK_SIZES if args.quick else SIZES)
    bench_adversarial(halve=args.quick)
    bench_documents(halve=args.quick)
    scored = args.no_eval or bench_eval(args.quick)
    # Other work on the same cores slows every figure: say how busy the machine was.
    print(
        f"reading bench: {time.perf_counter() - started:.0f} s; 1-minute load average"
        f" {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end,"
        f" on {os.cpu_count()} CPUs"
    )
    return 0 if scored else 1


if __name__ == "__main__":
    sys.exit(main())
