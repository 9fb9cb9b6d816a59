"""True or false: one fact as a statement, true as the article gives it or false by one
swapped part of the same type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from quizapp.core.facts import ATTRIBUTION_THRESHOLD, ArticleFacts, EntityType, Fact, FactKind
from quizapp.core.questions.distractors import Taken, Tier, pick
from quizapp.core.questions.drafts import (
    SHORT_QUOTE_WORDS,
    TRUE_FALSE_CHOICES,
    QuestionDraft,
    QuestionKind,
    Topic,
    finish,
    topic_of_fact,
)
from quizapp.core.questions.index import Context
from quizapp.core.questions.quotes import NOT_SPEAKERS, REPORTED
from quizapp.core.questions.wording import (
    after_that,
    canonical,
    capitalise,
    comparable,
    curly,
    display,
    first_person,
    is_plural,
    mentions,
    quote,
    role_phrase,
    role_words,
    same_words,
    stands_alone,
    with_article,
)

_SLOT = "\x00"  # where a true/false statement's swappable part goes


# A member's relation is stated right after its name, so it must open with a verb that agrees
# with one name ("uses end-to-end encryption", "is one of the apps that ..."). A relation
# that only names the set ("messaging apps") or is a bare participle ("covered by chat
# control") would not make a sentence, and is not stated.
_SINGULAR_PREDICATE = re.compile(
    r"(?:is|was|has|does|can|could|will|would|may|might|must|should|uses|offers|supports"
    r"|relies|adopts|deploys)\s"
)


def true_false(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """A statement of one fact, true as the article gives it or false by one swapped part.

    A false statement swaps exactly one part for another of the same type from the article
    (then the curated pool): a person for a person, an app for an app, a side for the other
    side. It never negates, because "X did not say Y" tests grammar rather than reading. A
    swap the facts would make true anyway is never used, and a fact with no honest swap is
    stated truly. Numbers are not stated here: their sentence's gap-fill already asks them,
    and a sentence with one number changed would ask it again.
    """
    stated: set[str] = set()
    for fact in facts.facts:
        statement = _statement(facts, fact, ctx)
        if statement is None:
            continue
        true_text = capitalise(statement.with_part(statement.part))
        if statement.key() in stated or comparable(true_text) in stated:
            continue
        rng = ctx.rng("true_false", fact)
        swaps = pick(
            rng,
            [statement.article_swaps, statement.pool_swaps],
            exclude=statement.true_parts,
            count=1,
        )
        swap = ""
        if swaps:
            swap = display(facts, swaps[0]) if statement.displayed else swaps[0]
        false_text = capitalise(statement.with_part(swap)) if swap else ""
        # A false statement another fact already produced would be the same question twice.
        wants_false = rng.random() < 0.5
        is_false = wants_false and bool(false_text) and comparable(false_text) not in stated
        text = false_text if is_false else true_text
        stated.update({statement.key(), comparable(true_text), comparable(text)})
        if is_false:
            explanation = (
                f"False: the statement puts {swap} where the article has"
                f" {statement.part}: {curly(fact.evidence)}"
            )
        else:
            explanation = f"True, as the article says: {curly(fact.evidence)}"
        yield from finish(
            QuestionDraft(
                kind=QuestionKind.TRUE_FALSE,
                topic=_statement_topic(facts, fact),
                stem=f"True or false? {text}",
                choices=TRUE_FALSE_CHOICES,
                answers=(1,) if is_false else (0,),
                explanation=explanation,
                evidence=fact.evidence,
                fact_key=fact.key,
                generator="true_false",
            )
        )


@dataclass(frozen=True)
class _Statement:
    """A fact as a sentence with one swappable part; ``SLOT`` in ``template`` marks it."""

    template: str
    part: str
    true_parts: Iterable[str] | Taken  # normalised parts that make it true by the facts
    article_swaps: Sequence[str] | Tier
    pool_swaps: Sequence[str] = ()
    # What makes two statements one question; by default their wording, but "security
    # minister" and "minister of security" are one role.
    identity: str = ""
    # Swaps are names to be shown as a sentence reads them ("the Home Office").
    displayed: bool = False

    def key(self) -> str:
        return self.identity or comparable(self.with_part(self.part))

    def with_part(self, part: str) -> str:
        return self.template.replace(_SLOT, part)


def _statement(facts: ArticleFacts, fact: Fact, ctx: Context) -> _Statement | None:
    """How true_false states a fact, or None for kinds a one-line statement would garble."""
    same = facts.of_kind(fact.kind)
    subject = canonical(facts, fact.subject)
    subject_type = facts.entity_type(subject)
    pool, index = ctx.pool, ctx.index

    def others(entity_type: EntityType, *also_skip: str) -> Tier:
        """Same-type names the sentence does not mention: mentioned ones may well be true."""
        names = index.names(entity_type).names
        return Tier(names, skip=facts.mentioned(fact.evidence).union(also_skip))

    if fact.kind == FactKind.ROLE and subject_type == EntityType.PERSON:
        role = role_words(fact.object)
        holders = index.holders(role)
        people = others(EntityType.PERSON)
        if any(n not in people.skip and comparable(n) not in holders for n in people.names):
            return _Statement(
                template=f"The article describes {_SLOT} as"
                f" {with_article(role_phrase(fact.object, fact.evidence))}.",
                part=subject,
                true_parts=holders,
                article_swaps=people,
                identity=f"role|{subject}|{' '.join(sorted(role))}",
            )
        # Nobody else to swap in: swap the role instead, for another the person does not hold.
        held = index.objects_of(FactKind.ROLE, subject)
        return _Statement(
            identity=f"role|{subject}|{' '.join(sorted(role))}",
            template=f"The article describes {subject} as the {_SLOT}.",
            part=re.sub(r"^(the|a|an)\s+", "", fact.object, flags=re.I),
            true_parts={comparable(r) for r in held},
            article_swaps=[
                f.object
                for f in same
                if not any(role_words(f.object) == role_words(h) for h in held)
            ],
            pool_swaps=[
                r for r in pool.roles if not any(role_words(r) == role_words(h) for h in held)
            ],
        )
    if (
        fact.kind == FactKind.QUOTE
        and len(fact.object.split()) >= SHORT_QUOTE_WORDS
        and stands_alone(fact.object)
        and fact.confidence >= ATTRIBUTION_THRESHOLD
        and facts.entity_type(subject) not in NOT_SPEAKERS
    ):
        talked_about = index.names(subject_type).mentioned_in(fact.object)
        return _Statement(
            template=f"According to the article, {_SLOT} said {_reported(fact)}",
            part=display(facts, subject),
            true_parts=index.said_by(fact.object),
            article_swaps=others(subject_type, *talked_about),
            displayed=True,
        )
    if fact.kind == FactKind.MEMBER and _SINGULAR_PREDICATE.match(fact.relation):
        member = canonical(facts, fact.object)
        member_type = facts.entity_type(member)
        return _Statement(
            template=f"According to the article, {_SLOT} {fact.relation}.",
            part=member,
            true_parts={
                comparable(canonical(facts, f.object)) for f in same if f.relation == fact.relation
            },
            article_swaps=others(member_type),
            pool_swaps=pool.of_type(member_type),
        )
    if fact.kind == FactKind.POWER and subject_type == EntityType.REGULATOR:
        law = display(facts, fact.relation) if fact.relation else "the law"
        return _Statement(
            template=f"According to the article, {law} might give {_SLOT} the authority to"
            f" {fact.object.rstrip('.')}.",
            part=display(facts, subject),
            true_parts={
                comparable(canonical(facts, f.subject))
                for f in same
                if same_words(f.object, fact.object)
            },
            article_swaps=others(EntityType.REGULATOR),
            pool_swaps=pool.of_type(EntityType.REGULATOR),
            displayed=True,
        )
    if fact.kind == FactKind.STANCE:
        taken = set(index.objects_of(FactKind.STANCE, subject))
        if len(taken) != 1 or fact.object not in {s.key for s in facts.sides}:
            return None
        if any(mentions(s.label, facts, subject) for s in facts.sides):
            return None  # a side named after the actor's own plan gives the answer away
        verb = "are" if is_plural(facts, subject) else "is"
        return _Statement(
            template=f"Going by the article, {display(facts, subject)} {verb} on the side"
            f" \u201c{_SLOT}\u201d.",
            part=facts.side_label(fact.object),
            true_parts={comparable(facts.side_label(fact.object))},
            article_swaps=[s.label for s in facts.sides if s.key != fact.object],
        )
    return None


def _statement_topic(facts: ArticleFacts, fact: Fact) -> Topic:
    """Each statement is studied under its fact's topic."""
    return topic_of_fact(fact.kind)


def _reported(fact: Fact) -> str:
    """The quote as the statement's words: in quotation marks unless the article reports
    them without quoting."""
    words = fact.object.rstrip(".")
    if fact.relation == REPORTED and not first_person(words):
        return f"that {after_that(words)}."
    return f"{quote(words)}."
