"""Who said this? Quotes and reported speech, with other speakers as the distractors."""

from __future__ import annotations

from collections.abc import Iterator

from quizapp.core.facts import ATTRIBUTION_THRESHOLD, ArticleFacts, EntityType, Fact, FactKind
from quizapp.core.questions.distractors import Tier, pick
from quizapp.core.questions.drafts import (
    SHORT_QUOTE_WORDS,
    SINGLE_CHOICES,
    QuestionDraft,
    Topic,
    single_choice,
)
from quizapp.core.questions.index import Context
from quizapp.core.questions.wording import (
    after_that,
    blank_out,
    canonical,
    curly,
    first_person,
    is_proper_name,
    mentions,
    names_of,
    quote,
)

REPORTED = "reported"  # a quote fact's relation when the article reports the words, unquoted
# Names that never speak: a law, a place or an event is the subject of words, not their source.
NOT_SPEAKERS = frozenset(
    {EntityType.LAW, EntityType.PLACE, EntityType.EVENT, EntityType.PRODUCT, EntityType.TERM}
)


_SPEAKING_TYPES = (EntityType.PERSON, EntityType.GROUP, EntityType.ORGANISATION)


def _a_body_may_stand_in(facts: ArticleFacts, speaker_type: EntityType) -> bool:
    """A speaker the article only describes ("the government") beside named bodies ("the
    Home Office") could be one of them: a learner choosing the name has a case."""
    return speaker_type == EntityType.ORGANISATION and bool(
        facts.names_of_type(EntityType.ORGANISATION)
    )


def quote_speaker(facts: ArticleFacts, ctx: Context) -> Iterator[QuestionDraft]:
    """Who said this quote? Speakers of the answer's type are the distractors.

    Only quotes reading is sure of are asked: an unsure speaker is for the teacher to confirm.
    """
    for fact in facts.of_kind(FactKind.QUOTE):
        speaker = canonical(facts, fact.subject)
        speaker_type = facts.entity_type(speaker)
        if not speaker or fact.confidence < ATTRIBUTION_THRESHOLD or speaker_type in NOT_SPEAKERS:
            continue
        if not is_proper_name(speaker) and _a_body_may_stand_in(facts, speaker_type):
            continue
        if not ctx.index.quote_asked(fact):
            continue
        article_names = ctx.index.speakers_and_names(speaker_type)
        # Someone the quote talks about is rarely who said it, so they are a last resort;
        # a name the sentence gives outside the quote may be part of the speaker's own name
        # ("the High Court of England and Wales"), so it is never offered.
        talked_about = article_names.mentioned_in(fact.object)
        beside = set(article_names.mentioned_in(fact.evidence)) - set(talked_about)
        rng = ctx.rng("quote_speaker", fact)
        distractors = pick(
            rng,
            [
                Tier(article_names.names, skip=frozenset(talked_about)),
                talked_about,
                ctx.pool.of_type(speaker_type),
                # When the answer's own type runs out, other speakers stand in: "researchers"
                # beside the two people an article quotes by name, or the other way round.
                *(
                    ctx.index.speakers_and_names(other).names
                    for other in _SPEAKING_TYPES
                    if other != speaker_type
                ),
            ],
            exclude=ctx.index.said_by(fact.object),
            count=SINGLE_CHOICES + 2,
        )
        distractors = [
            d for d in distractors if facts.entity_type(d) not in NOT_SPEAKERS and d not in beside
        ]
        distractors = distractors[: SINGLE_CHOICES - 1]
        named = mentions(fact.evidence, facts, speaker)
        context_note = (
            ""
            if named
            else f" The sentence itself does not name the speaker; the article's surrounding"
            f" sentences make clear it is {speaker}."
        )
        yield from single_choice(
            rng,
            generator="quote_speaker",
            fact=fact,
            topic=Topic.QUOTES,
            stem=_quote_stem(facts, fact, speaker),
            answer=speaker,
            distractors=distractors,
            explanation=f"{speaker} said this, as the article reports: {curly(fact.evidence)}"
            + context_note,
            min_choices=3,
        )


def _quote_stem(facts: ArticleFacts, fact: Fact, speaker: str) -> str:
    """Short quotes are asked inside their sentence; long ones can stand alone."""
    words = fact.object.split()
    if len(words) < SHORT_QUOTE_WORDS:
        names = names_of(facts, speaker)
        gapped = blank_out(fact.evidence, names, all_matches=True)
        if gapped is not None:
            return f"Who fills the gap in this sentence from the article? {curly(gapped)}"
    if fact.relation == REPORTED and not first_person(fact.object):
        return f"According to the article, who said that {after_that(fact.object.rstrip('.'))}?"
    return f"According to the article, who said this? {curly(quote(fact.object))}"
