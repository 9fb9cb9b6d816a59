"""The noun phrases around a name that can say what position it holds, read off the parse.

Each finder gives a role's head noun, its words as written and the organisation it names (or
""): a title compounding the name ("security minister Tom Tugendhat", "Facebook's parent
company Meta"), an apposition after or before it, a complement ("has served as minister of
security", "became chair") or a role noun and comma before it ("the plaintiff, Eva ..."). Which
phrases become ROLE facts, and of whom, is decided in ``roles``.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from quizapp.core.facts import EntityType
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import Sentence
from quizapp.core.reading.titles import ROLE_HEADS

ORGANISATIONS = frozenset(
    {EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP, EntityType.GROUP}
)

_BECOME_VERBS = frozenset({"become", "appoint", "name", "elect", "make", "promote", "nominate"})


_SERVE_VERBS = frozenset({"serve", "work", "act", "join", "start", "remain"})


# Nouns in apposition that describe without naming a position.
_NOT_ROLES = frozenset(
    {"year", "time", "day", "thing", "way", "statement", "post", "case", "decision", "one",
     "name", "part", "section", "chapter", "attempt", "number", "version", "side", "end"}
)  # fmt: skip


# Common nouns a possessor can be that stand for an organisation named just before.
_ORG_ANAPHORS = frozenset(
    {"organization", "organisation", "company", "firm", "group", "charity", "app", "party",
     "agency", "department", "union", "council", "service", "platform", "business"}
)  # fmt: skip


_MAX_ROLE_WORDS = 12


Found = tuple[Token, list[Token], str]


def role_phrases(span: Span, sentence: Sentence, entities: Entities) -> list[Found]:
    """Every phrase the parse ties to the name ``span`` as a role; a title before the name
    wins over an apposition before it (both would be one phrase read twice)."""
    titles = list(_title_before(span, sentence, entities))
    return [
        *titles,
        *_apposition_after(span, sentence, entities),
        *([] if titles else _apposition_before(span, sentence, entities)),
        *_complement(span, sentence, entities),
        *_before_comma(span, sentence, entities),
    ]


def _title_before(span: Span, sentence: Sentence, entities: Entities) -> Iterator[Found]:
    """The words right before a name that modify it: "security minister", "Labour's Shadow
    Home Secretary", "Montana Secretary of State", "Judge"; a possessor is the organisation."""
    doc = span.doc
    root = span.root
    left = [
        c
        for c in root.children
        if c.i < span.start and c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")
    ]
    if not left and span.start > 0:
        # "co-author, civil engineering professor Julian Marshall": the parser may make the
        # title a sibling of the name rather than its modifier.
        before = doc[span.start - 1]
        if (
            before.pos_ == "NOUN"
            and before.head.i == root.head.i
            and before.right_edge.i < span.start
        ):
            left = [before]
    words = sorted({t.i for c in left for t in c.subtree if t.i < span.start})
    run: list[Token] = []
    for i in reversed(words):
        if i != (run[0].i if run else span.start) - 1:
            break
        token = doc[i]
        mention = entities.at(sentence.index, i)
        if token.pos_ == "DET" or (
            mention is not None and entities.type_of(mention.name) == EntityType.PERSON
        ):
            break
        run.insert(0, token)
    if not run:
        return
    head = next((c for c in left if c.i <= run[-1].i and run[-1] in c.subtree), run[-1])
    if not _is_role_head(head, compound=True):
        head = run[-1]
        if head.head.i != root.i or not _is_role_head(head, compound=True):
            return
    yield head, *_without_possessor(run, head, sentence, entities)


def _before_comma(span: Span, sentence: Sentence, entities: Entities) -> Iterator[Found]:
    """ "the plaintiff, Eva Glawischnig-Piesczek, ...": a role noun and a comma before a name
    between commas, however the parser attached the two."""
    doc = span.doc
    start = span.start
    if start < sentence.span.start + 2 or doc[start - 1].text != ",":
        return
    if span.end < sentence.span.end and doc[span.end].text not in (",", ".", ";"):
        return
    head = doc[start - 2]
    if head.pos_ != "NOUN" or not _is_role_head(head) or span.root.dep_ == "appos":
        return
    words = [t for t in head.subtree if t.i < start - 1 and t.i <= head.i]
    yield head, _contiguous(words, head), ""


def _apposition_after(span: Span, sentence: Sentence, entities: Entities) -> Iterator[Found]:
    """ "Ciaran Martin, the former director of the National Cyber Security Centre"."""
    doc = span.doc
    for child in span.root.children:
        if child.dep_ == "conj" and child.pos_ == "NOUN" and child.left_edge.pos_ == "DET":
            after_comma = doc[child.left_edge.i - 1].text == ","
        else:
            after_comma = False
        if (child.dep_ == "appos" or after_comma) and child.i >= span.end and _is_role_head(child):
            words = _role_words(child, exclude=set())
            yield child, *_without_possessor(words, child, sentence, entities)


def _apposition_before(span: Span, sentence: Sentence, entities: Entities) -> Iterator[Found]:
    """ "The CEO of Meta, Mark Zuckerberg" (the parser may hang the name from "Meta");
    "The organization's president, Meredith Whittaker" (the organisation named before)."""
    root = span.root
    if root.dep_ != "appos" or root.head.i >= span.start:
        return
    head = root.head
    if (
        not _is_role_head(head)
        and head.dep_ == "pobj"
        and head.head.lower_ == "of"
        and entities.at(sentence.index, head.i) is not None
    ):
        head = head.head.head  # "The CEO of Meta, Mark Zuckerberg": "CEO" of "of Meta"
    if not _is_role_head(head):
        return
    words = _role_words(head, exclude={t.i for t in root.subtree})
    yield head, *_without_possessor(words, head, sentence, entities)


def _without_possessor(
    words: list[Token], head: Token, sentence: Sentence, entities: Entities
) -> tuple[list[Token], str]:
    """A title's possessor is its organisation: "Facebook's parent company" is the parent
    company of Facebook, "the organization's president" the president of the organisation
    last named; otherwise the organisation is one the role's words name."""
    possessor = next((c for c in head.children if c.dep_ == "poss"), None)
    if possessor is None:
        return words, _organisation_in(words, sentence, entities)
    owned = {t.i for t in possessor.subtree}
    title = [w for w in words if w.i not in owned]
    mention = entities.at(sentence.index, possessor.i)
    if mention is not None:
        return title, mention.name
    if possessor.lemma_.lower() in _ORG_ANAPHORS:
        return title, _recent_organisation(sentence, entities)
    if possessor.pos_ == "PROPN":
        return title, " ".join(t.text for t in possessor.subtree if t.tag_ != "POS")
    return words, _organisation_in(words, sentence, entities)


def _recent_organisation(sentence: Sentence, entities: Entities) -> str:
    for back in range(1, 4):
        best = ""
        for mention in entities.in_sentence(sentence.index - back):
            if entities.type_of(mention.name) in ORGANISATIONS - {EntityType.GROUP}:
                best = best or mention.name
        if best:
            return best
    return ""


def _complement(span: Span, sentence: Sentence, entities: Entities) -> Iterator[Found]:
    """ "X has served as minister of security", "X became chair", "X is the president of Y"."""
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return
    verb = root.head
    lemma = verb.lemma_.lower()
    for child in verb.children:
        role = None
        if lemma in _SERVE_VERBS and child.dep_ == "prep" and child.lower_ == "as":
            role = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif lemma in _BECOME_VERBS and child.dep_ in ("attr", "oprd", "dobj"):
            role = child
        elif lemma == "be" and child.dep_ == "attr" and child.lemma_.lower() in ROLE_HEADS:
            role = child  # "X is the president of Y"; "X is a fraud" names no position
        if role is not None and _is_role_head(role):
            words = _role_words(role, exclude=set())
            yield role, words, _organisation_in(words, sentence, entities)


def _is_role_head(token: Token, compound: bool = False) -> bool:
    """A noun that can name a position: a common noun (in apposition or compounding a name),
    or a capitalised title whose lemma is a generic role head ("President", "Judge")."""
    lemma = token.lemma_.lower()
    if lemma in _NOT_ROLES or token.like_num or (not token.is_alpha and "-" not in token.text):
        return False
    if token.pos_ == "NOUN":
        return token.ent_type_ in ("", "NORP") and (not compound or len(token.text) > 2)
    if token.pos_ == "PROPN":
        if compound and token.ent_type_ == "NORP" and token.text[-1].islower():
            return True  # "Scientologist Tom Cruise", "Republican Ann Smith"
        return lemma in ROLE_HEADS and token.ent_type_ not in ("GPE", "LOC")
    return False


def _role_words(head: Token, exclude: set[int]) -> list[Token]:
    """The role's noun phrase: the head and its modifiers and "of"/"for" phrases, without
    relative clauses, other appositions or the name itself."""
    words = [head]
    stack = [c for c in head.children if c.i not in exclude]
    while stack:
        token = stack.pop()
        at_head = token.head.i == head.i
        if at_head and token.dep_ == "acl":
            continue
        if token.dep_ == "punct" and at_head and token.text not in ("-", "'", "\u2019"):
            continue
        if token.dep_ in ("relcl", "advcl", "appos") or token.i in exclude:
            continue
        words.append(token)
        stack.extend(c for c in token.children if c.i not in exclude)
    words.sort(key=lambda t: t.i)
    return _contiguous(words, head)


def _contiguous(words: list[Token], head: Token) -> list[Token]:
    index = {t.i for t in words}
    start = end = head.i
    while start - 1 in index:
        start -= 1
    while end + 1 in index:
        end += 1
    return [t for t in words if start <= t.i <= end]


def role_text(words: list[Token]) -> str:
    while words and (words[0].pos_ in ("DET", "PUNCT", "CCONJ") or words[0].tag_ == "POS"):
        words = words[1:]
    while words and (words[-1].is_punct or words[-1].pos_ in ("CCONJ", "ADP", "DET")):
        words = words[:-1]
    if not words or len(words) > _MAX_ROLE_WORDS:
        return ""
    doc = words[0].doc
    return doc[words[0].i : words[-1].i + 1].text


def _may_own(token: Token) -> bool:
    """A nationality adjective ("French President") or one capitalised word inside a title
    ("Home Secretary", "Secretary of State") is part of the title, not its organisation."""
    if token.pos_ == "ADJ":
        return False
    if token.dep_ in ("compound", "pobj", "nmod") and token.ent_iob_ == "B":
        nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        single = nxt is None or nxt.ent_iob_ != "I"
        return not single or token.text.isupper()
    return True


def _organisation_in(words: list[Token], sentence: Sentence, entities: Entities) -> str:
    """The organisation the role names (or failing that, a place or group it is of)."""
    found = [entities.at(sentence.index, w.i) for w in words if _may_own(w)]
    named = [m.name for m in found if m is not None]
    for name in named:
        if entities.type_of(name) in ORGANISATIONS:
            return name
    return next((n for n in named if entities.type_of(n) != EntityType.PERSON), "")
