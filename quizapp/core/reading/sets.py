"""Named sets, definitions and powers, read off the parse.

A set is a list the parse joins with conjunctions: members of a head noun it hangs from
("applications like Signal, WhatsApp, and Apple's iMessage"; "five nationalities: Afghanistan,
Eritrea, ..."; "seven countries, the United Kingdom, United States, ..."), or three or more
names of one type sharing a verb. A definition is what the text says a term is: an acronym's
expansion, "X is a ...", "X means ...", a term with a "which" clause, or "X, or Y". A power is
what a law would give a body ("give the regulator the power to order platforms to ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Token

from quizapp.core.facts import EntityType, Fact, FactKind
from quizapp.core.reading.aliases import expansion_before
from quizapp.core.reading.entities import Entities, Mention
from quizapp.core.reading.structure import ParsedArticle, Sentence

_LIST_PREPS = frozenset({"like", "including", "as", "include"})
_PLURAL_OF_TYPE = {
    EntityType.PERSON: "people",
    EntityType.PLACE: "places",
    EntityType.ORGANISATION: "organisations",
    EntityType.REGULATOR: "regulators",
    EntityType.APP: "apps",
    EntityType.GROUP: "groups",
    EntityType.PRODUCT: "products",
    EntityType.LAW: "laws",
    EntityType.EVENT: "events",
}
_POWER_NOUNS = frozenset({"power", "authority", "right", "ability", "duty", "mandate"})
_GIVE_VERBS = frozenset({"give", "grant", "hand", "allow"})
_HAVE_VERBS = frozenset({"have", "gain", "get", "receive", "win", "acquire"})
_DEFINE_VERBS = frozenset({"mean", "refer", "denote", "stand"})
_MAX_WORDS = 24
_LAW_NAME = re.compile(r"\b(?:Act|Bill|Law|Directive|Regulation|Treaty|Code)\b")


def find_sets(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[str, str, str]] = set()
    for sentence in parsed.sentences:
        for fact in _sets_in(sentence, entities):
            key = (fact.subject, fact.object, fact.evidence)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
        for fact in _powers_in(sentence, entities):
            facts.append(fact)
    return facts


def _sets_in(sentence: Sentence, entities: Entities) -> Iterator[Fact]:
    for token in sentence.span:
        if token.dep_ == "conj" or not any(c.dep_ == "conj" for c in token.children):
            continue
        chain = _chain(token)
        rest_named = all(_mention(t, sentence, entities) for t in chain[1:])
        if chain[0].tag_ == "NNS" and rest_named and not _mention(chain[0], sentence, entities):
            head, chain = chain[0], chain[1:]  # "seven countries, the UK, the US, ..."
        else:
            head = _set_head(chain[0])
        if chain[0].dep_ in ("compound", "amod", "nmod") or any(
            t.pos_ not in ("NOUN", "PROPN") for t in chain
        ):
            continue  # "faith-based, church and village councils": modifiers, not members
        mentions = [_mention(t, sentence, entities) for t in chain]
        named = [m for m in mentions if m is not None]
        if head is None:
            types = {entities.type_of(m.name) for m in named}
            if len(named) < 3 or len(named) != len(chain) or len(types) != 1:
                continue
            subject = _PLURAL_OF_TYPE.get(types.pop(), "names")
            anchor = chain[0]
        else:
            if len(chain) < 2:
                continue
            subject = _noun_phrase(head)
            anchor = head
        relation = _shared(anchor, {t.i for t in chain})
        for token_, mention in zip(chain, mentions, strict=True):
            item = mention.name if mention is not None else _item_text(token_)
            if item and item != subject:
                yield Fact(FactKind.MEMBER, subject, item, sentence.text, relation=relation)


def _chain(token: Token) -> list[Token]:
    chain = [token]
    node = token
    while True:
        nxt = next((c for c in node.children if c.dep_ == "conj"), None)
        if nxt is None:
            break
        chain.append(nxt)
        node = nxt
    return chain


def _mention(token: Token, sentence: Sentence, entities: Entities) -> Mention | None:
    mention = entities.at(sentence.index, token.i)
    if mention is not None and entities.type_of(mention.name) == EntityType.TERM:
        return None
    return mention


def _set_head(first: Token) -> Token | None:
    """The plural noun a list hangs from: "apps like ...", "services, including ...",
    "five nationalities: ..." (the noun before the colon)."""
    if first.dep_ == "pobj" and first.head.lower_ in _LIST_PREPS:
        head = first.head.head
        if head.lower_ == "such":
            head = head.head
        return head if head.pos_ in ("NOUN", "PROPN") else None
    if first.dep_ == "dobj" and first.head.lemma_ == "include":
        subject = next((c for c in first.head.children if c.dep_ == "nsubj"), None)
        return subject if subject is not None and subject.pos_ == "NOUN" else None
    doc = first.doc
    before = doc[first.left_edge.i - 1] if first.left_edge.i > 0 else None
    if before is not None and before.text in (":", "\u2014", "\u2013", "-"):
        for i in range(before.i - 1, max(before.i - 5, -1), -1):
            if doc[i].tag_ == "NNS":
                return doc[i]
    if first.dep_ == "appos" and first.head.tag_ == "NNS":
        return first.head
    return None


def _noun_phrase(head: Token) -> str:
    left = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nummod", "nmod")]
    words = sorted([*(t for c in left for t in c.subtree), head], key=lambda t: t.i)
    return " ".join(t.text for t in words if not t.is_punct)


def _item_text(token: Token) -> str:
    words = [t for t in token.subtree if t.dep_ not in ("conj", "cc") and not t.is_punct]
    skip = {
        t.i for c in token.children if c.dep_ in ("conj", "cc", "appos", "relcl") for t in c.subtree
    }
    words = [t for t in words if t.i not in skip]
    while words and words[0].pos_ in ("DET", "CCONJ"):
        words = words[1:]
    if not words or len(words) > 8:
        return ""
    return token.doc[words[0].i : words[-1].i + 1].text


def _shared(anchor: Token, items: set[int]) -> str:
    """What the members share: the verb phrase the set (or its head) belongs to."""
    node = anchor
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            break
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return ""
    skip = {t.i for t in anchor.subtree} | items
    words = [node]
    for child in node.children:
        if child.i in skip or child.dep_ in ("punct", "cc", "conj", "advcl", "ccomp", "mark"):
            continue
        if child.dep_ in ("aux", "auxpass", "neg", "prt", "agent", "dobj", "attr", "prep"):
            sub = [t for t in child.subtree if t.i not in skip]
            if len(sub) <= 6:
                words.extend(sub)
    words.sort(key=lambda t: t.i)
    return _clean(" ".join(t.text for t in words if not t.is_punct))


def _clean(text: str) -> str:
    return re.sub(r" (?='s\b)", "", text).strip()


def _powers_in(sentence: Sentence, entities: Entities) -> Iterator[Fact]:
    """ "would give Ofcom the authority to order platforms to scan messages": the body, the
    power (the verb phrase) and the law that would give it (the clause's subject, or the law
    the sentence names)."""
    for token in sentence.span:
        if token.lemma_.lower() not in _POWER_NOUNS or token.pos_ != "NOUN":
            continue
        infinitive = next((c for c in token.children if c.dep_ in ("acl", "relcl") and any(
            a.lower_ == "to" for a in c.children
        )), None)  # fmt: skip
        doc = token.doc
        if infinitive is not None:
            power = [
                t for t in infinitive.subtree if not (t.lower_ == "to" and t.head == infinitive)
            ]
        elif token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "to":
            # "the power to fine companies": the parser may read "to" as a preposition.
            power = list(doc[token.i + 2 : max(token.right_edge.i, token.i + 2) + 1])
        else:
            continue
        verb = token.head
        holder = None
        if verb.lemma_.lower() in _GIVE_VERBS and token.dep_ == "dobj":
            holder = next((c for c in verb.children if c.dep_ in ("dative", "iobj")), None)
        elif verb.lemma_.lower() in _HAVE_VERBS and token.dep_ == "dobj":
            holder = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if holder is None:
            continue
        mention = entities.within(sentence.index, holder.subtree)
        if not mention:
            continue
        body = next((m for m in mention if entities.type_of(m.name) != EntityType.LAW), mention[0])
        text = _clean(" ".join(t.text for t in power if t.text not in (",",)))
        text = re.sub(r"\s+\.$", "", text)
        law = next(
            (m.name for m in entities.in_sentence(sentence.index)
             if entities.type_of(m.name) == EntityType.LAW or _LAW_NAME.search(m.name)),
            "",
        )  # fmt: skip
        if text and len(text.split()) <= _MAX_WORDS:
            yield Fact(FactKind.POWER, body.name, text, sentence.text, relation=law)


def find_definitions(parsed: ParsedArticle, entities: Entities) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for sentence in parsed.sentences:
        for fact in (
            *_expansions(sentence),
            *_copula_definitions(sentence, entities),
            *_which_definitions(sentence, entities),
            *_or_aliases(sentence, entities),
        ):
            key = (fact.subject.casefold(), fact.object.casefold())
            if key not in seen and fact.object and fact.subject:
                seen.add(key)
                facts.append(fact)
    return facts


_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9.&]*[A-Z0-9]s?$")


def _expansions(sentence: Sentence) -> Iterator[Fact]:
    """ "the Digital Millennium Copyright Act (DMCA)", "End-to-end encryption (E2EE)",
    "DRM (digital rights management, ...)": an acronym and the words it stands for."""
    doc = sentence.doc
    for token in sentence.span:
        if token.text != "(" or token.i + 1 >= sentence.span.end:
            continue
        inner = doc[token.i + 1]
        close = next((t.i for t in doc[token.i + 1 : token.i + 16] if t.text == ")"), None)
        if close is None:
            continue
        if close == token.i + 2 and _ACRONYM.match(inner.text):
            words = expansion_before(doc, token.i, inner.text)
            if words is not None:
                yield Fact(FactKind.DEFINITION, inner.text, words.text, sentence.text)
        elif token.i > 0 and _ACRONYM.match(doc[token.i - 1].text):
            short = doc[token.i - 1].text
            stop = next((t.i for t in doc[token.i + 1 : close] if t.text in (",", ";")), close)
            words = doc[token.i + 1 : stop]
            if _letters(words.text) == short.rstrip("s").lower() or (
                sorted(_letters(words.text)) == sorted(short.lower()) and words[0].is_title
            ):
                yield Fact(FactKind.DEFINITION, short, words.text, sentence.text)


def _letters(text: str) -> str:
    return "".join(w[0].lower() for w in re.split(r"[\s-]+", text) if w and w[0].isalpha()
                   and w.lower() not in ("of", "the", "and", "for"))  # fmt: skip


def _copula_definitions(sentence: Sentence, entities: Entities) -> Iterator[Fact]:
    """ "Git is decentralised version-tracking software", "X means ...", "End-to-end encryption
    (E2EE) prevents anyone ... from reading it" (a term as subject of the sentence)."""
    root = sentence.span.root
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return
    term = _term(subject, sentence, entities)
    if not term:
        return
    lemma = root.lemma_.lower()
    rest = sentence.span.doc[max(subject.right_edge.i, root.i - 1) + 1 : sentence.span.end]
    text = rest.text.strip(" ,.;")
    if lemma == "be":
        attr = next((c for c in root.children if c.dep_ == "attr"), None) or next(
            (c for c in root.children if c.dep_ == "advcl" and c.i > root.i), None
        )
        if attr is None or (attr.dep_ == "attr" and attr.pos_ not in ("NOUN", "PROPN")):
            return
        if attr.dep_ == "advcl" and not any(c.lower_ == "when" for c in attr.children):
            return  # "X is when ..." defines; "X is famous, which ..." does not
        if attr.dep_ == "attr" and any(
            c.dep_ == "det" and c.lower_ not in ("a", "an") for c in attr.children
        ):
            return  # "X is the one who ..." identifies; "X is a ..." defines
        text = re.sub(r"^(?:is|are|was|were)\s+", "", text)
    elif lemma in _DEFINE_VERBS or _is_term_entity(subject, sentence, entities):
        pass
    else:
        return
    if 2 <= len(text.split()) <= _MAX_WORDS:
        yield Fact(FactKind.DEFINITION, term, text, sentence.text)


def _term(subject: Token, sentence: Sentence, entities: Entities) -> str:
    """The subject as a term: a named non-person, or a noun phrase without a determiner."""
    words = list(subject.subtree)
    mention = entities.within(sentence.index, words)
    if mention and entities.type_of(mention[0].name) != EntityType.PERSON:
        return sentence.span.doc[words[0].i : words[-1].i + 1].text
    if words[0].pos_ in ("DET", "PRON") or subject.pos_ not in ("NOUN", "PROPN") or len(words) > 6:
        return ""
    if any(t.dep_ in ("relcl", "acl", "prep") for t in words):
        return ""
    return sentence.span.doc[words[0].i : words[-1].i + 1].text


def _is_term_entity(subject: Token, sentence: Sentence, entities: Entities) -> bool:
    mention = entities.within(sentence.index, subject.subtree)
    return bool(mention) and entities.type_of(mention[0].name) == EntityType.TERM


def _which_definitions(sentence: Sentence, entities: Entities) -> Iterator[Fact]:
    """ "client-side scanning software, which would examine communications ...": a term (a
    noun with modifiers, no name) and what its "which" clause says it does. Read off the
    words around ", which", since the parser often hangs such a clause from the wrong noun."""
    doc = sentence.doc
    for which in sentence.span:
        i = which.i
        if which.lower_ != "which" or not which.dep_.startswith("nsubj") or i < 3:
            continue
        head = doc[i - 2]
        if doc[i - 1].text != "," or head.pos_ not in ("NOUN", "VERB") or head.tag_ == "NNS":
            continue
        start = i - 2
        while start > sentence.span.start and _modifies(doc[start - 1]):
            start -= 1
        if start == i - 2 or entities.within(sentence.index, doc[start : i - 1]):
            continue
        verb = which.head
        if verb.tag_ == "VBP" or any(
            c.tag_ == "VBP" and c.dep_.startswith("aux") for c in verb.children
        ):
            continue  # "unit tests in its source code, which test ...": the clause is the plural's
        clause = doc[i : max(verb.right_edge.i, i) + 1]
        if clause[-1].is_punct:
            clause = clause[:-1]
        term = doc[start : i - 1].text
        text = f"{head.text} {clause.text}"
        if 3 <= len(text.split()) <= _MAX_WORDS:
            yield Fact(FactKind.DEFINITION, term, text, sentence.text)


def _modifies(token: Token) -> bool:
    return token.pos_ in ("NOUN", "ADJ", "PROPN") or token.text == "-" or token.tag_ == "VBG"


def _or_aliases(sentence: Sentence, entities: Entities) -> Iterator[Fact]:
    """ "G7, or the Group of Seven", "particulate matter, or PM2.5": two names for one thing."""
    doc = sentence.doc
    for token in sentence.span:
        if token.lower_ != "or" or token.i < 2 or doc[token.i - 1].text != ",":
            continue
        conj = next((c for c in token.head.children if c.dep_ == "conj" and c.i > token.i), None)
        if conj is None:
            continue
        first = [t for t in token.head.subtree if t.i < token.i - 1]
        second = [t for t in conj.subtree if t.text not in (",",)]
        if not first or not second or len(first) > 6 or len(second) > 6:
            continue
        a = doc[first[0].i : first[-1].i + 1].text
        b = doc[second[0].i : second[-1].i + 1].text
        named = entities.within(sentence.index, [*first, *second])
        acronym = any(_ACRONYM.match(t.text) for t in (*first, *second))
        if (named or acronym) and doc[first[0].i].pos_ != "DET":
            yield Fact(FactKind.DEFINITION, a, re.sub(r"^the ", "", b), sentence.text)
