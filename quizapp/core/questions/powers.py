"""What power might a body get? Powers the article gives someone else are the distractors."""

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
from quizapp.core.questions.wording import canonical, capitalise, comparable, curly, display


def regulator_power(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """What power might the regulator get? Distractors are powers nobody in the facts gets."""
    powers = facts.of_kind(FactKind.POWER)
    for fact in powers:
        regulator = canonical(facts, fact.subject)
        true_powers = {
            comparable(f.object) for f in powers if canonical(facts, f.subject) == regulator
        }
        # Powers the article gives someone else are wrong here and sound the part.
        others = [f.object for f in powers if comparable(f.object) not in true_powers]
        rng = ctx.rng("regulator_power", fact)
        distractors = pick(
            rng,
            [others, list(ctx.pool.false_powers)],
            exclude=true_powers,
            count=SINGLE_CHOICES - 1,
        )
        law = f" {display(facts, fact.relation)}" if fact.relation else " the law"
        who = display(facts, regulator)
        yield from single_choice(
            rng,
            generator="regulator_power",
            fact=fact,
            topic=Topic.LAW,
            stem=f"According to the article,{law} might give {who} the authority to do what?",
            answer=capitalise(fact.object),
            distractors=[capitalise(d) for d in distractors],
            explanation=f"The article says{law} might give {who} the authority to"
            f" {fact.object}: {curly(fact.evidence)} The other choices are not powers the"
            " article mentions.",
        )
