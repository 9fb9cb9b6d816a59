"""Which term does the article explain this way? Other terms of its type are distractors."""

from __future__ import annotations

from collections.abc import Iterator

from quizapp.core.facts import ArticleFacts, EntityType, FactKind
from quizapp.core.questions.distractors import pick
from quizapp.core.questions.drafts import (
    SINGLE_CHOICES,
    QuestionDraft,
    Topic,
    single_choice,
)
from quizapp.core.questions.index import Context
from quizapp.core.questions.wording import canonical, comparable, curly, same_words


def term_definition(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """Which term does the article explain this way? Other terms of its type are distractors."""
    definitions = facts.of_kind(FactKind.DEFINITION)
    for fact in definitions:
        term = canonical(facts, fact.subject)
        term_type = facts.entity_type(term)
        meaning_it = {
            comparable(canonical(facts, f.subject))
            for f in definitions
            if same_words(f.object, fact.object)
        }
        rng = ctx.rng("term_definition", fact)
        # Other terms the article defines are the best wrong answers; names of the term's own
        # type next, unless it has none ("other" mixes products, sites and stray words).
        defined = [canonical(facts, f.subject) for f in definitions]
        typed = ctx.index.offerable(term_type) if term_type != EntityType.OTHER else ()
        distractors = pick(
            rng,
            [defined, typed, list(ctx.pool.of_type(term_type))],
            exclude=meaning_it,
            count=SINGLE_CHOICES - 1,
        )
        noun = {EntityType.LAW: "law", EntityType.TERM: "term"}.get(term_type, "name")
        first_word = fact.object.split()[0].lower() if fact.object.split() else ""
        if first_word.endswith("s") and first_word not in {"this", "its", "is", "was"}:
            stem = f"Which {noun}, according to the article, {fact.object.rstrip('.')}?"
        else:
            stem = f"Which {noun} does the article use for {fact.object.rstrip('.')}?"
        yield from single_choice(
            rng,
            generator="term_definition",
            fact=fact,
            topic=Topic.LAW if term_type == EntityType.LAW else Topic.TERMS,
            stem=stem,
            answer=term,
            distractors=distractors,
            explanation=f"The article explains {term} this way: {curly(fact.evidence)}",
        )
