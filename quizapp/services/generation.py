"""Generating an article's questions the one way every caller should: pool, then gates."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.facts import ArticleFacts
from ..core.questions import GateReport, generate_questions, pool_for, run_gates
from .distractors import distractor_pools


def gated_questions(facts: ArticleFacts, sentences: Sequence[str], seed: int = 0) -> GateReport:
    """Drafts from the facts with the shipped pools of the article's subject, split by the
    quality gates.

    Callers store or show only ``kept``; ``dropped`` says why the rest were refused.
    """
    pool = pool_for(distractor_pools(), sentences)
    drafts = generate_questions(facts, seed, pool, sentences)
    return run_gates(drafts, facts, sentences)
