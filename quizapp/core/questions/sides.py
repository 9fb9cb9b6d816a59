"""Which side does this actor take? Asked only when the article has its own debate."""

from __future__ import annotations

from collections.abc import Iterator

from quizapp.core.facts import ArticleFacts, FactKind
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
    capitalise,
    curly,
    display,
    is_plural,
    mentions,
)


def stance_side(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """Which side does X take? The debate's own side labels are the choices."""
    stances = facts.of_kind(FactKind.STANCE)
    keys = [side.key for side in facts.sides]
    for fact in stances:
        subject = canonical(facts, fact.subject)
        sides_taken = set(ctx.index.objects_of(FactKind.STANCE, subject))
        # Someone on both sides has no single right answer, so there is no question to ask.
        if fact.object not in keys or len(sides_taken) != 1 or len(keys) < 2:
            continue
        if any(mentions(s.label, facts, subject) for s in facts.sides):
            continue  # "Which side does Meta take?" among sides about "Meta's plan" gives it away
        side = next(s for s in facts.sides if s.key == fact.object)
        rng = ctx.rng("stance_side", fact)
        others = [s.label for s in facts.sides if s.key != fact.object]
        distractors = pick(rng, [others], exclude=set(), count=SINGLE_CHOICES - 1)
        who = display(facts, subject)
        verb = "do" if is_plural(facts, subject) else "does"
        debate = f"The debate: {facts.debate} " if facts.debate else ""
        summary = f" That side's case: {side.summary}" if side.summary else ""
        yield from single_choice(
            rng,
            generator="stance_side",
            fact=fact,
            topic=Topic.SIDES,
            stem=f"{debate}Going by the article, which side {verb} {who} take?",
            answer=side.label,
            distractors=distractors,
            explanation=f"{capitalise(who)} {'are' if verb == 'do' else 'is'} on the side"
            f" \u201c{side.label}\u201d, as this sentence shows: {curly(fact.evidence)}" + summary,
            min_choices=2,
        )
