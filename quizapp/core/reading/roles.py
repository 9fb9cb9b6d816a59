"""Who holds which role, read off the parse around each name.

A role is a noun phrase the parse ties to a name: a title compounding it ("security minister
Tom Tugendhat", "Prime Minister Boris Johnson", "Facebook's parent company Meta"), an
apposition after or before it ("Ciaran Martin, the former director of the National Cyber
Security Centre"; "The CEO of Meta, Mark Zuckerberg"), a complement ("has served as minister
of security", "became chair"), a relative clause ("who heads the agency", "which Meta owns")
or an organisation the person is "of" ("Matthew Ingram of The Globe and Mail"). The role keeps
its words as written ("former", "acting", "deputy"), and the organisation it names becomes the
fact's relation. A phrase is a role only if its head is a noun: a common noun in apposition
or compound, or a capitalised title from a short list of generic heads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span, Token

from quizapp.core.facts import EntityType, Fact, FactKind
from quizapp.core.reading.entities import ROLE_HEADS, Entities, Mention
from quizapp.core.reading.structure import ParsedArticle, Sentence

_HOLDERS = frozenset(
    {EntityType.PERSON, EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP}
)
_ORGANISATIONS = frozenset(
    {EntityType.ORGANISATION, EntityType.REGULATOR, EntityType.APP, EntityType.GROUP}
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
        titles = list(_title_before(span, sentence, entities))
        found = [
            *titles,
            *_apposition_after(span, sentence, entities),
            *([] if titles else _apposition_before(span, sentence, entities)),
            *_complement(span, sentence, entities),
            *_before_comma(span, sentence, entities),
        ]
        for head, words, organisation in found:
            text = _text(words)
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


Found = tuple[Token, list[Token], str]


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


def _anaphoric_owner(head: Token, sentence: Sentence, entities: Entities) -> str:
    """ "The organization's president": the organisation last named as a subject before."""
    for child in head.children:
        if child.dep_ == "poss" and child.lemma_.lower() in _ORG_ANAPHORS:
            return _recent_organisation(sentence, entities)
    return ""


def _recent_organisation(sentence: Sentence, entities: Entities) -> str:
    for back in range(1, 4):
        best = ""
        for mention in entities.in_sentence(sentence.index - back):
            if entities.type_of(mention.name) in _ORGANISATIONS - {EntityType.GROUP}:
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
            if mention and entities.type_of(mention.name) in _ORGANISATIONS:
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


def _text(words: list[Token]) -> str:
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
        if entities.type_of(name) in _ORGANISATIONS:
            return name
    return next((n for n in named if entities.type_of(n) != EntityType.PERSON), "")
