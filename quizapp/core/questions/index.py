"""What generators look up across an article's facts, built once per article, and the context
(seed, pool, sentences) every generator receives."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from quizapp.core.facts import ArticleFacts, EntityType, Fact, FactKind
from quizapp.core.questions.distractors import (
    Taken,
)
from quizapp.core.questions.drafts import QuestionDraft
from quizapp.core.questions.pools import DistractorPool
from quizapp.core.questions.wording import (
    canonical,
    comparable,
    contains,
    is_proper_name,
    name_words,
    role_words,
    stands_alone,
    unique,
)


class ArticleIndex:
    """What generators look up across an article's facts, grouped once per article.

    Asked per fact by scanning every other fact, these made generation quadratic in the
    facts of a kind: thousands of quotes or roles took minutes.
    """

    def __init__(self, facts: ArticleFacts, sentences: Sequence[str] = ()) -> None:
        self._facts = facts
        self._names: dict[EntityType, Names] = {}
        self._speakers: dict[EntityType, Names] = {}
        self._said_by: dict[str, Taken] = {}
        self._holders: dict[frozenset[str], set[str]] = {}
        for fact in facts.of_kind(FactKind.ROLE):
            holder = comparable(canonical(facts, fact.subject))
            self._holders.setdefault(role_words(fact.object), set()).add(holder)
        self._numbers: dict[tuple[str, str], set[str]] = {}
        for fact in facts.of_kind(FactKind.NUMBER):
            key = (fact.subject, comparable(fact.relation))
            self._numbers.setdefault(key, set()).add(comparable(fact.object))
        self._objects: dict[tuple[FactKind, str], list[str]] = {}
        for fact in facts.facts:
            subject = canonical(facts, fact.subject)
            self._objects.setdefault((fact.kind, subject), []).append(fact.object)
        self._places: dict[tuple[frozenset[str], bool], tuple[str, ...]] = {}
        self._offerable: dict[EntityType, tuple[str, ...]] = {}
        self._asked_quotes: set[str] | None = None
        self._sentences: Sequence[str] = sentences
        self._heads: dict[EntityType, dict[str, list[str]]] = {}
        self._quotes: dict[str, set[str]] = {}
        for fact in facts.of_kind(FactKind.QUOTE):
            speaker = canonical(facts, fact.subject)
            self._quotes.setdefault(comparable(fact.object), set()).add(speaker)
        self._index_quotes()

    def names(self, entity_type: EntityType) -> Names:
        if entity_type not in self._names:
            self._names[entity_type] = Names(self._facts.names_of_type(entity_type), self._facts)
        return self._names[entity_type]

    def quote_asked(self, fact: Fact) -> bool:
        """Whether this quote fact is the one a who-said question asks for its quotation.

        A quotation running over several sentences is one quote fact per sentence; asking
        each ("That is a remarkable decision." / "It is a remarkable choice.") splits one
        thought into items with one answer. The first piece of each run of sentences by one
        speaker that is long enough and makes sense alone stands for the run.
        """
        if self._asked_quotes is None:
            self._asked_quotes = self._pick_quotes()
        return fact.key in self._asked_quotes

    def _pick_quotes(self) -> set[str]:
        position = {text: i for i, text in reversed(list(enumerate(self._sentences)))}
        chosen: set[str] = set()
        run_speaker, run_end, last_asked = "", -2, -10
        for fact in self._facts.of_kind(FactKind.QUOTE):
            at = position.get(fact.evidence, -10)
            speaker = canonical(self._facts, fact.subject)
            if fact.relation or speaker != run_speaker or at > run_end + 1:
                run_speaker, last_asked = speaker, -10
            run_end = at
            good = stands_alone(fact.object) and not (last_asked >= 0 and _leans_back(fact.object))
            if fact.relation or good:
                chosen.add(fact.key)
                last_asked = at
        return chosen

    def offerable(self, entity_type: EntityType) -> tuple[str, ...]:
        """The type's names that may be offered as wrong answers: proper names only.

        A description ("the government", "critics", "one poster") or a common noun written
        as a name ("State", "Court") may be arguably right for many answers (the Home Office
        is the government), so it can be an answer but never a distractor.
        """
        if entity_type not in self._offerable:
            self._offerable[entity_type] = tuple(
                n for n in self._facts.names_of_type(entity_type) if is_proper_name(n)
            )
        return self._offerable[entity_type]

    def same_kind(self, entity_type: EntityType, answer: str) -> tuple[str, ...]:
        """Offerable names of the answer's own kind ("Stanford University" beside "University
        of Washington", "Court of Session" beside "High Court"): the likeliest wrong answers,
        since the sentence around a gap often says what kind of body fits it ("a conference
        at _____")."""
        heads = self._heads.get(entity_type)
        if heads is None:
            heads = self._heads[entity_type] = {}
            for name in self.offerable(entity_type):
                for word in _kind_words(name):
                    heads.setdefault(word, []).append(name)
        return tuple(
            dict.fromkeys(n for w in _kind_words(answer) for n in heads.get(w, ()) if n != answer)
        )

    def speakers_and_names(self, entity_type: EntityType) -> Names:
        """Quote speakers of the type first (who speaks is the likeliest wrong speaker),
        then the type's other names; for groups, speakers only ("Americans" in a sentence is
        rarely a body that said anything)."""
        if entity_type not in self._speakers:
            facts = self._facts
            speakers = [canonical(facts, f.subject) for f in facts.of_kind(FactKind.QUOTE)]
            others = facts.names_of_type(entity_type) if entity_type != EntityType.GROUP else ()
            names = [*(n for n in speakers if facts.entity_type(n) == entity_type), *others]
            self._speakers[entity_type] = Names([n for n in names if is_proper_name(n)], facts)
        return self._speakers[entity_type]

    def places(self, countries: frozenset[str], is_country: bool) -> tuple[str, ...]:
        """The article's places that are countries (by the pool's list), or the others."""
        key = (countries, is_country)
        if key not in self._places:
            names = self.offerable(EntityType.PLACE)
            self._places[key] = tuple(n for n in names if (n in countries) == is_country)
        return self._places[key]

    def said_by(self, quote: str) -> Taken:
        """Everyone who said these words, or words containing them or inside them.

        Only quotes that could contain or be contained are compared: those holding the
        key's rarest word, and those whose own rarest word the key holds. Comparing every
        quote with every other made an article of thousands of quotes quadratic.
        """
        key = comparable(quote)
        if key not in self._said_by:
            words = set(name_words(key)) if key else set()
            candidates: set[str] = set()
            if words:
                rarest = min(words, key=lambda w: len(self._quotes_with.get(w, ())))
                candidates.update(self._quotes_with.get(rarest, ()))
                for word in words:
                    candidates.update(self._quotes_by_rarest.get(word, ()))
            self._said_by[key] = Taken(
                comparable(speaker)
                for other in candidates
                if other and (key in other or other in key)
                for speaker in self._quotes[other]
            )
        return self._said_by[key]

    def _index_quotes(self) -> None:
        self._quotes_with: dict[str, set[str]] = {}
        for other in self._quotes:
            for word in set(name_words(other)):
                self._quotes_with.setdefault(word, set()).add(other)
        self._quotes_by_rarest: dict[str, set[str]] = {}
        for other in self._quotes:
            words = set(name_words(other))
            if words:
                rarest = min(words, key=lambda w: len(self._quotes_with[w]))
                self._quotes_by_rarest.setdefault(rarest, set()).add(other)

    def objects_of(self, kind: FactKind, subject: str) -> list[str]:
        """What the facts of a kind say of a subject (under any of its names), in order."""
        return self._objects.get((kind, subject), [])

    def holders(self, role: frozenset[str]) -> set[str]:
        """Everyone the article gives this role, however it words it."""
        return self._holders.get(role, set())

    def true_numbers(self, fact: Fact) -> set[str]:
        """Every value the facts give for this subject and count: none may be a distractor."""
        return self._numbers.get((fact.subject, comparable(fact.relation)), set())


# The words that say what kind of body or place a name is.
_KIND_WORDS = frozenset(
    {"university", "college", "school", "court", "council", "ministry", "department", "office",
     "party", "union", "commission", "committee", "agency", "institute", "bank", "police",
     "stadium", "arena", "hospital", "act", "bill", "law", "treaty", "cup", "championship",
     "river", "county", "city", "province", "republic", "foundation", "association", "group",
     "news", "times", "post", "journal", "company", "corporation", "service", "church", "club"}
)  # fmt: skip


def _kind_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", name.casefold()) if w in _KIND_WORDS]


_LEANING_BACK = re.compile(r"^(?:it|that|this|these|those|they|he|she)\b", re.I)


def _leans_back(words: str) -> bool:
    """A short piece opening on a pronoun ("It is a remarkable choice.") only goes on from
    the sentence before; asked alone it means nothing."""
    return len(words.split()) < 10 and _LEANING_BACK.match(words.strip(" \"'\u201c")) is not None


class Names:
    """One type's names in article order, each once, and how to find the few a text
    mentions: entities from the article's mention index, not by testing every name."""

    def __init__(self, names: Iterable[str], facts: ArticleFacts) -> None:
        self.names = unique(names)
        self._facts = facts
        self._order = {name: index for index, name in enumerate(self.names)}
        # Names no entity stands for (a few speakers) are searched for in the text instead.
        self._unnamed = [name for name in self.names if facts.entity(name) is None]

    def mentioned_in(self, text: str) -> list[str]:
        """The names ``text`` mentions, in article order."""
        found = {name for name in self._facts.mentioned(text) if name in self._order}
        found.update(name for name in self._unnamed if contains(text, name))
        return sorted(found, key=self._order.__getitem__)


@dataclass(frozen=True)
class Context:
    """What every generator needs besides the facts, bundled so the registry stays uniform."""

    seed: int
    pool: DistractorPool
    index: ArticleIndex
    sentences: Sequence[str] = ()  # the article's sentences, in order

    @cached_property
    def article_text(self) -> str:
        """The article's sentences as one text, to ask whether it writes a value at all."""
        return "\n".join(self.sentences)

    @cached_property
    def latest_year(self) -> int:
        """The latest year the article writes, roughly when it was written; 0 if none."""
        years = [int(y) for y in re.findall(r"\b(?:1[5-9]\d\d|20\d\d)\b", self.article_text)]
        return max(years, default=0) or 9999

    def rng(self, generator: str, fact: Fact) -> random.Random:
        """One RNG per question, keyed by the fact, so other facts cannot reshuffle it."""
        return self.rng_for(generator, fact.key)

    def rng_for(self, generator: str, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{generator}:{key}")


Generator = Callable[[ArticleFacts, Context], Iterator[QuestionDraft]]
