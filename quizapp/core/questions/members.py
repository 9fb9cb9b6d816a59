from __future__ import annotations

from collections.abc import Iterator

from quizapp.core.facts import ArticleFacts, EntityType, Fact, FactKind
from quizapp.core.questions.distractors import pick
from quizapp.core.questions.drafts import (
    MULTI_MIN_DISTRACTORS,
    SINGLE_CHOICES,
    QuestionDraft,
    QuestionKind,
    Topic,
    finish,
)
from quizapp.core.questions.index import Context
from quizapp.core.questions.wording import canonical, comparable, curly, join, mentions, unique

E2EE_RELATION = "uses end-to-end encryption"


def e2ee_apps(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """Which apps use end-to-end encryption? Built from the sentence listing the most of them.

    Members named only in other sentences are neither answers (the evidence shown would not
    support them) nor distractors (they are true), so the question stays honest either way.
    """
    members = [f for f in facts.of_kind(FactKind.MEMBER) if f.relation == E2EE_RELATION]
    if not members:
        return
    all_members = {comparable(canonical(facts, f.object)) for f in members}
    by_sentence: dict[str, list[Fact]] = {}
    for fact in members:
        by_sentence.setdefault(fact.evidence, []).append(fact)
    evidence, listed = max(by_sentence.items(), key=lambda item: len(item[1]))
    correct = unique(canonical(facts, f.object) for f in listed)
    correct = [name for name in correct if mentions(evidence, facts, name)]
    if not correct:
        return
    fact = listed[0]
    rng = ctx.rng("e2ee_apps", fact)
    wanted = max(SINGLE_CHOICES - len(correct), MULTI_MIN_DISTRACTORS)
    distractors = pick(
        rng,
        [facts.names_of_type(EntityType.APP), list(ctx.pool.of_type(EntityType.APP))],
        exclude=all_members,
        count=wanted,
    )
    if len(distractors) < wanted:
        return
    choices = [*correct, *distractors]
    rng.shuffle(choices)
    answers = tuple(sorted(choices.index(name) for name in correct))
    refers_back = (
        ""
        if "encrypt" in evidence.lower()
        else " (the sentence refers back to end-to-end encryption, introduced earlier)"
    )
    explanation = (
        f"The article names {join(correct)} as apps that use end-to-end encryption"
        f"{refers_back}: {curly(evidence)} It does not say that"
        f" {join(distractors, 'or')} already use it."
    )
    yield from finish(
        QuestionDraft(
            kind=QuestionKind.MULTI,
            topic=Topic.GROUPS,
            stem="According to the article, which of these apps already use end-to-end"
            " encryption? Select all that apply.",
            choices=tuple(choices),
            answers=answers,
            explanation=explanation,
            evidence=evidence,
            fact_key=fact.key,
            generator="e2ee_apps",
        )
    )
