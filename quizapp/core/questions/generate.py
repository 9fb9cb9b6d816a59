"""Every generator, in the order their questions are listed to a teacher."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.core.facts import ArticleFacts
from quizapp.core.questions.cloze import cloze
from quizapp.core.questions.drafts import QuestionDraft
from quizapp.core.questions.index import ArticleIndex, Context, Generator
from quizapp.core.questions.members import set_members
from quizapp.core.questions.pools import DistractorPool
from quizapp.core.questions.powers import regulator_power
from quizapp.core.questions.quotes import quote_speaker
from quizapp.core.questions.roles import role_holder
from quizapp.core.questions.sides import stance_side
from quizapp.core.questions.terms import term_definition
from quizapp.core.questions.true_false import true_false


def generate_questions(
    facts: ArticleFacts,
    seed: int = 0,
    pool: DistractorPool | None = None,
    sentences: Sequence[str] = (),
) -> list[QuestionDraft]:
    """Every question the facts support, in registry order then fact order.

    ``pool`` tops up distractors of a type the article has too few of (callers load
    ``seeds/distractors.json`` with ``load_pool``); without one only the article's own names
    are used. A question that cannot get enough honest distractors is skipped rather than
    padded with something that might be true. ``sentences`` (the article's, in order) are
    what gap-fill questions are made of; without them only fact questions are made.
    """
    context = Context(
        seed=seed,
        pool=DistractorPool() if pool is None else pool,
        index=ArticleIndex(facts, sentences),
        sentences=tuple(sentences),
    )
    drafts: list[QuestionDraft] = []
    seen: set[tuple[str, str]] = set()
    asked: set[str] = set()  # facts a question with choices already asks
    again: list[QuestionDraft] = []  # statements of facts already asked, the false ones
    for name, generator in GENERATORS:
        for draft in generator(facts, context):
            identity = (draft.fact_key, name)
            if identity in seen:
                continue
            seen.add(identity)
            if name in RESTATING and draft.fact_key in asked:
                again.append(draft)
                continue
            drafts.append(draft)
            if name not in RESTATING:
                asked.add(draft.fact_key)
    return [*drafts, *_balanced(again, max(len(drafts) // RESTATED_SHARE, 2))]


def _balanced(statements: list[QuestionDraft], count: int) -> list[QuestionDraft]:
    """Up to ``count`` statements, true and false in turn as far as each lasts, so that
    answering "False" to everything scores no better than knowing the article."""
    true = [d for d in statements if d.answers == (0,)]
    false = [d for d in statements if d.answers != (0,)]
    chosen: list[QuestionDraft] = []
    while (true or false) and len(chosen) < count:
        for side in (false, true):
            if side and len(chosen) < count:
                chosen.append(side.pop(0))
    return chosen


GENERATORS: tuple[tuple[str, Generator], ...] = (
    ("quote_speaker", quote_speaker),
    ("set_members", set_members),
    ("regulator_power", regulator_power),
    ("role_holder", role_holder),
    ("stance_side", stance_side),
    ("term_definition", term_definition),
    ("cloze", cloze),
    ("true_false", true_false),
)
# A true/false statement of a fact another question already asks asks it twice, so such
# statements are few: at most one for every RESTATED_SHARE other questions, true and false
# in turn.
RESTATING = frozenset({"true_false"})
RESTATED_SHARE = 8
