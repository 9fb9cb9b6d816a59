"""What kind of thing each name is: the small model's tags as votes, corrected by the text.

A tag is one vote. What the text says about a name outweighs it: a name with a person's title
("Mr", "security minister", "Judge") or a role in apposition, or that "he" or "she" picks up,
is a person; a name that says things is no place; "the Sioux Tribes" are people, not a person.
Once a name's type is settled, an organisation the text calls a regulator, or an app, gets
that type.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Span, Token

from quizapp.core.facts import Entity, EntityType
from quizapp.core.reading.name_spans import RawName
from quizapp.core.reading.structure import ParsedArticle, Sentence
from quizapp.core.reading.titles import ROLE_HEADS, TITLES

_REGULATOR_WORDS = frozenset({"regulator", "watchdog", "authority", "commissioner", "ombudsman"})


_APP_WORDS = frozenset({"app", "application", "messenger", "platform", "service"})


_COLLECTIVES = frozenset(
    {"tribe", "nation", "people", "community", "family", "brother", "sister", "partner"}
)


# Types a name modifying a common noun may turn out not to be ("Tor sites", "the ICI system");
# a nationality or place modifies by nature ("British citizens", "Pacific island nations").
_MAY_BE_KINDS = frozenset(
    {EntityType.ORGANISATION, EntityType.PRODUCT, EntityType.EVENT, EntityType.APP}
)
_LANDFORMS = frozenset(
    {"rainforest", "forest", "river", "valley", "island", "islands", "region", "basin",
     "coast", "mountain", "desert", "lake", "sea", "ocean", "peninsula", "delta", "plain"}
)  # fmt: skip
# Things an organisation makes or is: "a Financial Times piece" names its publisher.
_AUTHORED = frozenset(
    {"piece", "report", "article", "story", "interview", "investigation", "poll", "survey",
     "analysis", "column", "editorial", "study", "service", "agency", "programme", "program",
     "show", "podcast", "documentary", "newspaper", "spokesperson", "statement"}
)  # fmt: skip
_SAY_VERBS = frozenset(
    {"say", "tell", "state", "add", "claim", "argue", "warn", "explain", "insist", "write"}
)


def vote_by_evidence(
    parsed: ParsedArticle,
    raw: list[RawName],
    votes: dict[str, Counter[EntityType]],
) -> None:
    """Votes from what the text says about a name, stronger than one odd tag."""
    previous_subject: dict[int, str] = {}
    ends = {(id(span.doc), span.end): entity_type for _, span, entity_type in raw}
    acting: set[str] = set()  # names some mention uses as more than a modifier
    personal: set[str] = set()  # names the text treats as a person's (a title, speaking)
    landmarks: set[str] = set()
    for sentence, span, entity_type in raw:
        counter = votes[span.text]
        if not _modifies_a_thing(span):
            acting.add(span.text)
        elif span.root.head.lemma_.lower() in _LANDFORMS:
            landmarks.add(span.text)  # "the Amazon rainforest": a place's own name
        if entity_type == EntityType.PERSON and _is_plural_common_noun(span):
            counter[EntityType.OTHER] += 3  # "Critics assert ...": people, not a person
        elif entity_type == EntityType.PERSON and _place_after_a_name(span, ends):
            counter[EntityType.PLACE] += 2
        bracketed = _named_before_brackets(span, ends)
        if bracketed is not None and bracketed != entity_type:
            counter[bracketed] += 2  # "the Supreme Court (Oberster Gerichtshof)": one thing
        if _says_something(span) and entity_type == EntityType.PRODUCT:
            counter[EntityType.ORGANISATION] += 2
        if entity_type == EntityType.PERSON and span[-1].lemma_.lower() in _COLLECTIVES:
            counter[EntityType.ORGANISATION] += 2  # "the Sioux Tribes": people, not a person
        if _has_person_title(span) or _has_role_apposition(span):
            counter[EntityType.PERSON] += 2
            personal.add(span.text)
        if _says_something(span):
            personal.add(span.text)
        if _says_something(span) and entity_type == EntityType.PLACE:
            if len(span) > 1 and all(t.pos_ == "PROPN" for t in span):
                counter[EntityType.PERSON] += 2
            else:
                counter[EntityType.ORGANISATION] += 1
        if span.root.dep_ in ("nsubj", "nsubjpass") and entity_type != EntityType.GROUP:
            previous_subject[sentence.index] = span.text
    for name, counter in votes.items():
        if name in acting or not counter:
            continue
        if counter.most_common(1)[0][0] in _MAY_BE_KINDS:
            kind = EntityType.PLACE if name in landmarks else EntityType.OTHER
            counter[kind] += sum(counter.values()) + 1
    for sentence in parsed.sentences:
        pronoun = _subject_pronoun(sentence)
        name = previous_subject.get(sentence.index - 1)
        if pronoun and name and name in votes:
            personal.add(name)
            if len(name.split()) > 1:
                votes[name][EntityType.PERSON] += 1
    _lone_words_are_no_people(votes, personal)


def _lone_words_are_no_people(votes: dict[str, Counter[EntityType]], personal: set[str]) -> None:
    """ "Git", "Twitter", "Torrent": the small model takes many one-word product and site
    names for people. A one-word person is kept only with a person's evidence (a title, a
    role, speaking, "he" or "she" after it) or as the surname of a fuller name."""
    surnames = {n.split()[-1] for n in votes if len(n.split()) > 1}
    for name, counter in votes.items():
        if (
            counter
            and " " not in name
            and majority(counter) == EntityType.PERSON
            and name not in personal
            and name not in surnames
        ):
            counter[EntityType.OTHER] += sum(counter.values()) + 1


def _is_plural_common_noun(span: Span) -> bool:
    """ "Critics", "Officials": a capitalised plural noun opening a sentence names a kind of
    people, never one person."""
    return len(span) == 1 and span.root.pos_ == "NOUN" and span.root.tag_ == "NNS"


def _place_after_a_name(span: Span, ends: dict[tuple[int, int], EntityType]) -> bool:
    """ "at Anglia Ruskin University Chelmsford", "a school in Leeds near Otley": one
    capitalised word right after an organisation or place (or "in"/"at"/"near" after one),
    doing nothing itself and with no title, is where that is."""
    if len(span) != 1 or span.root.dep_ in ("nsubj", "nsubjpass") or _has_person_title(span):
        return False
    doc, start = span.doc, span.start
    if start > 1 and doc[start - 1].lower_ in ("in", "at", "near", ","):
        start -= 1
    return ends.get((id(doc), start)) in (EntityType.ORGANISATION, EntityType.PLACE)


def _named_before_brackets(
    span: Span, ends: dict[tuple[int, int], EntityType]
) -> EntityType | None:
    """The type of a name written just before the brackets this name stands in."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != "(":
        return None
    return ends.get((id(doc), span.start - 1))


def _modifies_a_thing(span: Span) -> bool:
    """ "Freedom of Information requests": a name modifying a common noun (not a role, as in
    "Meta boss") says what kind of thing that is; it does nothing itself."""
    root = span.root
    head = root.head
    return (
        root.dep_ in ("compound", "nmod", "amod")
        and head.pos_ == "NOUN"
        and head.i >= span.end
        and head.lemma_.lower() not in ROLE_HEADS
        and head.lemma_.lower() not in _AUTHORED
    )


def _has_person_title(span: Span) -> bool:
    doc = span.doc
    if span.start == 0:
        return False
    before = doc[span.start - 1]
    if before.lower_.rstrip(".") in TITLES:
        return True
    # "security minister Tom Tugendhat", "Judge Ann Smith": a role noun compounding the name.
    return (
        before.dep_ in ("compound", "amod", "nmod")
        and before.head.i in range(span.start, span.end)
        and before.lemma_.lower() in ROLE_HEADS
        and len(span) > 1
    )


def _has_role_apposition(span: Span) -> bool:
    """ "Ciaran Martin, the former director of ...", "its president, Meredith Whittaker": two
    capitalised words in apposition with a role."""
    if len(span) != 2 or not all(t.text[:1].isupper() for t in span):
        return False
    root = span.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in ROLE_HEADS:
        return True
    return any(
        child.dep_ == "appos" and child.pos_ == "NOUN" and child.lemma_.lower() in ROLE_HEADS
        for child in span.root.children
    )


def _says_something(span: Span) -> bool:
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in _SAY_VERBS


def _subject_pronoun(sentence: Sentence) -> bool:
    return any(t.lower_ in ("he", "she") and t.dep_ == "nsubj" for t in sentence.span[:4])


def majority(counts: Counter[EntityType]) -> EntityType:
    """The most voted type; a tie goes to a term, then a person, over a place."""
    if not counts:
        return EntityType.OTHER
    best = max(counts.values())
    for preferred in (EntityType.TERM, EntityType.PERSON, EntityType.ORGANISATION):
        if counts.get(preferred) == best:
            return preferred
    return counts.most_common(1)[0][0]


def typed_by_context(entities: list[Entity], raw: list[RawName]) -> list[Entity]:
    """An organisation the text calls a regulator or watchdog (beside its name or in
    apposition) is a regulator; a name listed as or called an app is an app."""
    regulators: set[str] = set()
    apps: set[str] = set()
    for _, span, _ in raw:
        doc = span.doc
        window = doc[max(span.start - 3, 0) : min(span.end + 4, len(doc))]
        lemmas = {t.lemma_.lower() for t in window if t.pos_ == "NOUN"}
        lemmas |= {t.lemma_.lower() for t in span.root.children if t.dep_ == "appos"}
        if lemmas & _REGULATOR_WORDS:
            regulators.add(span.text)
        if lemmas & _APP_WORDS or _listed_under(span.root, _APP_WORDS):
            apps.add(span.text)
    typed = []
    for e in entities:
        names = {e.name, *e.aliases}
        if e.type == EntityType.ORGANISATION and names & regulators:
            e = Entity(e.name, EntityType.REGULATOR, e.aliases)
        elif e.type in (EntityType.ORGANISATION, EntityType.PRODUCT) and names & apps:
            e = Entity(e.name, EntityType.APP, e.aliases)
        typed.append(e)
    return typed


def _listed_under(token: Token, heads: frozenset[str]) -> bool:
    """ "applications like Signal, WhatsApp, and Apple's iMessage": an item of a list that a
    preposition hangs from a head noun in ``heads``."""
    node = token
    for _ in range(12):
        if node.dep_ == "conj":
            node = node.head
            continue
        break
    if node.dep_ == "pobj" and node.head.dep_ == "prep":
        return node.head.head.lemma_.lower() in heads
    return False
