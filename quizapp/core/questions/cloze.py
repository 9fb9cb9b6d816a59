"""Gap-fill questions: one sentence of the article with one name or number taken out.

Every sentence that names something worth remembering gets one gap, so a learner who works
through an article's questions has met each of its sentences. What is gapped, in order of
preference: the speaker named in a sentence that quotes them (unless a "who said" question
already asks it), a number or date (as the whole token the reading found, never part of a
time or a phone number), then a person, organisation, place, law or other name. A gap is never
inside quotation marks when something outside them can be gapped, so the quoted words stay
whole.

Distractors are of the answer's own type: other names of the article first, then the shipped
pool; never a name the sentence or its neighbours mention (it might well fit the gap, and a
learner could see it), nor a speaker quoted in the sentence. Numbers get near misses of the
same form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from quizapp.core.facts import ATTRIBUTION_THRESHOLD, ArticleFacts, EntityType, Fact, FactKind
from quizapp.core.questions.distractors import Tier, number_variants, pick
from quizapp.core.questions.drafts import (
    GAP_KEY_PREFIX,
    GAP_PROMPT,
    SINGLE_CHOICES,
    TOPIC_OF_TYPE,
    QuestionDraft,
    QuestionKind,
    Topic,
    finish,
)
from quizapp.core.questions.gates import broken_wording
from quizapp.core.questions.index import Context
from quizapp.core.questions.wording import (
    BLANK,
    comparable,
    contains,
    curly,
    is_proper_name,
    names_of,
    whole_phrase,
)

GENERATOR = "cloze"
MIN_WORDS = 6  # shorter sentences leave too little around the gap to reason from
# An article naming only three people still gets its people asked, among three choices.
MIN_DISTRACTORS = 2
NEIGHBOURS = 2  # sentences either side whose names are never distractors
BOTH_GAPS_PROMPT = "Which fills both gaps in this sentence from the article?"
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _years(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


_GLUED = re.compile(rf"{re.escape(BLANK)}[-\u2010-\u2013\w]|[\w\u2010-\u2013-]{re.escape(BLANK)}")
_QUOTED = re.compile(r"[\"“”«»]")
# Groups ("British", "Samoans") are words a sentence uses as adjectives as often as names:
# never gapped, never offered.
_TYPE_ORDER = (
    EntityType.PERSON,
    EntityType.ORGANISATION,
    EntityType.REGULATOR,
    EntityType.APP,
    EntityType.LAW,
    EntityType.PLACE,
    EntityType.EVENT,
    EntityType.PRODUCT,
    EntityType.TERM,
)


@dataclass(frozen=True)
class _Gap:
    written: str  # the answer as the sentence writes it
    answer: str  # the answer as a choice shows it
    kind: str  # "speaker", "number" or an entity type
    fact: Fact | None  # the fact the gap tests, when reading found one


def cloze(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    sentences = ctx.sentences
    numbers = _by_evidence(facts.of_kind(FactKind.NUMBER))
    quotes = _by_evidence(facts.of_kind(FactKind.QUOTE))
    for position, sentence in enumerate(sentences):
        if len(sentence.split()) < MIN_WORDS:
            continue
        nearby = sentences[max(position - NEIGHBOURS, 0) : position + NEIGHBOURS + 1]
        skip = {comparable(n) for text in nearby for n in facts.mentioned(text)}
        skip.update(comparable(f.subject) for f in quotes.get(sentence, ()))
        for gap in _gaps(facts, ctx, sentence, numbers.get(sentence, ()), quotes.get(sentence, ())):
            draft = _question(facts, ctx, sentence, gap, skip)
            if draft is not None:
                yield draft
                break


def _by_evidence(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    grouped: dict[str, list[Fact]] = {}
    for fact in facts:
        grouped.setdefault(fact.evidence, []).append(fact)
    return grouped


def _gaps(
    facts: ArticleFacts,
    ctx: Context,
    sentence: str,
    numbers: Sequence[Fact],
    quotes: Sequence[Fact],
) -> Iterator[_Gap]:
    """The sentence's candidate gaps, best first, each outside quotation marks if possible."""
    outside: list[_Gap] = []
    inside: list[_Gap] = []
    for quote in quotes:
        asked_elsewhere = quote.confidence >= ATTRIBUTION_THRESHOLD and ctx.index.quote_asked(quote)
        if not asked_elsewhere and facts.entity(quote.subject) is not None:
            written = _written(sentence, names_of(facts, quote.subject))
            if written:
                outside.append(_Gap(written, quote.subject, "speaker", quote))
    for fact in numbers:
        if fact.object in sentence:
            (inside if _in_quotes(sentence, fact.object) else outside).append(
                _Gap(fact.object, fact.object, "number", fact)
            )
    named = sorted(
        facts.mentioned(sentence),
        key=lambda n: _TYPE_ORDER.index(t) if (t := facts.entity_type(n)) in _TYPE_ORDER else 99,
    )
    for name in named:
        entity_type = facts.entity_type(name)
        if entity_type not in _TYPE_ORDER or not is_proper_name(name):
            continue  # a description ("the government") has named bodies as rival answers
        written = _written(sentence, names_of(facts, name))
        if written:
            gap = _Gap(written, name, str(entity_type), None)
            (inside if _in_quotes(sentence, written) else outside).append(gap)
    yield from outside
    yield from inside


def _question(
    facts: ArticleFacts, ctx: Context, sentence: str, gap: _Gap, skip: set[str]
) -> QuestionDraft | None:
    gapped = _blank_all(sentence, gap.written, gap.answer, facts)
    if gapped is None or broken_wording(gapped):
        return None
    key = gap.fact.key if gap.fact else f"{GAP_KEY_PREFIX}{gap.answer}|{sentence}"
    rng = ctx.rng_for(GENERATOR, key)
    if gap.kind == "number":
        # Made-up near misses only, and none the article itself writes anywhere: another of
        # its dates may be just as true ("arrears from 2004 to 2009" beside "from 2006").
        exclude: set[str] = set(ctx.index.true_numbers(gap.fact)) if gap.fact else set()
        exclude.add(comparable(gap.answer))
        # Nor a year after the latest the article writes (it cannot report those), unless
        # the answer is one.
        latest = max([ctx.latest_year, *_years(gap.answer)])
        tiers: list[Sequence[str] | Tier] = [
            [
                v
                for v in number_variants(gap.answer)
                if not contains(ctx.article_text, v) and all(y <= latest for y in _years(v))
            ]
        ]
        topic = Topic.NUMBERS
    else:
        entity_type = facts.entity_type(gap.answer)
        pooled = list(ctx.pool.of_type(entity_type))
        article = ctx.index.offerable(entity_type)
        if entity_type == EntityType.PLACE:
            # The pool's places are countries: a country stands in for a country, and the
            # article's other places of the same kind (country or not) come first.
            countries = frozenset(pooled)
            is_country = gap.answer in countries
            article = ctx.index.places(countries, is_country)
            pooled = pooled if is_country else []
        tiers = [ctx.index.same_kind(entity_type, gap.answer), Tier(article), pooled]
        exclude = skip | {comparable(gap.answer)}
        topic = (
            Topic.QUOTES if gap.kind == "speaker" else TOPIC_OF_TYPE.get(entity_type, Topic.NAMES)
        )
    distractors = [
        d
        for d in pick(rng, tiers, exclude=exclude, count=SINGLE_CHOICES + 2)
        if comparable(d) not in comparable(gapped)
    ][: SINGLE_CHOICES - 1]
    if len(distractors) < MIN_DISTRACTORS:
        return None
    choices = [gap.answer, *distractors]
    rng.shuffle(choices)
    draft = QuestionDraft(
        kind=QuestionKind.SINGLE,
        topic=topic,
        stem=f"{GAP_PROMPT if gapped.count(BLANK) == 1 else BOTH_GAPS_PROMPT} {curly(gapped)}",
        choices=tuple(choices),
        answers=(choices.index(gap.answer),),
        explanation=f"The article says: {curly(sentence)}",
        evidence=sentence,
        fact_key=key,
        generator=GENERATOR,
    )
    return next(finish(draft), None)


def _written(sentence: str, names: Sequence[str]) -> str:
    """The longest of an entity's names that the sentence writes as whole words."""
    for name in sorted(names, key=len, reverse=True):
        if whole_phrase(name).search(sentence):
            return name
    return ""


def _in_quotes(sentence: str, part: str) -> bool:
    """Whether ``part`` first appears inside quotation marks (an odd count of marks before)."""
    at = sentence.find(part)
    return at >= 0 and len(_QUOTED.findall(sentence[:at])) % 2 == 1


def _blank_all(sentence: str, written: str, answer: str, facts: ArticleFacts) -> str | None:
    """The sentence with every mention of the answer gapped (its other names too), or None
    when the answer would still show: inside another word ("Samoan" for "Samoa")."""
    longer = [
        n for n in facts.mentioned(sentence) if n != answer and whole_phrase(written).search(n)
    ]
    if longer:
        return None  # "Church" inside "Church of Scientology" is part of another name
    gapped = sentence
    # Other names that are part of the answer (a surname) would give it away; an acronym is
    # not, and stays: "_____ (ECJ)" asks what the acronym stands for.
    shown = [n for n in names_of(facts, answer) if n.casefold() in answer.casefold()]
    for name in sorted({written, answer, *shown}, key=len, reverse=True):
        if len(name) >= 2:
            gapped = whole_phrase(name).sub(BLANK, gapped)
    if BLANK not in gapped or gapped.count(BLANK) > 2:
        return None
    if _GLUED.search(gapped):
        return None  # "_____-licensed", "on_____": the gap would cut a word in two
    if comparable(answer) in comparable(gapped) or comparable(written) in comparable(gapped):
        return None
    return gapped
