"""Generating an article's questions the one way every caller should: pool, then gates."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.facts import ArticleFacts
from ..core.questions import GateReport, generate_questions, pool_for, run_gates
from ..core.reading.pipeline import Progress, no_progress
from .distractors import distractor_pools

MAKING_QUESTIONS = "making questions"


def gated_questions(
    facts: ArticleFacts,
    sentences: Sequence[str],
    seed: int = 0,
    progress: Progress = no_progress,
) -> GateReport:
    """Drafts from the facts with the shipped pools of the article's subject, split by the
    quality gates.

    Callers store or show only ``kept``; ``dropped`` says why the rest were refused.
    ``progress`` hears of each of the three stages (pool, drafts, gates) as it ends.
    """
    progress(MAKING_QUESTIONS, 0, 3)
    pool = pool_for(distractor_pools(), sentences)
    progress(MAKING_QUESTIONS, 1, 3)
    drafts = generate_questions(facts, seed, pool, sentences)
    progress(MAKING_QUESTIONS, 2, 3)
    report = run_gates(drafts, facts, sentences)
    progress(MAKING_QUESTIONS, 3, 3)
    return report
