"""Who and what the article names: entities from the parser's named entities, with aliases.

A name is kept when the parser tags it as a person, organisation, place, group, law, event or
product and it looks like a name (a capital letter, not a month or a sentence adverb). The
same thing named several ways becomes one entity: "Matthew Ingram", "Ingram" and "Mr Ingram";
"European Court of Justice" and "ECJ" (introduced in brackets, or its initials). A lower-case
term the text abbreviates ("distributed denial of service (DDoS)") is an entity too.

The small model's tags are votes, corrected by what the text itself says about a name: a name
with a person's title ("Mr", "security minister", "Judge") or a role in apposition, or that
"he" or "she" picks up, is a person; a name that says things is no place. An organisation the
text calls a regulator, or an app, gets that type. Everything is indexed (by last word, by
initials) so an article naming thousands of people is read in one pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from quizapp.core.facts import Entity, EntityType
from quizapp.core.reading.structure import ParsedArticle, Sentence

_TYPE_OF_LABEL = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORGANISATION,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "NORP": EntityType.GROUP,
    "LAW": EntityType.LAW,
    "EVENT": EntityType.EVENT,
    "PRODUCT": EntityType.PRODUCT,
    "WORK_OF_ART": EntityType.PRODUCT,
}
_REGULATOR_WORDS = frozenset({"regulator", "watchdog", "authority", "commissioner", "ombudsman"})
_APP_WORDS = frozenset({"app", "application", "messenger", "platform", "service"})
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady"}
)
# Generic heads of titles and roles: a hint that a word before or beside a name is a title,
# used with the parse (a compound or apposition of the name), never as the only evidence.
ROLE_HEADS = frozenset(
    {
        "president", "minister", "secretary", "chancellor", "premier", "governor", "mayor",
        "senator", "judge", "justice", "king", "queen", "prince", "princess", "pope", "bishop",
        "general", "colonel", "captain", "commander", "chief", "director", "chair",
        "chairman", "chairwoman", "chairperson", "ceo", "founder", "head", "leader", "spokesman",
        "spokeswoman", "spokesperson", "undersecretary", "ambassador", "officer", "manager",
        "editor", "professor", "coach", "referee", "striker", "defender", "goalkeeper",
        "midfielder", "author", "lawyer", "barrister", "attorney", "campaigner", "analyst",
        "researcher", "scientist", "candidate", "owner", "member", "commissioner", "mp",
        "lawmaker", "deputy", "vice", "boss", "executive", "correspondent", "reporter",
        "prosecutor", "activist", "councillor", "inspector", "sheriff", "detective", "dean",
        "rabbi", "imam", "cardinal", "priest", "economist", "engineer", "doctor",
        "nurse", "teacher", "student", "actor", "actress", "singer", "player", "politician",
        "plaintiff", "defendant", "maintainer", "contributor", "developer", "expert",
    }
)  # fmt: skip
_NOT_NAMES = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "separately", "meanwhile", "however", "today",
        "yesterday", "tomorrow", "earlier", "later", "additionally", "also", "but", "and",
        "image", "photo", "source", "getty",
    }
)  # fmt: skip
_COLLECTIVES = frozenset(
    {"tribe", "nation", "people", "community", "family", "brother", "sister", "partner"}
)
_SAY_VERBS = frozenset(
    {"say", "tell", "state", "add", "claim", "argue", "warn", "explain", "insist", "write"}
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&0-9]*[A-Z0-9][A-Za-z0-9]*$|^[A-Z]{2,}s?$")
# Words an acronym may skip ("Court of Justice" -> CJ) and digits that stand for words.
_SKIPPABLE = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "&", "to"})
_DIGIT_WORDS = {"2": ("to", "two"), "4": ("for", "four")}


@dataclass(frozen=True)
class Mention:
    """One place the article names an entity: ``start``/``end`` index tokens of the doc."""

    name: str  # the entity's canonical name
    sentence: int
    start: int
    end: int


@dataclass
class Entities:
    entities: list[Entity]
    mentions: list[Mention]
    _by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    _by_name: dict[str, Entity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for mention in self.mentions:
            self._by_sentence.setdefault(mention.sentence, []).append(mention)
        for entity in self.entities:
            self._by_name.setdefault(entity.name, entity)
        for entity in self.entities:
            for alias in entity.aliases:
                self._by_name.setdefault(alias, entity)

    def get(self, name: str) -> Entity | None:
        return self._by_name.get(name)

    def type_of(self, name: str) -> EntityType:
        entity = self._by_name.get(name)
        return entity.type if entity else EntityType.OTHER

    def in_sentence(self, sentence: int) -> list[Mention]:
        return self._by_sentence.get(sentence, [])

    def at(self, sentence: int, token: int) -> Mention | None:
        """The mention covering doc token ``token`` of ``sentence``, if any."""
        for mention in self._by_sentence.get(sentence, ()):
            if mention.start <= token < mention.end:
                return mention
        return None

    def within(self, sentence: int, tokens: Iterable[Token]) -> list[Mention]:
        """Mentions inside a set of tokens (a subtree), in text order."""
        wanted = {t.i for t in tokens}
        return [m for m in self.in_sentence(sentence) if m.start in wanted]


def find_entities(parsed: ParsedArticle) -> Entities:
    raw: list[tuple[Sentence, Span, EntityType]] = []
    for sentence in parsed.sentences:
        for span in sentence.span.ents:
            entity_type = _TYPE_OF_LABEL.get(span.label_)
            trimmed = _trim(span)
            if entity_type is not None and trimmed is not None and not _is_dateline(trimmed):
                raw.append((sentence, trimmed, entity_type))
    raw = _outermost(raw)
    raw.extend(_camel_case_names(parsed, raw))
    abbreviations = list(_abbreviations(parsed, raw))
    tagged = {(id(s.doc), i) for _, s, _ in raw for i in range(s.start, s.end)}
    for sentence, span, _short in abbreviations:
        if (id(span.doc), span.start) not in tagged:
            raw.append((sentence, span, _type_of_expansion(span)))
    votes: dict[str, Counter[EntityType]] = {}
    for _, span, entity_type in raw:
        votes.setdefault(span.text, Counter())[entity_type] += 1
    _vote_by_evidence(parsed, raw, votes)
    canonical = _canonical_names(votes)
    acronyms = {short: span.text for _, span, short in abbreviations if short != span.text}
    acronyms.update(_initialisms(votes, acronyms))
    entities = _build(votes, canonical, acronyms)
    entities = _typed_by_context(entities, raw)
    mentions = [
        Mention(canonical.get(span.text, span.text), sentence.index, span.start, span.end)
        for sentence, span, _ in raw
    ]
    mentions.extend(_alias_mentions(parsed, entities, mentions))
    mentions.sort(key=lambda m: (m.sentence, m.start))
    return Entities(entities, mentions)


def _trim(span: Span) -> Span | None:
    """The span without a leading "the" or a trailing possessive, if it still looks like a
    name: a capital letter (or "iPhone"-like), not a month, a weekday or a sentence adverb."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or _is_title(doc[start])
    ):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if end <= start:
        return None
    if span.label_ in ("PERSON", "NORP", "GPE"):
        start = _first_name_start(doc, start, end)
    trimmed = doc[start:end]
    text = trimmed.text
    if not (text[0].isupper() or re.match(r"^[a-z][A-Z]", text) or text[0].isdigit()):
        return None
    if all(t.lower_ in _NOT_NAMES or t.is_stop for t in trimmed):
        return None
    word = trimmed[0]
    if len(trimmed) == 1 and word.pos_ in ("ADV", "ADJ", "VERB", "PRON", "SCONJ"):  # noqa: SIM102
        if word.is_sent_start or word.ent_type_ not in ("NORP", "GPE"):
            return None  # "Separately, ...": a sentence adverb the model took for a name
    if "\n" in text or len(text) > 80 or not any(c.isalpha() for c in text):
        return None
    return trimmed


def _outermost(
    raw: list[tuple[Sentence, Span, EntityType]],
) -> list[tuple[Sentence, Span, EntityType]]:
    """Spans not inside a longer one: a first name the model tagged on its own ("Esteban")
    is dropped once the surname's span has grown over it."""
    cover: dict[tuple[int, int], int] = {}
    for _, span, _ in raw:
        for i in range(span.start, span.end):
            key = (id(span.doc), i)
            cover[key] = max(cover.get(key, 0), len(span))
    return [r for r in raw if cover[(id(r[1].doc), r[1].start)] == len(r[1])]


def _camel_case_names(
    parsed: ParsedArticle, raw: list[tuple[Sentence, Span, EntityType]]
) -> Iterator[tuple[Sentence, Span, EntityType]]:
    """ "iMessage", "eBay": brand names the small model often leaves untagged."""
    covered = {(id(span.doc), i) for _, span, _ in raw for i in range(span.start, span.end)}
    for sentence in parsed.sentences:
        for token in sentence.span:
            if _CAMEL.match(token.text) and (id(token.doc), token.i) not in covered:
                yield sentence, sentence.doc[token.i : token.i + 1], EntityType.PRODUCT


_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][a-z]+[A-Za-z]*$")


def _first_name_start(doc: Doc, start: int, end: int) -> int:
    """ "Enver Solomon" tagged as just "Solomon": a capitalised proper noun compounding the
    name from the left, itself untagged and no title, is the rest of the name."""
    while start > 0:
        before = doc[start - 1]
        if (
            before.pos_ == "PROPN"
            and before.dep_ == "compound"
            and start <= before.head.i < end
            and before.text[:1].isupper()
            and before.is_alpha
            and (not before.ent_type_ or (before.ent_iob_ == "B" and doc[start].ent_iob_ == "B"))
            and before.lemma_.lower() not in ROLE_HEADS
            and not before.lower_.endswith("ist")  # "Scientologist Tom Cruise"
            and before.lower_.rstrip(".") not in _TITLES
        ):
            start -= 1
        else:
            break
    return start


def _is_title(token: Token) -> bool:
    return token.lower_.rstrip(".") in _TITLES and token.i + 1 < len(token.doc)


def _is_dateline(span: Span) -> bool:
    """ "LONDON (Reuters) -": a place in capitals opening a paragraph names where it was filed."""
    doc = span.doc
    return (
        span.start <= 1
        and span.text.isupper()
        and len(span.text) > 3
        and (span.end < len(doc) and doc[span.end].text in ("-", "\u2014", "\u2013", "(", ","))
    )


def _vote_by_evidence(
    parsed: ParsedArticle,
    raw: list[tuple[Sentence, Span, EntityType]],
    votes: dict[str, Counter[EntityType]],
) -> None:
    """Votes from what the text says about a name, stronger than one odd tag."""
    previous_subject: dict[int, str] = {}
    for sentence, span, entity_type in raw:
        counter = votes[span.text]
        if entity_type == EntityType.PERSON and span[-1].lemma_.lower() in _COLLECTIVES:
            counter[EntityType.ORGANISATION] += 2  # "the Sioux Tribes": people, not a person
        if _has_person_title(span) or _has_role_apposition(span):
            counter[EntityType.PERSON] += 2
        if _says_something(span) and entity_type == EntityType.PLACE:
            if len(span) > 1 and all(t.pos_ == "PROPN" for t in span):
                counter[EntityType.PERSON] += 2
            else:
                counter[EntityType.ORGANISATION] += 1
        if span.root.dep_ in ("nsubj", "nsubjpass") and entity_type != EntityType.GROUP:
            previous_subject[sentence.index] = span.text
    for sentence in parsed.sentences:
        pronoun = _subject_pronoun(sentence)
        name = previous_subject.get(sentence.index - 1)
        if pronoun and name and name in votes and len(name.split()) > 1:
            votes[name][EntityType.PERSON] += 1


def _has_person_title(span: Span) -> bool:
    doc = span.doc
    if span.start == 0:
        return False
    before = doc[span.start - 1]
    if before.lower_.rstrip(".") in _TITLES:
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


def _abbreviations(
    parsed: ParsedArticle, raw: list[tuple[Sentence, Span, EntityType]]
) -> Iterator[tuple[Sentence, Span, str]]:
    """Spans the text abbreviates in brackets, with the abbreviation: "the European Court of
    Justice (ECJ)", "End-to-end encryption (E2EE)", and "CEI (Italian Episcopal Conference)"
    the other way round (the span is then the brackets' words)."""
    raw_ends = {(id(span.doc), span.end): span for _, span, _ in raw}
    for sentence in parsed.sentences:
        doc = sentence.doc
        for token in sentence.span:
            if token.text != "(" or token.i + 2 >= len(doc):
                continue
            inner = doc[token.i + 1]
            if doc[token.i + 2].text == ")" and _ACRONYM.match(inner.text):
                expansion = expansion_before(doc, token.i, inner.text) or _name_before(
                    raw_ends, doc, token.i, inner.text
                )
                if expansion is not None:
                    yield sentence, expansion, inner.text
            elif token.i > 0 and _ACRONYM.match(doc[token.i - 1].text):
                close = next((t.i for t in doc[token.i + 1 : token.i + 12] if t.text == ")"), None)
                if close is not None:
                    words = doc[token.i + 1 : close]
                    if _same_letters(_initials(words.text), doc[token.i - 1].text):
                        yield sentence, words, doc[token.i - 1].text


def _type_of_expansion(span: Span) -> EntityType:
    """ "Digital Millennium Copyright Act" is a law, "Movimento 5 Stelle" an organisation,
    "distributed denial of service" a term: capitals make a name."""
    words = [t for t in span if t.is_alpha and t.lower_ not in _SKIPPABLE]
    if words and all(t.text[0].isupper() for t in words) and not span[0].is_sent_start:
        if words[-1].lower_ in ("act", "bill", "law", "directive", "regulation", "treaty"):
            return EntityType.LAW
        return EntityType.ORGANISATION
    return EntityType.TERM


def expansion_before(doc: Doc, paren: int, short: str) -> Span | None:
    """The words before "(" whose initials spell ``short``, matched from the end."""
    letters = [c.lower() for c in short.rstrip("s") if c.isalnum()]
    if len(letters) < 2:
        return None
    i = paren - 1
    start = None
    while letters and i >= 0 and paren - i < 14:
        token = doc[i]
        word = token.lower_
        if token.is_punct:
            if token.text not in ("-", "\u2013", "'s", "&"):
                return None
        elif word[:1] == letters[-1] or word in _DIGIT_WORDS.get(letters[-1], ()):
            letters.pop()
            start = i
            # "PageRank"-like words can give more than one letter.
            for inner in re.findall(r"[A-Z]", token.text[1:])[::-1]:
                if letters and letters[-1] == inner.lower():
                    letters.pop()
        elif word not in _SKIPPABLE:
            return None
        i -= 1
    if letters or start is None or paren - start < 2:
        return None
    return doc[start:paren]


def _name_before(
    raw_ends: dict[tuple[int, int], Span], doc: Doc, paren: int, short: str
) -> Span | None:
    """A tagged name right before "(ACR)" whose initials are the acronym's letters in another
    order, as when the acronym is of the name in its own language ("UAAR")."""
    span = raw_ends.get((id(doc), paren))
    if span is not None and len(span) > 1 and _same_letters(_initials(span.text), short):
        return span
    return None


def _same_letters(initials: str, short: str) -> bool:
    letters = short.rstrip("s").upper()
    return len(letters) > 1 and sorted(initials) == sorted(letters)


def _initials(name: str) -> str:
    return "".join(w[0].upper() for w in re.split(r"[\s-]+", name) if w and w[0].isupper())


def _initialisms(votes: dict[str, Counter[EntityType]], known: dict[str, str]) -> dict[str, str]:
    """Acronyms the text never expands in brackets but whose initials name another entity."""
    by_initials: dict[str, str] = {}
    for name in votes:
        if len(name.split()) > 1:
            by_initials.setdefault(_initials(name), name)
    found = {}
    for name in votes:
        if _ACRONYM.match(name) and name not in known:
            full = by_initials.get(name.rstrip("s"))
            if full and full != name:
                found[name] = full
    return found


def _canonical_names(votes: dict[str, Counter[EntityType]]) -> dict[str, str]:
    """Short forms to the full name they stand for: a surname ("Ingram", "Mr Ingram") to the
    one person whose full name ends with it (only people are shortened)."""
    people = [n for n, c in votes.items() if c.most_common(1)[0][0] == EntityType.PERSON]
    by_last: dict[str, set[str]] = {}
    for name in people:
        words = [w for w in name.split() if w.lower().rstrip(".") not in _TITLES]
        if len(words) > 1 and words == name.split():
            by_last.setdefault(words[-1], set()).add(name)
            for part in words[-1].split("-"):  # "Glawischnig-Piesczek" -> "Glawischnig"
                if part != words[-1] and len(part) > 2:
                    by_last.setdefault(part, set()).add(name)
    canonical: dict[str, str] = {}
    for name in votes:
        words = [w for w in name.split() if w.lower().rstrip(".") not in _TITLES]
        if not words:
            continue
        if len(words) == 1 or words != name.split():
            holders = by_last.get(words[-1], set()) - {name}
            if len(holders) == 1:
                canonical[name] = next(iter(holders))
    return canonical


def _build(
    votes: dict[str, Counter[EntityType]],
    canonical: dict[str, str],
    acronyms: dict[str, str],
) -> list[Entity]:
    aliases: dict[str, list[str]] = {}
    for short, full in canonical.items():
        aliases.setdefault(full, []).append(short)
    for short, full in acronyms.items():
        full = canonical.get(full, full)
        if short not in canonical and full != short:
            canonical[short] = full
            aliases.setdefault(full, []).append(short)
            aliases[full].append(f"{full} ({short})")
            votes.setdefault(full, Counter()).update(votes.get(short, Counter()))
    entities: list[Entity] = []
    seen: set[str] = set()
    for name in votes:
        target = canonical.get(name, name)
        if target in seen:
            continue
        seen.add(target)
        counts = Counter(votes.get(target, Counter()))
        for alias in aliases.get(target, ()):
            if alias in canonical and alias not in acronyms:
                counts.update(votes.get(alias, Counter()))
        entity_type = _majority(counts)
        extra = list(aliases.get(target, ()))
        if entity_type == EntityType.PERSON and len(target.split()) > 1:
            surname = target.split()[-1]
            extra += [surname] + [f"{t} {surname}" for t in ("Mr", "Mr.", "Ms", "Ms.", "Mrs")]
        entities.append(Entity(target, entity_type, tuple(dict.fromkeys(extra))))
    return entities


def _majority(counts: Counter[EntityType]) -> EntityType:
    """The most voted type; a tie goes to a term, then a person, over a place."""
    if not counts:
        return EntityType.OTHER
    best = max(counts.values())
    for preferred in (EntityType.TERM, EntityType.PERSON, EntityType.ORGANISATION):
        if counts.get(preferred) == best:
            return preferred
    return counts.most_common(1)[0][0]


def _typed_by_context(
    entities: list[Entity], raw: list[tuple[Sentence, Span, EntityType]]
) -> list[Entity]:
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


def _alias_mentions(
    parsed: ParsedArticle, entities: list[Entity], known: list[Mention]
) -> Iterator[Mention]:
    """Mentions the parser missed: a surname or acronym alias written where no entity was
    tagged (the small model misses many second mentions)."""
    single: dict[str, str] = {}
    for entity in entities:
        for alias in (entity.name, *entity.aliases):
            if " " not in alias and not alias.endswith("."):
                single.setdefault(alias, entity.name)
    covered = {(m.sentence, i) for m in known for i in range(m.start, m.end)}
    for sentence in parsed.sentences:
        for token in sentence.span:
            name = single.get(token.text)
            if name and (sentence.index, token.i) not in covered and _is_name_token(token):
                yield Mention(name, sentence.index, token.i, token.i + 1)


def _is_name_token(token: Token) -> bool:
    return token.pos_ in ("PROPN", "NOUN", "X") and token.text[0].isupper()


def main_subject(sentence: Sentence, entities: Entities, token: Token | None = None) -> str:
    """The entity the sentence (or the clause holding ``token``) is about: the subject of its
    verb when that names an entity, else the first person or organisation it names."""
    node = token if token is not None else sentence.span.root
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    found = entities.within(sentence.index, child.subtree)
                    actors = [m for m in found if entities.type_of(m.name) in _ACTORS]
                    if actors or found:
                        return (actors or found)[0].name
            if node.head.i == node.i:
                break
        node = node.head
    for mention in entities.in_sentence(sentence.index):
        if entities.type_of(mention.name) in _ACTORS:
            return mention.name
    return ""


_ACTORS = frozenset(
    {EntityType.PERSON, EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP}
)


def names(entities: Iterable[Entity]) -> list[str]:
    return [e.name for e in entities]
