"""Who a pronoun or a description stands for, as far as crediting a quote needs it.

News names a speaker once and then says "he", "the minister" or "the company". A reader takes
the most recent name that fits: a person for "he" and "she" (of the right sex when the article
shows it, through "Mr"/"Ms" or an earlier "he"/"she"), an organisation for "it", and the name
the article has given that role ("security minister Tom Tugendhat", "Ane Alencar, the
director", "the Supreme Court" for "the court"). Subjects are more salient than objects, and
a name inside a quotation is something said, not someone in the story, so it counts little.
Everything is read once per article; each question costs a look at the last few sentences.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from quizapp.core.facts import EntityType
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.structure import ParsedArticle, Sentence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns that can name a speaker without a name, by the type of speaker they name.
PERSON_NOUNS = _words(
    """spokesperson spokesman spokeswoman official minister president secretary chairman
    chairwoman chair chief director executive ceo founder leader head member manager
    officer lawyer attorney judge expert analyst researcher scientist professor doctor
    author editor writer reporter journalist poster user critic campaigner activist
    worker employee resident witness victim source person man woman coach player captain
    governor mayor senator lawmaker legislator politician candidate commissioner
    negotiator ambassador diplomat envoy adviser advisor aide prosecutor barrister
    solicitor plaintiff defendant owner boss teacher student parent individual someone
    participant supporter opponent organiser organizer representative deputy
    undersecretary premier chancellor king queen prince princess mother father"""
)
ORG_NOUNS = _words(
    """company firm organisation organization group government ministry department agency
    court council authority regulator watchdog union party association foundation charity
    institute university school committee commission office board police military army
    campaign coalition alliance network platform site service app bank business
    corporation club team federation parliament tribunal municipality city media
    newspaper broadcaster channel station account"""
)
DOCUMENT_NOUNS = _words(
    """statement letter report notice message post posting tweet email memo document
    ruling judgment judgement decision summary complaint study paper survey review
    announcement press release filing petition lawsuit suit order blog article editorial
    comment comments note website page questionnaire form"""
)
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman")
_MALE = frozenset({"mr", "sir", "lord", "spokesman", "chairman", "king", "prince", "father"})
_FEMALE = frozenset(
    {"ms", "mrs", "miss", "dame", "lady", "spokeswoman", "chairwoman", "queen", "princess"}
    | {"mother"}
)
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_THING_PRONOUNS = frozenset({"it", "its"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
_GENERIC = frozenset(
    {"company", "firm", "organisation", "organization", "group", "business", "corporation"}
)
ORG_TYPES = frozenset({EntityType.ORGANISATION, EntityType.APP, EntityType.REGULATOR})
_WINDOW = 4  # sentences a pronoun looks back
_LOOKBACK = 40  # sentences a description looks back (a role named long ago still holds)
_ROLE_WEIGHT = {"nsubj": 1.0, "nsubjpass": 0.8, "agent": 0.8, "dobj": 0.5, "poss": 0.5}
_ROLE_WEIGHT |= {"attr": 0.5, "pobj": 0.4, "conj": 0.6}
# Verbs that issue a document: their subject speaks through its object ("released a
# statement which read", "made the following announcement:").
ISSUE_LEMMAS = frozenset({"release", "issue", "publish", "post", "send", "make", "put", "share"})
# Documents of one kind: "the decision" summarised is the ruling the court issued.
_DOCUMENT_KINDS = (
    frozenset({"ruling", "decision", "judgment", "judgement", "verdict", "order"}),
    frozenset({"statement", "announcement", "release", "comment", "comments"}),
    frozenset({"letter", "email", "memo", "message", "note"}),
    frozenset({"report", "study", "paper", "survey", "review"}),
)
_DESCRIPTION_LEFT = frozenset({"det", "amod", "compound", "poss", "nummod", "quantmod", "nmod"})
_DESCRIPTION_PREPS = frozenset({"of", "on", "at", "for", "from", "in"})


def noun_type(lemma: str) -> EntityType | None:
    """The kind of speaker a common noun names, or None when it names no speaker."""
    lemma = lemma.lower()
    if lemma in DOCUMENT_NOUNS:
        return EntityType.OTHER
    if lemma in ORG_NOUNS:
        return EntityType.ORGANISATION
    if lemma in PERSON_NOUNS or (len(lemma) > 4 and lemma.endswith(_PERSON_SUFFIXES)):
        return EntityType.PERSON
    return None


@dataclass(frozen=True)
class _Salient:
    """A name the reader has in mind after a sentence: who, where, and how prominent."""

    name: str
    type: EntityType
    sentence: int
    token: int
    weight: float


class Coreference:
    def __init__(
        self, parsed: ParsedArticle, entities: Entities, quoted: Iterable[tuple[int, int, int]]
    ) -> None:
        """``quoted``: (paragraph, first char, end char) of every quotation."""
        self.parsed = parsed
        self.entities = entities
        self._paragraph = {id(doc): number for number, doc in enumerate(parsed.paragraphs)}
        self._starts: dict[int, list[int]] = {}
        self._sentences: dict[int, list[Sentence]] = {}
        for sentence in parsed.sentences:
            self._starts.setdefault(sentence.paragraph, []).append(sentence.span.start)
            self._sentences.setdefault(sentence.paragraph, []).append(sentence)
        self._quoted: dict[int, list[tuple[int, int]]] = {}
        for paragraph, start, end in sorted(quoted):
            self._quoted.setdefault(paragraph, []).append((start, end))
        self.roles = self._roles()
        self.gender = self._genders()
        self.spoke: dict[str, int] = {}  # speaker -> the last sentence they spoke in
        self._owners = self._document_owners()
        self._salient: list[list[_Salient]] = [[] for _ in parsed.sentences]
        for sentence in parsed.sentences:
            self._salient[sentence.index] = self._salients(sentence)

    # --- where a token is ----------------------------------------------------------------

    def sentence_of(self, token: Token) -> Sentence | None:
        paragraph = self._paragraph_of(token)
        starts = self._starts.get(paragraph, [])
        k = bisect_right(starts, token.i) - 1
        if k < 0:
            return None
        sentence = self._sentences[paragraph][k]
        return sentence if token.i < sentence.span.end else None

    def in_paragraph(self, paragraph: int) -> list[Sentence]:
        return self._sentences.get(paragraph, [])

    def _paragraph_of(self, token: Token) -> int:
        return self._paragraph.get(id(token.doc), -1)

    def is_quoted(self, token: Token) -> bool:
        spans = self._quoted.get(self._paragraph_of(token), [])
        k = bisect_right(spans, (token.idx, sys.maxsize)) - 1
        return k >= 0 and token.idx < spans[k][1]  # quotations never overlap

    def mention(self, token: Token) -> str | None:
        """The entity named at ``token``: its own mention, or one of its flat name's words."""
        sentence = self.sentence_of(token)
        if sentence is None:
            return None
        flat = token.pos_ == "PROPN"  # a common noun's compounds modify it: "DMCA notice"
        parts = [c for c in token.children if flat and c.dep_ in ("compound", "nmod")]
        for candidate in (token, *parts):
            found = self.entities.at(sentence.index, candidate.i)
            if found is not None:
                return found.name
        return None

    # --- pronouns and descriptions -------------------------------------------------------

    def pronoun(self, token: Token) -> tuple[str, float] | None:
        """The most salient earlier name that agrees with the pronoun, and how clearly it
        wins (1 when nothing else fits)."""
        word = token.lower_
        sentence = self.sentence_of(token)
        if sentence is None:
            return None
        scored: dict[str, float] = {}
        for back in range(_WINDOW + 1):
            index = sentence.index - back
            if index < 0:
                break
            for item in self._salient[index]:
                if back == 0 and item.token >= token.i:
                    continue
                if not self._agrees(word, item):
                    continue
                score = item.weight - 0.3 * back
                if self.spoke.get(item.name, -99) >= sentence.index - 6:
                    score += 0.35
                scored[item.name] = max(scored.get(item.name, -9.0), score)
        if not scored:
            return None
        ranked = sorted(scored.values(), reverse=True)
        best = max(scored, key=lambda n: scored[n])
        margin = ranked[0] - ranked[1] if len(ranked) > 1 else 1.0
        return best, min(1.0, 0.5 + margin)

    def _agrees(self, word: str, item: _Salient) -> bool:
        if word in _PRONOUN_GENDER:
            gender = self.gender.get(item.name)
            return item.type == EntityType.PERSON and gender in (None, _PRONOUN_GENDER[word])
        if word in _THING_PRONOUNS:
            return item.type in ORG_TYPES
        if word in _PLURAL_PRONOUNS:
            return item.type in ORG_TYPES or item.type == EntityType.GROUP
        return False

    def description(self, token: Token) -> str | None:
        """The entity a definite description names ("the minister", "the court"): the most
        recent one the article gave that role or whose name ends in that word; for "the
        company" and the like, the most recent organisation in subject position."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children):
            return None
        sentence = self.sentence_of(token)
        if sentence is None:
            return None
        lemma = token.lemma_.lower()
        modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound")}
        best: tuple[float, str] | None = None
        for index in range(sentence.index, max(sentence.index - _LOOKBACK, -1), -1):
            for item in reversed(self._salient[index]):
                if index == sentence.index and item.token >= token.i:
                    continue
                roles = self.roles.get(item.name, set())
                if lemma in roles:
                    score = len(modifiers & roles) - 0.01 * (sentence.index - index)
                    if best is None or score > best[0]:
                        best = (score, item.name)
                elif (
                    lemma in _GENERIC
                    and best is None
                    and item.type in ORG_TYPES
                    and item.weight >= 0.4
                    and sentence.index - index <= 3
                ):
                    return item.name
            if best is not None and best[0] >= len(modifiers):
                break
        return best[1] if best else self._named_later(lemma, sentence)

    def _named_later(self, lemma: str, sentence: Sentence) -> str | None:
        """A role named just after its description, in the same paragraph: 'the mayor
        wrote: "..." Alan Price, the mayor, later told ...'."""
        for later in self._sentences[sentence.paragraph]:
            if sentence.index < later.index <= sentence.index + 2:
                for mention in self.entities.in_sentence(later.index):
                    if lemma in self.roles.get(mention.name, ()):
                        return mention.name
        return None

    def owner(self, lemma: str, before: int) -> str | None:
        """Who issued the last document of this kind before sentence ``before``: "the
        decision" summarised is the ruling "the Supreme Court issued" or "the court's"."""
        kind = next((k for k in _DOCUMENT_KINDS if lemma in k), None)
        found = [name for index, k, name in self._owners if k == kind and index <= before]
        return found[-1] if kind is not None and found else None

    # --- read once per article -----------------------------------------------------------

    def _document_owners(self) -> list[tuple[int, frozenset[str], str]]:
        owners = []
        for sentence in self.parsed.sentences:
            for token in sentence.span:
                lemma = token.lemma_.lower()
                kind = next((k for k in _DOCUMENT_KINDS if lemma in k), None)
                if kind is None or token.pos_ != "NOUN":
                    continue
                issuer = next((c for c in token.children if c.dep_ == "poss"), None)
                if issuer is None and token.dep_ == "dobj" and token.head.lemma_ in ISSUE_LEMMAS:
                    issuer = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
                name = self.mention(issuer) if issuer is not None else None
                if name and self.entities.type_of(name) != EntityType.PLACE:
                    owners.append((sentence.index, kind, name))
        return owners

    def _roles(self) -> dict[str, set[str]]:
        """Role words the article attaches to each name: "security minister Tom Tugendhat",
        "Tugendhat, the minister", "X is the court of appeal", and for organisations the last
        word of their own name ("Supreme Court" is a court)."""
        roles: dict[str, set[str]] = {}
        for mention in self.entities.mentions:
            sentence = self.parsed.sentences[mention.sentence]
            span = sentence.doc[mention.start : mention.end]
            words = roles.setdefault(mention.name, set())
            root = span.root
            if self.entities.type_of(mention.name) in ORG_TYPES:
                words.add(root.lemma_.lower())
            for child in root.children:
                if child.i < mention.start and child.dep_ in ("compound", "amod", "nmod"):
                    words.update(
                        t.lemma_.lower() for t in child.subtree if t.pos_ in ("NOUN", "PROPN")
                    )
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    words.update(_role_words(child))
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                words.update(_role_words(root.head))
            if root.dep_ == "nsubj" and root.head.lemma_ == "be":
                for attr in (c for c in root.head.children if c.dep_ == "attr"):
                    if attr.pos_ == "NOUN":
                        words.update(_role_words(attr))
        return roles

    def _genders(self) -> dict[str, str]:
        """Sex shown by titles and gendered role words, else by "he"/"she" in a sentence
        that follows one naming exactly one person."""
        votes: dict[str, Counter[str]] = {}
        people: dict[int, list[str]] = {}
        for mention in self.entities.mentions:
            if self.entities.type_of(mention.name) != EntityType.PERSON:
                continue
            people.setdefault(mention.sentence, []).append(mention.name)
            doc = self.parsed.sentences[mention.sentence].doc
            title = doc[mention.start - 1].lower_.rstrip(".") if mention.start else ""
            first = doc[mention.start].lower_.rstrip(".")
            for word in (title, first, *self.roles.get(mention.name, ())):
                sex = "m" if word in _MALE else "f" if word in _FEMALE else None
                if sex:
                    votes.setdefault(mention.name, Counter())[sex] += 3
        for sentence in self.parsed.sentences:
            for token in sentence.span:
                sex = _PRONOUN_GENDER.get(token.lower_)
                if sex is None or self.is_quoted(token):
                    continue
                here = set(people.get(sentence.index, ()))
                named = here or set(people.get(sentence.index - 1, ()))
                if len(named) == 1:
                    votes.setdefault(named.pop(), Counter())[sex] += 1
        return {name: count.most_common(1)[0][0] for name, count in votes.items()}

    def _salients(self, sentence: Sentence) -> list[_Salient]:
        """The names a sentence puts in the reader's mind: its entity mentions, and the
        definite descriptions that resolve to an entity named earlier."""
        items: list[_Salient] = []
        taken: set[int] = set()
        for mention in self.entities.in_sentence(sentence.index):
            head = _clause_role(sentence.doc[mention.start : mention.end])
            items.append(self._item(mention.name, sentence, head, mention.start))
            taken.update(range(mention.start, mention.end))
        self._salient[sentence.index] = items  # descriptions may point back into this one
        for token in sentence.span:
            if token.i in taken or token.pos_ != "NOUN" or noun_type(token.lemma_) is None:
                continue
            name = self.description(token)
            if name is not None:
                items.append(self._item(name, sentence, token, token.i))
        items.sort(key=lambda item: item.token)
        return items

    def _item(self, name: str, sentence: Sentence, head: Token, at: int) -> _Salient:
        role = head.dep_
        if role == "pobj" and head.head.dep_ == "agent":
            role = "agent"
        weight = _ROLE_WEIGHT.get(role, 0.3)
        if role == "nsubj" and head.head.dep_ == "ROOT":
            weight += 0.2
        if self.is_quoted(head):
            weight *= 0.3
        return _Salient(name, self.entities.type_of(name), sentence.index, at, weight)


def _clause_role(span: Span) -> Token:
    """The token whose dependency says what a name does in its clause: a name used as a
    compound or apposition takes the role of the word it modifies."""
    token = span.root
    while token.dep_ in ("compound", "appos", "flat") and token.head.i != token.i:
        token = token.head
    return token


def _role_words(noun: Token) -> set[str]:
    words = {noun.lemma_.lower()}
    words.update(c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod"))
    return words


def describe(token: Token) -> str:
    """The words the article names an unnamed speaker with: determiners, adjectives and
    compounds before the noun, a short prepositional phrase after ("an unknown author on
    pigmy", "one of the users"), but no relative clause or apposition."""
    doc = token.doc
    left = min(
        (c.left_edge.i for c in token.children if c.i < token.i and c.dep_ in _DESCRIPTION_LEFT),
        default=token.i,
    )
    right = token.i
    for child in token.rights:
        size = child.right_edge.i - child.left_edge.i + 1
        if child.dep_ == "appos" and child.left_edge.i == right + 1:
            right = child.right_edge.i  # no comma between: one noun phrase the parser split
        elif child.dep_ == "prep" and child.lower_ in _DESCRIPTION_PREPS and size <= 6:
            if child.i != right + 1:
                break
            right = child.right_edge.i
        else:
            break
    words = doc[left : right + 1].text
    first = doc[left]
    if first.pos_ in ("DET", "NUM") or first.lower_ in ("one", "some", "many"):
        words = words[:1].lower() + words[1:]
    return words
