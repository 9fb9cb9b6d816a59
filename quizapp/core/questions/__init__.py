"""Making questions from an article's facts: one module per kind of question, the rules for
distractors they share, and the gates every draft passes before a teacher sees it.

``generate.generate_questions`` runs every generator; ``gates.run_gates`` checks the drafts.
"""

from quizapp.core.questions.drafts import (
    TRUE_FALSE_CHOICES,
    QuestionDraft,
    QuestionKind,
    Topic,
    topic_of_fact,
)
from quizapp.core.questions.gates import Dropped, GateReport, run_gates
from quizapp.core.questions.generate import generate_questions
from quizapp.core.questions.pools import DistractorPool, PoolError, load_pool, load_pools, pool_for
from quizapp.core.questions.wording import BLANK

__all__ = [
    "BLANK",
    "TRUE_FALSE_CHOICES",
    "DistractorPool",
    "Dropped",
    "GateReport",
    "PoolError",
    "QuestionDraft",
    "QuestionKind",
    "Topic",
    "generate_questions",
    "load_pool",
    "load_pools",
    "pool_for",
    "run_gates",
    "topic_of_fact",
]
