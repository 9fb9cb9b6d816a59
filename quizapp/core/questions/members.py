"""Which of these fill the gaps? A sentence naming several members of a set, all gapped.

A sentence that lists things ("apps like Signal, WhatsApp and iMessage", "five nationalities:
...") is asked with every member taken out; the learner ticks the names that fill the gaps.
Distractors are names of the members' type that neither the sentence nor its neighbours
mention, so none of them could be a member the article names nearby.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizapp.core.facts import ArticleFacts, Fact, FactKind
from quizapp.core.questions.distractors import pick
from quizapp.core.questions.drafts import (
    CHOICES_MAX,
    MULTI_MIN_DISTRACTORS,
    QuestionDraft,
    QuestionKind,
    Topic,
    finish,
)
from quizapp.core.questions.index import Context
from quizapp.core.questions.wording import BLANK, canonical, comparable, curly, join, unique

GENERATOR = "set_members"
NEIGHBOURS = 2
_PROMPT = "Which of these fill the gaps in this sentence from the article? Select all that apply."


def set_members(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts.of_kind(FactKind.MEMBER):
        groups.setdefault((fact.evidence, fact.subject), []).append(fact)
    positions = {s: i for i, s in reversed(list(enumerate(ctx.sentences)))}
    for (evidence, _), members in groups.items():
        names = [n for n in unique(canonical(facts, f.object) for f in members) if n in evidence]
        if len(names) < 2 or len(names) + MULTI_MIN_DISTRACTORS > CHOICES_MAX:
            continue
        if len({facts.entity_type(n) for n in names}) > 1:
            continue  # a person beside an organisation is no set a learner can reason about
        gapped = evidence
        for name in sorted(names, key=len, reverse=True):
            gapped = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", BLANK, gapped)
        if any(comparable(n) in comparable(gapped) for n in names):
            continue  # a member written twice, once inside another word: it would show
        at = positions.get(evidence, 0)
        nearby = ctx.sentences[max(at - NEIGHBOURS, 0) : at + NEIGHBOURS + 1] or [evidence]
        skip = {comparable(n) for text in nearby for n in facts.mentioned(text)}
        entity_type = facts.entity_type(names[0])
        rng = ctx.rng(GENERATOR, members[0])
        wanted = max(4 - len(names), MULTI_MIN_DISTRACTORS)
        distractors = pick(
            rng,
            [ctx.index.offerable(entity_type), list(ctx.pool.of_type(entity_type))],
            exclude=skip | {comparable(n) for n in names},
            count=wanted,
        )
        if len(distractors) < MULTI_MIN_DISTRACTORS:
            continue
        choices = [*names, *distractors]
        rng.shuffle(choices)
        yield from finish(
            QuestionDraft(
                kind=QuestionKind.MULTI,
                topic=Topic.GROUPS,
                stem=f"{_PROMPT} {curly(gapped)}",
                choices=tuple(choices),
                answers=tuple(sorted(choices.index(n) for n in names)),
                explanation=f"The article names {join(names)}: {curly(evidence)} It does not"
                f" name {join(distractors, 'or')} there.",
                evidence=evidence,
                fact_key=members[0].key,
                generator=GENERATOR,
            )
        )
