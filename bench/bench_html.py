"""Score the app's reading of saved news pages against plain trafilatura, in the same run.

    .venv/bin/python bench/bench_html.py [--pages N]

The 40 pages and their reference article text live in ``../shared/eval/html`` (EVAL_DIR/html
from a checkout elsewhere) with the scorer ``score.py``; they are third-party articles, read
from there and never copied here. Both readers are scored by that script's own functions
(4-token shingles, per-page precision and recall, F1 of the means), so the figures compare
with the set's README. The app's reader is what an upload meets: ``read_document`` on the
page's bytes, then the article body the reader keeps (``split_article``: the headline is stored
apart from the sentences, as the reference text leaves it out). The whole text, headline
included, is scored too. Exit status 1 if the app's body scores below trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.core.formats.documents import DocumentError, read_document  # noqa: E402
from quizapp.core.reading.document import split_article  # noqa: E402

EVAL = Path(os.environ.get("EVAL_DIR") or ROOT.parent / "shared" / "eval") / "html"
NO_LIMIT = 10**9


def app_text(html: str) -> str:
    try:
        return read_document("page.html", html.encode("utf-8"), NO_LIMIT).text
    except DocumentError:
        return ""  # a refusal scores as an empty prediction, as a failure does in score.py


def app_body(html: str) -> str:
    return "\n\n".join(split_article(app_text(html)).paragraphs)


def trafilatura_reader(html: str) -> str:
    """The set's baseline: the call the benchmark makes."""
    return trafilatura.extract(html, include_comments=False) or ""


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("html_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer: ModuleType, pages: dict[str, str], truth: dict, read: Callable) -> dict:
    counts, page_f1s = [], []
    started = time.perf_counter()
    for key, html in pages.items():
        tp_fp_fn = scorer.shingle_matching(
            true=truth[key].get("articleBody") or "", pred=read(html)
        )
        precision = scorer.precision_score(*tp_fp_fn)
        recall = scorer.recall_score(*tp_fp_fn)
        page_f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
        counts.append(tp_fp_fn)
    metrics = scorer.metrics_from_tp_fp_fns(counts)
    metrics["mean_page_f1"] = statistics.mean(page_f1s)
    metrics["seconds"] = time.perf_counter() - started
    return metrics


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="score only the first N pages")
    args = parser.parse_args()
    if not (EVAL / "score.py").exists():
        print(f"html: {EVAL} not found (it is not part of the repository), not scored")
        return 0
    scorer = load_scorer()
    truth = json.loads((EVAL / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.pages or None]
    pages = {}
    for key in keys:
        with gzip.open(EVAL / "pages" / f"{key}.html.gz", "rt", encoding="utf-8") as stream:
            pages[key] = stream.read()
    app = score(scorer, pages, truth, app_body)
    whole = score(scorer, pages, truth, app_text)
    baseline = score(scorer, pages, truth, trafilatura_reader)
    runs = (("app, article body", app), ("app, with headline", whole), ("trafilatura", baseline))
    for name, m in runs:
        print(
            f"  {name:<20} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
            f"  (mean per-page F1 {m['mean_page_f1']:.3f}), {m['seconds']:.1f} s"
        )
    print(
        f"html: {len(pages)} saved pages, F1 app {app['f1']:.3f} vs trafilatura"
        f" {baseline['f1']:.3f}, ratio {app['f1'] / baseline['f1']:.3f}"
        f" (mean per-page {app['mean_page_f1']:.3f} vs {baseline['mean_page_f1']:.3f})"
    )
    return 1 if app["f1"] < baseline["f1"] - 1e-9 else 0


if __name__ == "__main__":
    sys.exit(main())
