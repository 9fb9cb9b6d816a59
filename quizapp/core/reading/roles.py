"""Who holds which role, read off the parse around each name.

A role is a noun phrase the parse ties to a name (``role_phrases``: a title, an apposition,
a complement), a relative clause ("who heads the agency", "which Meta owns") or an
organisation the person is "of" ("Matthew Ingram of The Globe and Mail"). The role keeps its
words as written ("former", "acting", "deputy"), and the organisation it names becomes the
fact's relation. A phrase is a role only if its head is a noun: a common noun in apposition
or compound, or a capitalised title from a short list of generic heads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span, Token

from quizapp.core.facts import EntityType, Fact, FactKind
from quizapp.core.reading.entities import Entities, Mention
from quizapp.core.reading.role_phrases import ORGANISATIONS, role_phrases, role_text
from quizapp.core.reading.structure import ParsedArticle, Sentence
from quizapp.core.reading.titles import ROLE_HEADS

_HOLDERS = frozenset(
    {EntityType.PERSON, EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP}
)


# "who heads X" -> "head of X": the verbs that say someone holds a position.
_ROLE_VERBS = {
    "head": "head",
    "lead": "leader",
    "chair": "chair",
    "run": "head",
    "found": "founder",
    "co-found": "co-founder",
    "direct": "director",
    "manage": "manager",
    "own": "owner",
    "coach": "coach",
    "edit": "editor",
    "represent": "representative",
}


def find_roles(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for sentence in parsed.sentences:
        for fact in _roles_in(sentence, parsed, entities):
            key = (fact.subject, fact.object.casefold())
            if key not in seen and fact.object:
                seen.add(key)
                facts.append(fact)
    return facts


def _roles_in(sentence: Sentence, parsed: ParsedArticle, entities: Entities) -> Iterator[Fact]:
    doc = sentence.doc
    for mention in entities.in_sentence(sentence.index):
        if entities.type_of(mention.name) not in _HOLDERS:
            continue
        span = doc[mention.start : mention.end]
        found = role_phrases(span, sentence, entities)
        for head, words, organisation in found:
            text = role_text(words)
            if not _reads_as_role(text, head, mention, entities):
                continue
            if organisation and organisation not in text and not _names_org(words):
                # A possessor before the title: "Facebook's parent company" -> "... of Facebook"
                text = f"{text} of {organisation}"
            if text:
                yield _fact(mention.name, text, organisation, sentence)
        yield from _of_organisation(span, sentence, entities, bool(found))
        yield from _owner_clause(mention, span, sentence, entities, parsed)


def _reads_as_role(text: str, head: Token, mention: Mention, entities: Entities) -> bool:
    """Not a quote, a number or the holder's own name; one person holds no plural role."""
    if not text or any(c in text for c in '"\u201c\u201d()[]') or text[0].isdigit():
        return False
    entity = entities.get(mention.name)
    names = {mention.name, *(entity.aliases if entity else ())}
    words = set(text.split())
    if any(name in text for name in names if len(name) > 3) or words & names:
        return False
    person = entities.type_of(mention.name) == EntityType.PERSON
    if person and not _names_a_person(head):
        return False
    plural = head.tag_ in ("NNS", "NNPS") and not any(c.dep_ == "conj" for c in head.children)
    return not (person and plural and head.lemma_.lower() not in ROLE_HEADS)


def _names_a_person(head: Token) -> bool:
    """A noun that can say what a person is: a generic role head, an agent noun by its ending
    ("campaigner", "politician", "candidate", "referee"), or a position "of" something."""
    lemma = head.lemma_.lower()
    if lemma in ROLE_HEADS or head.pos_ == "PROPN" or _AGENT.search(lemma):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("of", "at", "for") for c in head.children)


_AGENT = re.compile(r"(?:er|or|ist|ian|ant|ent|ee|ive|man|woman|person|ate|arch|ary|ier)$")


def _names_org(words: list[Token]) -> bool:
    """Whether the role's own words already say whose it is ("CEO of Meta")."""
    return any(w.lower_ in ("of", "at", "for", "to") for w in words)


def _fact(subject: str, role: str, organisation: str, sentence: Sentence) -> Fact:
    return Fact(FactKind.ROLE, subject, role, sentence.text, relation=organisation)


def _of_organisation(
    span: Span, sentence: Sentence, entities: Entities, has_role: bool
) -> Iterator[Fact]:
    """ "Matthew Ingram of The Globe and Mail": a person of an organisation."""
    if has_role or entities.type_of(_name_at(span, sentence, entities)) != EntityType.PERSON:
        return
    for child in span.root.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "from") and child.i == span.end:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            mention = entities.at(sentence.index, pobj.i) if pobj is not None else None
            if mention and entities.type_of(mention.name) in ORGANISATIONS:
                org = span.doc[child.i + 1 : pobj.right_edge.i + 1].text  # type: ignore[union-attr]
                yield _fact(
                    _name_at(span, sentence, entities),
                    f"a member of {org}",
                    mention.name,
                    sentence,
                )


def _owner_clause(
    mention: Mention, span: Span, sentence: Sentence, entities: Entities, parsed: ParsedArticle
) -> Iterator[Fact]:
    """ "WhatsApp, which Meta owns" and "Meta owns WhatsApp": Meta is the owner of WhatsApp;
    "X, who heads the agency": X is its head."""
    root = span.root
    for child in root.children:
        if child.dep_ != "relcl":
            continue
        role = _ROLE_VERBS.get(child.lemma_.lower())
        if role is None:
            continue
        deps = {c.dep_: c for c in child.children}
        subject, obj = deps.get("nsubj"), deps.get("dobj")
        if subject is not None and subject.tag_ in ("WP", "WDT") and obj is not None:
            target = entities.at(sentence.index, obj.i)
            if target is not None:
                yield _fact(mention.name, f"{role} of {target.name}", target.name, sentence)
        elif obj is not None and obj.tag_ in ("WP", "WDT") and subject is not None:
            owner = entities.at(sentence.index, subject.i)
            if owner is not None and entities.type_of(owner.name) in _HOLDERS:
                yield _fact(owner.name, f"{role} of {mention.name}", mention.name, sentence)
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in _ROLE_VERBS:
        obj = next((c for c in root.head.children if c.dep_ == "dobj"), None)
        target = entities.at(sentence.index, obj.i) if obj is not None else None
        if target is not None and target.name != mention.name:
            role = _ROLE_VERBS[root.head.lemma_.lower()]
            yield _fact(mention.name, f"{role} of {target.name}", target.name, sentence)


def _name_at(span: Span, sentence: Sentence, entities: Entities) -> str:
    mention = entities.at(sentence.index, span.start)
    return mention.name if mention else span.text
