"""Multiple-choice questions made from facts, each citing its evidence sentence.

Every generator turns one kind of fact into drafts. The rules they share live in a few helpers
so that no generator can forget them: distractors come only from names of the answer's own
type that the facts do not make true (the article's own first, then a curated
``DistractorPool`` the caller loads with ``load_pool``), choices never repeat, the answer
never sits verbatim in the stem, and each question shuffles with its own seeded RNG so adding
a fact to an article leaves every other question exactly as it was.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import islice
from typing import Any

from quizapp.core.facts import ArticleFacts, EntityType, Fact, FactKind


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TRUE_FALSE = "true_false"


class Topic(StrEnum):
    """The study topics progress is reported by; every question belongs to one."""

    QUOTES = "Who said what"
    APPS = "Apps and encryption"
    LAW = "Ofcom and the law"
    ROLES = "Roles"
    NUMBERS = "Dates and numbers"
    SIDES = "The debate's sides"
    TERMS = "Key terms"


@dataclass(frozen=True)
class QuestionDraft:
    kind: QuestionKind
    topic: Topic
    stem: str
    choices: tuple[str, ...]
    answers: tuple[int, ...]  # indexes into choices
    explanation: str
    evidence: str  # the source sentence, verbatim from the article
    fact_key: str = ""  # Fact.key of the fact it tests, so drafts of one fact dedupe
    generator: str = ""  # which generator made it: with fact_key, the draft's identity

    def to_json(self) -> dict[str, object]:
        """The shape DESIGN.md promises to tools reading ``generate --format json``."""
        return {
            "kind": str(self.kind),
            "topic": str(self.topic),
            "stem": self.stem,
            "choices": list(self.choices),
            "answers": list(self.answers),
            "explanation": self.explanation,
            "evidence": self.evidence,
        }


class PoolError(ValueError):
    """A distractor pool file that cannot be trusted: unknown section or a non-name entry."""


@dataclass(frozen=True)
class DistractorPool:
    """Curated same-type names used only when an article has too few of its own.

    Every name must be a wrong answer to anything an article is likely to ask, not merely
    absent from it, so a learner who knows the real world is never marked wrong for it.
    """

    names: Mapping[EntityType, tuple[str, ...]] = field(default_factory=dict)
    roles: tuple[str, ...] = ()  # titles no article person is likely to hold
    false_powers: tuple[str, ...] = ()  # verb phrases, to match POWER facts' objects

    def of_type(self, entity_type: EntityType) -> tuple[str, ...]:
        return tuple(self.names.get(entity_type, ()))


# The pool file's sections, named as people write them, and the entity type each tops up.
POOL_SECTIONS: Mapping[str, EntityType] = {
    "apps": EntityType.APP,
    "regulators": EntityType.REGULATOR,
    "organisations": EntityType.ORGANISATION,
    "laws": EntityType.LAW,
    "terms": EntityType.TERM,
    "people": EntityType.PERSON,
}
_POOL_EXTRAS = ("roles", "false_powers")


def load_pool(data: Mapping[str, Any]) -> DistractorPool:
    """Parse a distractor pool file's JSON object; ``about`` is free text for its readers.

    Unknown sections are refused rather than ignored, so a typo ("regulator") cannot quietly
    leave a type without its fallback names.
    """
    if not isinstance(data, Mapping):
        raise PoolError("a distractor pool must be a JSON object of named lists")
    names: dict[EntityType, tuple[str, ...]] = {}
    extras: dict[str, tuple[str, ...]] = {}
    for section, values in data.items():
        if section == "about":
            continue
        if section not in POOL_SECTIONS and section not in _POOL_EXTRAS:
            raise PoolError(f"unknown distractor pool section {section!r}")
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise PoolError(f"distractor pool section {section!r} must be a list of names")
        cleaned = tuple(_unique(v.strip() for v in values))
        if section in POOL_SECTIONS:
            names[POOL_SECTIONS[section]] = cleaned
        else:
            extras[section] = cleaned
    return DistractorPool(
        names=names, roles=extras.get("roles", ()), false_powers=extras.get("false_powers", ())
    )


E2EE_RELATION = "uses end-to-end encryption"
BLANK = "_____"
TRUE_FALSE_CHOICES = ("True", "False")
_GAP_PROMPT = "Which fills the gap in this sentence from the article?"
_SLOT = "\x00"  # where a true/false statement's swappable part goes
_PARTS = ("subject", "object", "relation")  # a fact's parts a cloze may blank
# Names worth gapping: people are quote_speaker's, "other" groups are too vague to guess.
_CLOZE_TYPES = frozenset(
    {EntityType.APP, EntityType.REGULATOR, EntityType.ORGANISATION, EntityType.LAW, EntityType.TERM}
)
_TOPIC_OF_TYPE: Mapping[EntityType, Topic] = {
    EntityType.APP: Topic.APPS,
    EntityType.REGULATOR: Topic.LAW,
    EntityType.LAW: Topic.LAW,
    EntityType.ORGANISATION: Topic.SIDES,
    EntityType.TERM: Topic.TERMS,
}
_TOPIC_OF_FACT: Mapping[FactKind, Topic] = {
    FactKind.QUOTE: Topic.QUOTES,
    FactKind.ROLE: Topic.ROLES,
    FactKind.MEMBER: Topic.APPS,
    FactKind.POWER: Topic.LAW,
    FactKind.NUMBER: Topic.NUMBERS,
    FactKind.DEFINITION: Topic.TERMS,
    FactKind.STANCE: Topic.SIDES,
}
# A member's relation is stated right after its name, so it must open with a verb that agrees
# with one name ("uses end-to-end encryption", "is one of the apps that ..."). A relation
# that only names the set ("messaging apps") or is a bare participle ("covered by chat
# control") would not make a sentence, and is not stated.
_SINGULAR_PREDICATE = re.compile(
    r"(?:is|was|has|does|can|could|will|would|may|might|must|should|uses|offers|supports"
    r"|relies|adopts|deploys)\s"
)
SINGLE_CHOICES = 4
MULTI_MIN_DISTRACTORS = 2  # with fewer, "tick everything" scores too well on multi questions
_SHORT_QUOTE_WORDS = 5  # quotes shorter than this mean nothing without their sentence
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_MAGNITUDES = (
    "a hundred",
    "a thousand",
    "ten thousand",
    "a hundred thousand",
    "a million",
    "ten million",
    "a hundred million",
    "a billion",
)
_PLURAL_MAGNITUDES = ("dozens", "hundreds", "thousands", "millions", "billions")
_DATE_SHAPES = frozenset({"month-year", "month", "year"})
_ROLE_FILLER = frozenset({"of", "the", "a", "an", "for", "at"})


def topic_of_fact(kind: FactKind) -> Topic:
    """The topic a fact is studied under, by question or by card alike."""
    return _TOPIC_OF_FACT[kind]


@dataclass(frozen=True)
class _Context:
    """What every generator needs besides the facts, bundled so the registry stays uniform."""

    seed: int
    pool: DistractorPool
    index: _Index

    def rng(self, generator: str, fact: Fact) -> random.Random:
        """One RNG per question, keyed by the fact, so other facts cannot reshuffle it."""
        return random.Random(f"{self.seed}:{generator}:{fact.key}")


Generator = Callable[[ArticleFacts, _Context], Iterator[QuestionDraft]]


def generate_questions(
    facts: ArticleFacts, seed: int = 0, pool: DistractorPool | None = None
) -> list[QuestionDraft]:
    """Every question the facts support, in registry order then fact order.

    ``pool`` tops up distractors of a type the article has too few of (callers load
    ``seeds/distractors.json`` with ``load_pool``); without one only the article's own names
    are used. A question that cannot get enough honest distractors is skipped rather than
    padded with something that might be true.
    """
    context = _Context(
        seed=seed, pool=DistractorPool() if pool is None else pool, index=_Index(facts)
    )
    drafts: list[QuestionDraft] = []
    seen: set[tuple[str, str]] = set()
    for name, generator in GENERATORS:
        for draft in generator(facts, context):
            identity = (draft.fact_key, name)
            if identity not in seen:
                seen.add(identity)
                drafts.append(draft)
    return drafts


# --- the generators ---------------------------------------------------------------------------


def quote_speaker(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """Who said this quote? Speakers of the answer's type are the distractors."""
    for fact in facts.of_kind(FactKind.QUOTE):
        speaker = _canonical(facts, fact.subject)
        speaker_type = facts.entity_type(speaker)
        article_names = ctx.index.speakers_and_names(speaker_type)
        # Someone the quote talks about is rarely who said it, so they are a last resort.
        talked_about = article_names.mentioned_in(fact.object)
        rng = ctx.rng("quote_speaker", fact)
        distractors = _pick(
            rng,
            [
                _Tier(article_names.names, skip=frozenset(talked_about)),
                talked_about,
                ctx.pool.of_type(speaker_type),
            ],
            exclude=ctx.index.said_by(fact.object),
            count=SINGLE_CHOICES - 1,
        )
        named = _mentions(fact.evidence, facts, speaker)
        context_note = (
            ""
            if named
            else f" The sentence itself does not name the speaker; the article's surrounding"
            f" sentences make clear it is {speaker}."
        )
        yield from _single(
            rng,
            generator="quote_speaker",
            fact=fact,
            topic=Topic.QUOTES,
            stem=_quote_stem(facts, fact, speaker),
            answer=speaker,
            distractors=distractors,
            explanation=f"{speaker} said this, as the article reports: {_curly(fact.evidence)}"
            + context_note,
        )


def e2ee_apps(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """Which apps use end-to-end encryption? Built from the sentence listing the most of them.

    Members named only in other sentences are neither answers (the evidence shown would not
    support them) nor distractors (they are true), so the question stays honest either way.
    """
    members = [f for f in facts.of_kind(FactKind.MEMBER) if f.relation == E2EE_RELATION]
    if not members:
        return
    all_members = {_norm(_canonical(facts, f.object)) for f in members}
    by_sentence: dict[str, list[Fact]] = {}
    for fact in members:
        by_sentence.setdefault(fact.evidence, []).append(fact)
    evidence, listed = max(by_sentence.items(), key=lambda item: len(item[1]))
    correct = _unique(_canonical(facts, f.object) for f in listed)
    correct = [name for name in correct if _mentions(evidence, facts, name)]
    if not correct:
        return
    fact = listed[0]
    rng = ctx.rng("e2ee_apps", fact)
    wanted = max(SINGLE_CHOICES - len(correct), MULTI_MIN_DISTRACTORS)
    distractors = _pick(
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
        f"The article names {_join(correct)} as apps that use end-to-end encryption"
        f"{refers_back}: {_curly(evidence)} It does not say that"
        f" {_join(distractors, 'or')} already use it."
    )
    yield from _finish(
        QuestionDraft(
            kind=QuestionKind.MULTI,
            topic=Topic.APPS,
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


def regulator_power(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """What power might the regulator get? Distractors are powers nobody in the facts gets."""
    powers = facts.of_kind(FactKind.POWER)
    for fact in powers:
        regulator = _canonical(facts, fact.subject)
        true_powers = {_norm(f.object) for f in powers if _canonical(facts, f.subject) == regulator}
        # Powers the article gives someone else are wrong here and sound the part.
        others = [f.object for f in powers if _norm(f.object) not in true_powers]
        rng = ctx.rng("regulator_power", fact)
        distractors = _pick(
            rng,
            [others, list(ctx.pool.false_powers)],
            exclude=true_powers,
            count=SINGLE_CHOICES - 1,
        )
        law = f" {_display(facts, fact.relation)}" if fact.relation else " the law"
        who = _display(facts, regulator)
        yield from _single(
            rng,
            generator="regulator_power",
            fact=fact,
            topic=Topic.LAW,
            stem=f"According to the article,{law} might give {who} the authority to do what?",
            answer=_capitalise(fact.object),
            distractors=[_capitalise(d) for d in distractors],
            explanation=f"The article says{law} might give {who} the authority to"
            f" {fact.object}: {_curly(fact.evidence)} The other choices are not powers the"
            " article mentions.",
        )


def role_holder(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """Who holds this role? Asked once per person and role, however the article words it."""
    roles = facts.of_kind(FactKind.ROLE)
    asked: set[tuple[str, frozenset[str]]] = set()
    for fact in roles:
        holder = _canonical(facts, fact.subject)
        if facts.entity_type(holder) != EntityType.PERSON:
            continue
        role = _role_words(fact.object)
        if (holder, role) in asked:
            continue
        asked.add((holder, role))
        holders = ctx.index.holders(role)
        rng = ctx.rng("role_holder", fact)
        distractors = _pick(
            rng,
            [
                facts.names_of_type(EntityType.PERSON),
                list(ctx.pool.of_type(EntityType.PERSON)),
            ],
            exclude=holders,
            count=SINGLE_CHOICES - 1,
        )
        title = _with_article(fact.object)
        yield from _single(
            rng,
            generator="role_holder",
            fact=fact,
            topic=Topic.ROLES,
            stem=f"Who does the article describe as {title}?",
            answer=holder,
            distractors=distractors,
            explanation=f"The article describes {holder} as {title}: {_curly(fact.evidence)}",
        )


def stance_side(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """Which side does X take? The debate's own side labels are the choices."""
    stances = facts.of_kind(FactKind.STANCE)
    keys = [side.key for side in facts.sides]
    for fact in stances:
        subject = _canonical(facts, fact.subject)
        sides_taken = set(ctx.index.objects_of(FactKind.STANCE, subject))
        # Someone on both sides has no single right answer, so there is no question to ask.
        if fact.object not in keys or len(sides_taken) != 1 or len(keys) < 2:
            continue
        side = next(s for s in facts.sides if s.key == fact.object)
        rng = ctx.rng("stance_side", fact)
        others = [s.label for s in facts.sides if s.key != fact.object]
        distractors = _pick(rng, [others], exclude=set(), count=SINGLE_CHOICES - 1)
        who = _display(facts, subject)
        verb = "do" if _is_plural(facts, subject) else "does"
        debate = f"The debate: {facts.debate} " if facts.debate else ""
        summary = f" That side's case: {side.summary}" if side.summary else ""
        yield from _single(
            rng,
            generator="stance_side",
            fact=fact,
            topic=Topic.SIDES,
            stem=f"{debate}Going by the article, which side {verb} {who} take?",
            answer=side.label,
            distractors=distractors,
            explanation=f"{_capitalise(who)} {'are' if verb == 'do' else 'is'} on the side"
            f" \u201c{side.label}\u201d, as this sentence shows: {_curly(fact.evidence)}" + summary,
            min_choices=2,
        )


def number_gap(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """The number/date question: fill it into its own sentence, among same-unit near misses.

    This is the cloze of numbers, so the stem is the article's own wording.
    """
    for fact in facts.of_kind(FactKind.NUMBER):
        stem_sentence = _blank_out(fact.evidence, [fact.object])
        if stem_sentence is None:
            continue
        rng = ctx.rng("number_gap", fact)
        distractors = _pick(
            rng,
            ctx.index.number_tiers(fact),
            exclude=ctx.index.true_numbers(fact),
            count=SINGLE_CHOICES - 1,
        )
        yield from _single(
            rng,
            generator="number_gap",
            fact=fact,
            topic=Topic.NUMBERS,
            stem=f"{_GAP_PROMPT} {_curly(stem_sentence)}",
            answer=fact.object,
            distractors=distractors,
            explanation=f"The article gives {fact.object}: {_curly(fact.evidence)}",
        )


def term_definition(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """Which term does the article explain this way? Other terms of its type are distractors."""
    definitions = facts.of_kind(FactKind.DEFINITION)
    for fact in definitions:
        term = _canonical(facts, fact.subject)
        term_type = facts.entity_type(term)
        meaning_it = {
            _norm(_canonical(facts, f.subject))
            for f in definitions
            if _same_words(f.object, fact.object)
        }
        rng = ctx.rng("term_definition", fact)
        distractors = _pick(
            rng,
            [facts.names_of_type(term_type), list(ctx.pool.of_type(term_type))],
            exclude=meaning_it,
            count=SINGLE_CHOICES - 1,
        )
        noun = {EntityType.LAW: "law", EntityType.TERM: "term"}.get(term_type, "name")
        first_word = fact.object.split()[0].lower() if fact.object.split() else ""
        if first_word.endswith("s") and first_word not in {"this", "its", "is", "was"}:
            stem = f"Which {noun}, according to the article, {fact.object.rstrip('.')}?"
        else:
            stem = f"Which {noun} does the article use for {fact.object.rstrip('.')}?"
        yield from _single(
            rng,
            generator="term_definition",
            fact=fact,
            topic=Topic.LAW if term_type == EntityType.LAW else Topic.TERMS,
            stem=stem,
            answer=term,
            distractors=distractors,
            explanation=f"The article explains {term} this way: {_curly(fact.evidence)}",
        )


def cloze(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """Blank a fact's key name in its own sentence; other names of its type are the choices.

    Numbers are number_gap's and speakers are quote_speaker's gap questions, so a sentence
    is never gapped twice for the same word. Names already in the sentence are never
    distractors (the learner could see them), nor are names the facts make true in the gap.
    """
    asked = {(f.evidence, _canonical(facts, f.subject)) for f in facts.of_kind(FactKind.QUOTE)}
    for fact in facts.facts:
        if fact.kind in (FactKind.QUOTE, FactKind.NUMBER):
            continue
        for position in _PARTS:
            name = _canonical(facts, getattr(fact, position))
            name_type = facts.entity_type(name)
            if name_type not in _CLOZE_TYPES or (fact.evidence, name) in asked:
                continue
            gapped = _blank_out(fact.evidence, _names_of(facts, name))
            if gapped is None or _mentions(gapped, facts, name):
                continue
            asked.add((fact.evidence, name))
            in_sentence = {_norm(n) for n in ctx.index.names(name_type).mentioned_in(gapped)}
            rng = ctx.rng("cloze", fact)
            distractors = _pick(
                rng,
                [facts.names_of_type(name_type), list(ctx.pool.of_type(name_type))],
                exclude=in_sentence | ctx.index.fits_the_gap(fact, position),
                count=SINGLE_CHOICES - 1,
            )
            made = list(
                _single(
                    rng,
                    generator="cloze",
                    fact=fact,
                    topic=_TOPIC_OF_TYPE[name_type],
                    stem=f"{_GAP_PROMPT} {_curly(gapped)}",
                    answer=name,
                    distractors=distractors,
                    explanation=f"The article names {name} here: {_curly(fact.evidence)}",
                )
            )
            if made:  # one cloze per fact; a part short of distractors lets the next try
                yield from made
                break


def true_false(facts: ArticleFacts, ctx: _Context) -> Iterator[QuestionDraft]:
    """A statement of one fact, true as the article gives it or false by one swapped part.

    A false statement swaps exactly one part for another of the same type from the article
    (then the curated pool): a person for a person, an app for an app, a side for the other
    side, a number for a nearby number of the same unit. It never negates, because "X did
    not say Y" tests grammar rather than reading. A swap the facts would make true anyway is
    never used, and a fact with no honest swap is stated truly.
    """
    stated: set[str] = set()
    for fact in facts.facts:
        statement = _statement(facts, fact, ctx)
        if statement is None:
            continue
        true_text = _capitalise(statement.with_part(statement.part))
        if statement.key() in stated or _norm(true_text) in stated:
            continue
        rng = ctx.rng("true_false", fact)
        swaps = _pick(
            rng,
            [statement.article_swaps, statement.pool_swaps],
            exclude=statement.true_parts,
            count=1,
        )
        swap = ""
        if swaps:
            swap = _display(facts, swaps[0]) if statement.displayed else swaps[0]
        false_text = _capitalise(statement.with_part(swap)) if swap else ""
        # A false statement another fact already produced would be the same question twice.
        wants_false = rng.random() < 0.5
        is_false = wants_false and bool(false_text) and _norm(false_text) not in stated
        text = false_text if is_false else true_text
        stated.update({statement.key(), _norm(true_text), _norm(text)})
        if is_false:
            explanation = (
                f"False: the statement puts {swap} where the article has"
                f" {statement.part}: {_curly(fact.evidence)}"
            )
        else:
            explanation = f"True, as the article says: {_curly(fact.evidence)}"
        yield from _finish(
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
    true_parts: Iterable[str] | _Taken  # normalised parts that make it true by the facts
    article_swaps: Sequence[str] | _Tier
    pool_swaps: Sequence[str] = ()
    # What makes two statements one question; by default their wording, but "security
    # minister" and "minister of security" are one role.
    identity: str = ""
    # Swaps are names to be shown as a sentence reads them ("the Home Office").
    displayed: bool = False

    def key(self) -> str:
        return self.identity or _norm(self.with_part(self.part))

    def with_part(self, part: str) -> str:
        return self.template.replace(_SLOT, part)


def _statement(facts: ArticleFacts, fact: Fact, ctx: _Context) -> _Statement | None:
    """How true_false states a fact, or None for kinds a one-line statement would garble."""
    same = facts.of_kind(fact.kind)
    subject = _canonical(facts, fact.subject)
    subject_type = facts.entity_type(subject)
    pool, index = ctx.pool, ctx.index

    def others(entity_type: EntityType, *also_skip: str) -> _Tier:
        """Same-type names the sentence does not mention: mentioned ones may well be true."""
        names = index.names(entity_type).names
        return _Tier(names, skip=facts.mentioned(fact.evidence).union(also_skip))

    if fact.kind == FactKind.ROLE and subject_type == EntityType.PERSON:
        role = _role_words(fact.object)
        holders = index.holders(role)
        people = others(EntityType.PERSON)
        if any(n not in people.skip and _norm(n) not in holders for n in people.names):
            return _Statement(
                template=f"The article describes {_SLOT} as {_with_article(fact.object)}.",
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
            true_parts={_norm(r) for r in held},
            article_swaps=[
                f.object
                for f in same
                if not any(_role_words(f.object) == _role_words(h) for h in held)
            ],
            pool_swaps=[
                r for r in pool.roles if not any(_role_words(r) == _role_words(h) for h in held)
            ],
        )
    if fact.kind == FactKind.QUOTE and len(fact.object.split()) >= _SHORT_QUOTE_WORDS:
        talked_about = index.names(subject_type).mentioned_in(fact.object)
        return _Statement(
            template=f"According to the article, {_SLOT} said {_reported(fact)}",
            part=_display(facts, subject),
            true_parts=index.said_by(fact.object),
            article_swaps=others(subject_type, *talked_about),
            displayed=True,
        )
    if fact.kind == FactKind.MEMBER and _SINGULAR_PREDICATE.match(fact.relation):
        member = _canonical(facts, fact.object)
        member_type = facts.entity_type(member)
        return _Statement(
            template=f"According to the article, {_SLOT} {fact.relation}.",
            part=member,
            true_parts={
                _norm(_canonical(facts, f.object)) for f in same if f.relation == fact.relation
            },
            article_swaps=others(member_type),
            pool_swaps=pool.of_type(member_type),
        )
    if fact.kind == FactKind.POWER and subject_type == EntityType.REGULATOR:
        law = _display(facts, fact.relation) if fact.relation else "the law"
        return _Statement(
            template=f"According to the article, {law} might give {_SLOT} the authority to"
            f" {fact.object.rstrip('.')}.",
            part=_display(facts, subject),
            true_parts={
                _norm(_canonical(facts, f.subject))
                for f in same
                if _same_words(f.object, fact.object)
            },
            article_swaps=others(EntityType.REGULATOR),
            pool_swaps=pool.of_type(EntityType.REGULATOR),
            displayed=True,
        )
    if fact.kind == FactKind.STANCE:
        taken = set(index.objects_of(FactKind.STANCE, subject))
        if len(taken) != 1 or fact.object not in {s.key for s in facts.sides}:
            return None
        verb = "are" if _is_plural(facts, subject) else "is"
        return _Statement(
            template=f"Going by the article, {_display(facts, subject)} {verb} on the side"
            f" \u201c{_SLOT}\u201d.",
            part=facts.side_label(fact.object),
            true_parts={_norm(facts.side_label(fact.object))},
            article_swaps=[s.label for s in facts.sides if s.key != fact.object],
        )
    if fact.kind == FactKind.NUMBER:
        gapped = _blank_out(fact.evidence, [fact.object])
        if gapped is None:
            return None
        article_dates, near_misses = index.number_tiers(fact)
        return _Statement(
            template="The article says: " + _curly(gapped).replace(BLANK, _SLOT),
            part=fact.object,
            true_parts=index.true_numbers(fact),
            article_swaps=article_dates,
            pool_swaps=near_misses,
        )
    return None


def _statement_topic(facts: ArticleFacts, fact: Fact) -> Topic:
    """A member of a set that encryption does not define ("companies that criticised the
    bill") is studied with what the member is, as a gap on its name would be; only sets
    about encryption belong under "Apps and encryption" whatever their members are."""
    if fact.kind == FactKind.MEMBER and "encrypt" not in fact.relation.lower():
        member_type = facts.entity_type(_canonical(facts, fact.object))
        return _TOPIC_OF_TYPE.get(member_type, topic_of_fact(fact.kind))
    return topic_of_fact(fact.kind)


def _reported(fact: Fact) -> str:
    """The quote as the statement's words: in quotation marks only if the article quotes it."""
    quoted = any(mark + fact.object in fact.evidence for mark in ('"', "\u201c"))
    first = fact.object.split()[0].lower()
    words = fact.object.rstrip(".")
    if quoted or first in {"i", "i'm", "we", "our", "my", "us"}:
        return f"{_quote(words)}."
    return f"that {words}."


GENERATORS: tuple[tuple[str, Generator], ...] = (
    ("quote_speaker", quote_speaker),
    ("e2ee_apps", e2ee_apps),
    ("regulator_power", regulator_power),
    ("role_holder", role_holder),
    ("stance_side", stance_side),
    ("number_gap", number_gap),
    ("term_definition", term_definition),
    ("cloze", cloze),
    ("true_false", true_false),
)


# --- shared rules -----------------------------------------------------------------------------


def _single(
    rng: random.Random,
    *,
    generator: str,
    fact: Fact,
    topic: Topic,
    stem: str,
    answer: str,
    distractors: Sequence[str],
    explanation: str,
    min_choices: int = SINGLE_CHOICES,
) -> Iterator[QuestionDraft]:
    """Shuffle a one-answer question, or yield nothing if it lacks honest distractors."""
    if len(distractors) + 1 < min_choices:
        return
    choices = [answer, *distractors]
    rng.shuffle(choices)
    yield from _finish(
        QuestionDraft(
            kind=QuestionKind.SINGLE,
            topic=topic,
            stem=stem,
            choices=tuple(choices),
            answers=(choices.index(answer),),
            explanation=explanation,
            evidence=fact.evidence,
            fact_key=fact.key,
            generator=generator,
        )
    )


def _finish(draft: QuestionDraft) -> Iterator[QuestionDraft]:
    """The last guard: a draft breaking a house rule is dropped, never shown to a learner.

    A true/false answer is a fixed label, not content, so "True" in a statement gives
    nothing away and is allowed.
    """
    normalised = [_norm(choice) for choice in draft.choices]
    if len(set(normalised)) != len(normalised) or not draft.answers:
        return
    if any("all of the above" in n or "none of the above" in n for n in normalised):
        return
    if draft.kind != QuestionKind.TRUE_FALSE and any(
        _contains(draft.stem, draft.choices[i]) for i in draft.answers
    ):
        return
    yield draft


@dataclass(frozen=True)
class _Tier:
    """Names to draw from, less ``skip`` (names as written) that this question leaves out of
    this tier only, such as people the quote talks about, who come last."""

    names: Sequence[str]
    skip: Container[str] = frozenset()


def _pick(
    rng: random.Random,
    tiers: Sequence[Sequence[str] | _Tier],
    *,
    exclude: Iterable[str] | _Taken,
    count: int,
) -> list[str]:
    """Up to ``count`` distractors, using later tiers only when earlier ones run out.

    ``exclude`` holds the normalised names the facts make true: nothing equal to, inside or
    around one may be offered. Each tier is drawn in an order from the question's RNG, one
    name at a time, so the seed varies which names appear without ever preferring a pool name
    over one from the article, and a question needing three names from an article naming
    thousands looks at a few of them: after ``_SCAN_LIMIT`` names a tier counts as run out
    (only an article where nearly every name is true or in the sentence gets there).
    """
    true_names = exclude if isinstance(exclude, _Taken) else _Taken(exclude)
    chosen = _Taken(())
    picked: list[str] = []
    if count <= 0:
        return picked
    for tier in tiers:
        names, skip = (tier.names, tier.skip) if isinstance(tier, _Tier) else (tier, ())
        for option in islice(_random_order(rng, names), _SCAN_LIMIT):
            if option in skip:
                continue
            norm = _norm(option)
            if norm and not true_names.overlaps(norm) and not chosen.overlaps(norm):
                chosen.add(norm)
                picked.append(option)
                if len(picked) == count:
                    return picked
    return picked


_SCAN_LIMIT = 60


def _random_order(rng: random.Random, items: Sequence[str]) -> Iterator[str]:
    """``items`` in a random order, drawn lazily (a Fisher-Yates shuffle that records only the
    positions it moved), so stopping after a few names costs a few draws, not a copy."""
    size = len(items)
    moved: dict[int, int] = {}
    for position in range(size):
        other = rng.randrange(position, size)
        drawn = moved.get(other, other)
        moved[other] = moved.get(position, position)
        yield items[drawn]


class _Taken:
    """Normalised names already true or chosen, indexed so that checking a candidate costs
    the same against five names as against five thousand."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: set[str] = set()
        self._by_first_word: dict[str, set[str]] = {}
        self._by_word: dict[str, set[str]] = {}
        for name in names:
            self.add(name)

    def add(self, norm: str) -> None:
        words = _name_words(norm)
        self._names.add(norm)
        self._by_first_word.setdefault(words[0], set()).add(norm)
        for word in set(words):
            self._by_word.setdefault(word, set()).add(norm)

    def overlaps(self, norm: str) -> bool:
        """Equal to, or nested in or around, a taken name ("Commission" / "European
        Commission"): offering both would make a distractor arguably right."""
        if norm in self._names:
            return True
        words = set(_name_words(norm))
        # A name nested in this one starts with one of its words...
        for word in words:
            if any(_contains(norm, other) for other in self._by_first_word.get(word, ())):
                return True
        # ...and one around it has every one of its words: the rarest word's names suffice.
        holding = [self._by_word.get(word, set()) for word in words]
        return any(_contains(other, norm) for other in min(holding, key=len))


class _Index:
    """What generators look up across an article's facts, grouped once per article.

    Asked per fact by scanning every other fact, these made generation quadratic in the
    facts of a kind: thousands of quotes or roles took minutes.
    """

    def __init__(self, facts: ArticleFacts) -> None:
        self._facts = facts
        self._names: dict[EntityType, _Names] = {}
        self._speakers: dict[EntityType, _Names] = {}
        self._said_by: dict[str, _Taken] = {}
        self._gaps: dict[str, dict[tuple[FactKind, str, str], set[str]]] = {}
        self._holders: dict[frozenset[str], set[str]] = {}
        for fact in facts.of_kind(FactKind.ROLE):
            holder = _norm(_canonical(facts, fact.subject))
            self._holders.setdefault(_role_words(fact.object), set()).add(holder)
        self._numbers: dict[tuple[str, str], set[str]] = {}
        self._dates: dict[str, list[str]] = {}
        for fact in facts.of_kind(FactKind.NUMBER):
            key = (fact.subject, _norm(fact.relation))
            self._numbers.setdefault(key, set()).add(_norm(fact.object))
            self._dates.setdefault(_number_shape(fact.object), []).append(fact.object)
        self._objects: dict[tuple[FactKind, str], list[str]] = {}
        for fact in facts.facts:
            subject = _canonical(facts, fact.subject)
            self._objects.setdefault((fact.kind, subject), []).append(fact.object)
        self._quotes: dict[str, set[str]] = {}
        for fact in facts.of_kind(FactKind.QUOTE):
            speaker = _canonical(facts, fact.subject)
            self._quotes.setdefault(_norm(fact.object), set()).add(speaker)

    def names(self, entity_type: EntityType) -> _Names:
        if entity_type not in self._names:
            self._names[entity_type] = _Names(self._facts.names_of_type(entity_type), self._facts)
        return self._names[entity_type]

    def speakers_and_names(self, entity_type: EntityType) -> _Names:
        """Quote speakers of the type first (who speaks is the likeliest wrong speaker),
        then the type's other names."""
        if entity_type not in self._speakers:
            facts = self._facts
            speakers = [_canonical(facts, f.subject) for f in facts.of_kind(FactKind.QUOTE)]
            self._speakers[entity_type] = _Names(
                [n for n in speakers if facts.entity_type(n) == entity_type]
                + facts.names_of_type(entity_type),
                facts,
            )
        return self._speakers[entity_type]

    def said_by(self, quote: str) -> _Taken:
        """Everyone who said these words, or words containing them or inside them."""
        key = _norm(quote)
        if key not in self._said_by:
            self._said_by[key] = _Taken(
                _norm(speaker)
                for other, speakers in self._quotes.items()
                if key and other and (key in other or other in key)
                for speaker in speakers
            )
        return self._said_by[key]

    def fits_the_gap(self, fact: Fact, position: str) -> set[str]:
        """Names that, put in place of the fact's ``position`` part, give a fact the article
        has (the fact's own among them)."""
        if position not in self._gaps:
            gaps: dict[tuple[FactKind, str, str], set[str]] = {}
            for other in self._facts.facts:
                name = _canonical(self._facts, getattr(other, position))
                gaps.setdefault(self._gap_key(other, position), set()).add(_norm(name))
            self._gaps[position] = gaps
        return self._gaps[position].get(self._gap_key(fact, position), set())

    @staticmethod
    def _gap_key(fact: Fact, position: str) -> tuple[FactKind, str, str]:
        """The fact's kind and the two parts a gap at ``position`` leaves standing."""
        first, second = (_norm(getattr(fact, part)) for part in _PARTS if part != position)
        return fact.kind, first, second

    def objects_of(self, kind: FactKind, subject: str) -> list[str]:
        """What the facts of a kind say of a subject (under any of its names), in order."""
        return self._objects.get((kind, subject), [])

    def holders(self, role: frozenset[str]) -> set[str]:
        """Everyone the article gives this role, however it words it."""
        return self._holders.get(role, set())

    def true_numbers(self, fact: Fact) -> set[str]:
        """Every value the facts give for this subject and count: none may be a distractor."""
        return self._numbers.get((fact.subject, _norm(fact.relation)), set())

    def number_tiers(self, fact: Fact) -> list[Sequence[str]]:
        """Other dates of the article first (the most tempting wrong dates), then near
        misses. Other counts and phrases count different things, so only made-up near
        misses of the same unit stand in for them."""
        shape = _number_shape(fact.object)
        same_shape = self._dates.get(shape, []) if shape in _DATE_SHAPES else []
        return [same_shape, _number_variants(fact.object)]


class _Names:
    """One type's names in article order, each once, and how to find the few a text
    mentions: entities from the article's mention index, not by testing every name."""

    def __init__(self, names: Iterable[str], facts: ArticleFacts) -> None:
        self.names = _unique(names)
        self._facts = facts
        self._order = {name: index for index, name in enumerate(self.names)}
        # Names no entity stands for (a few speakers) are searched for in the text instead.
        self._unnamed = [name for name in self.names if facts.entity(name) is None]

    def mentioned_in(self, text: str) -> list[str]:
        """The names ``text`` mentions, in article order."""
        found = {name for name in self._facts.mentioned(text) if name in self._order}
        found.update(name for name in self._unnamed if _contains(text, name))
        return sorted(found, key=self._order.__getitem__)


@lru_cache(maxsize=65_536)
def _name_words(norm: str) -> tuple[str, ...]:
    return tuple(_words(norm)) or (norm,)


def _quote_stem(facts: ArticleFacts, fact: Fact, speaker: str) -> str:
    """Short quotes are asked inside their sentence; long ones can stand alone."""
    words = fact.object.split()
    if len(words) < _SHORT_QUOTE_WORDS:
        names = _names_of(facts, speaker)
        gapped = _blank_out(fact.evidence, names, all_matches=True)
        if gapped is not None:
            return f"Who fills the gap in this sentence from the article? {_curly(gapped)}"
    quoted = any(mark + fact.object in fact.evidence for mark in ('"', "\u201c"))
    first = words[0].lower() if words else ""
    if not quoted and first not in {"i", "i'm", "we", "our", "my", "us"}:
        return f"According to the article, who said that {fact.object.rstrip('.')}?"
    return f"According to the article, who said this? {_curly(_quote(fact.object))}"


def _blank_out(sentence: str, targets: Sequence[str], *, all_matches: bool = False) -> str | None:
    """The sentence with the target gapped, or None when the gap would be ambiguous or absent."""
    result = sentence
    found = False
    for target in sorted(targets, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(target)}(?!\w)", re.I)
        hits = len(pattern.findall(result))
        if hits == 0 or (hits > 1 and not all_matches):
            continue
        result = pattern.sub(BLANK, result)
        found = True
        if not all_matches:
            break
    return result if found else None


@lru_cache(maxsize=16_384)
def _number_shape(value: str) -> str:
    """A coarse form ("month year", "count"...) so distractors look like the answer."""
    text = value.strip()
    if re.fullmatch(rf"({'|'.join(_MONTHS)}) \d{{4}}", text):
        return "month-year"
    if text in _MONTHS:
        return "month"
    if re.fullmatch(r"\d{4}", text):
        return "year"
    if re.fullmatch(r"\d+", text) or text.lower() in _NUMBER_WORDS:
        return "count"
    return "phrase"


def _number_variants(value: str) -> list[str]:
    """Near misses of the same form: neighbouring dates, counts and orders of magnitude."""
    text = value.strip()
    shape = _number_shape(text)
    if shape == "month-year":
        month, year = text.split()
        index, year_number = _MONTHS.index(month), int(year)
        return [
            *(f"{month} {year_number + d}" for d in (-2, -1, 1, 2)),
            *(f"{_MONTHS[(index + d) % 12]} {year}" for d in (-3, 3, 6)),
        ]
    if shape == "month":
        index = _MONTHS.index(text)
        return [_MONTHS[(index + d) % 12] for d in (-2, -1, 1, 2, 4, 6)]
    if shape == "year":
        return [str(int(text) + d) for d in (-3, -2, -1, 1, 2, 3)]
    if shape == "count":
        as_word = text.lower() in _NUMBER_WORDS
        number = _NUMBER_WORDS.index(text.lower()) if as_word else int(text)
        options = _near_counts(number)
        if as_word:
            words = [_NUMBER_WORDS[n] for n in options if n < len(_NUMBER_WORDS)]
            return [w.capitalize() if text[0].isupper() else w for w in words]
        return [str(n) for n in options]
    digits = re.search(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,])\d+(?![\d.,])", text)
    if digits:
        # "1,200 reports", "40%", "£5 million": vary the number, keep its unit around it.
        number = int(digits.group().replace(",", ""))
        is_year = len(digits.group()) == 4 and 1800 <= number <= 2100
        options = [number + d for d in (-3, -2, -1, 1, 2, 3)] if is_year else _near_counts(number)
        if number != 1:
            options = [n for n in options if n != 1]  # "1 years" reads wrong, so it gives away
        spell = "{:,}" if "," in digits.group() else "{}"
        return [text[: digits.start()] + spell.format(n) + text[digits.end() :] for n in options]
    for scale in (_MAGNITUDES, _PLURAL_MAGNITUDES):
        for step in sorted(scale, key=len, reverse=True):
            match = re.search(rf"(?<!\w){re.escape(step)}(?!\w)", text)
            if match:
                index = scale.index(step)
                near = [scale[i] for i in range(index - 3, index + 4) if 0 <= i < len(scale)]
                return [
                    text[: match.start()] + other + text[match.end() :]
                    for other in near
                    if other != step
                ]
    return []


def _near_counts(number: int) -> list[int]:
    """Small counts miss by one or two; large ones by a scale, as a reader misremembers them."""
    if number < 20:
        options = [number - 2, number - 1, number + 1, number + 2, number * 2]
    else:
        options = [number // 2, number * 2, number * 10, number // 10, number * 3 // 2]
    return [n for n in dict.fromkeys(options) if n > 0 and n != number]


# --- small text helpers -----------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _norm(text: str) -> str:
    """Comparison form: case, spacing, edge punctuation and a leading "the" do not matter."""
    text = re.sub(r"\s+", " ", text.casefold()).strip(" .,;:!?\"'\u201c\u201d\u2018\u2019")
    return text.removeprefix("the ")


def _same_words(a: str, b: str) -> bool:
    """Two quotes or meanings are one when either contains the other once normalised."""
    x, y = _norm(a), _norm(b)
    return bool(x and y) and (x in y or y in x)


@lru_cache(maxsize=16_384)
def _role_words(role: str) -> frozenset[str]:
    """Compare word sets, since "security minister" and "minister of security" are one role."""
    return frozenset(w for w in re.findall(r"[\w'-]+", role.casefold()) if w not in _ROLE_FILLER)


def _canonical(facts: ArticleFacts, name: str) -> str:
    entity = facts.entity(name)
    return entity.name if entity else name


def _names_of(facts: ArticleFacts, name: str) -> list[str]:
    entity = facts.entity(name)
    return [entity.name, *entity.aliases] if entity else [name]


def _mentions(text: str, facts: ArticleFacts, name: str) -> bool:
    entity = facts.entity(name)
    if entity is None:
        return _contains(text, name)
    return entity.name in facts.mentioned(text)


def _contains(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive: "four" is in "met four times", not in "fourteen"."""
    phrase = phrase.strip()
    return bool(phrase) and _whole_phrase(phrase).search(text) is not None


@lru_cache(maxsize=16_384)
def _whole_phrase(phrase: str) -> re.Pattern[str]:
    # Compiled once per phrase: re's own cache holds 512 patterns, far fewer than the names
    # of a long article checked against every sentence.
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.I)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        if _norm(name) not in seen:
            seen.add(_norm(name))
            result.append(name)
    return result


def _display(facts: ArticleFacts, name: str) -> str:
    """How a name reads mid-sentence: "the Home Office", "Meta", "critics"."""
    entity_type = facts.entity_type(name)
    if _is_plural(facts, name):
        return name.lower()
    if entity_type in (EntityType.PERSON, EntityType.APP) or " " not in name:
        return name
    return name if name.lower().startswith("the ") else f"the {name}"


def _is_plural(facts: ArticleFacts, name: str) -> bool:
    """Groups such as "Critics" take "do", not "does"; named bodies are singular."""
    return (
        facts.entity_type(name) == EntityType.OTHER
        and " " not in name
        and name.endswith("s")
        and not name.endswith("ss")
    )


def _with_article(role: str) -> str:
    return role if re.match(r"(the|a|an)\s", role, re.I) else f"the {role}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(names: Sequence[str], last: str = "and") -> str:
    if len(names) <= 2:
        return f" {last} ".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def _curly(text: str) -> str:
    """Straight double quotes turned typographic, for stems and explanations (not evidence)."""
    text = re.sub(r'(^|[\s(\[\u2014-])"', "\\1\u201c", text)
    return text.replace('"', "\u201d")
