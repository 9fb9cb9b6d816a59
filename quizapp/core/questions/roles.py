"""Who holds this role? People the article gives a role, with other people as distractors."""

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
from quizapp.core.questions.wording import (
    canonical,
    curly,
    role_phrase,
    role_words,
    with_article,
)


def role_holder(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """Who holds this role? Asked once per person and role, however the article words it."""
    roles = facts.of_kind(FactKind.ROLE)
    asked: set[tuple[str, frozenset[str]]] = set()
    for fact in roles:
        holder = canonical(facts, fact.subject)
        if facts.entity_type(holder) != EntityType.PERSON:
            continue
        role = role_words(fact.object)
        if (holder, role) in asked:
            continue
        asked.add((holder, role))
        holders = ctx.index.holders(role)
        if len(holders) > 1:
            continue  # two people called "Prime Minister" (one of them former): no one answer
        rng = ctx.rng("role_holder", fact)
        distractors = pick(
            rng,
            [
                ctx.index.offerable(EntityType.PERSON),
                list(ctx.pool.of_type(EntityType.PERSON)),
            ],
            exclude=holders,
            count=SINGLE_CHOICES - 1,
        )
        title = with_article(role_phrase(fact.object, fact.evidence))
        yield from single_choice(
            rng,
            generator="role_holder",
            fact=fact,
            topic=Topic.ROLES,
            stem=f"Who does the article describe as {title}?",
            answer=holder,
            distractors=distractors,
            explanation=f"The article describes {holder} as {title}: {curly(fact.evidence)}",
            min_choices=3,
        )
