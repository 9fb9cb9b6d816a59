"""Who said each quotation, and how sure reading is of it.

Sieves in the manner of Stanford CoreNLP's quote attribution (quote -> mention -> speaker),
surest first: the subject of the speech verb that governs the quote in the parse ("X said",
"said X, the Y of Z", "according to X", "X released a statement which read"), the clause
before a colon that introduces it, the signature under a block quote, a speech verb elsewhere
in its sentence; then the speech around a quote with no speaker of its own (the paragraph it
reopens, the sentence before, the sentence after). The subject is then named: an entity, a
pronoun or description resolved in ``coreference``, a document's owner ("RIAA's notice"), or
the words the article uses for someone it never names ("one poster"), as a new entity. The
addressee ("told the BBC"), names inside the quote, adverbs, nationalities and places never
speak. Each sieve has its confidence, capped for pronouns and descriptions, so an unsure
speaker is shown as unsure rather than asked about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from quizapp.core.facts import Entity, EntityType, Fact, FactKind
from quizapp.core.reading.coreference import (
    DOCUMENT_NOUNS,
    ISSUE_LEMMAS,
    Coreference,
    describe,
    noun_type,
)
from quizapp.core.reading.entities import Entities
from quizapp.core.reading.quotes import Quote, QuoteKind, is_speech_verb
from quizapp.core.reading.structure import ParsedArticle, Sentence

EXPLICIT = 0.95  # the subject of the governing speech verb, named before it
INVERTED = 0.9  # "..., said X"
COLON = 0.9  # "X said:" or "X opposed the plan:" before the quote
SIGNED = 0.9  # a block quote signed by a dash line
LOOSE = 0.75  # a speech verb in the quote's sentence that the parse does not tie to it
CONTINUED = 0.8  # a quote reopened in the next paragraph
PREVIOUS = 0.75  # a quote after a sentence of the same speaker's speech
NEXT = 0.8  # a quote whose speaker is named in the following sentence
AFTER_QUOTE = 0.55  # a quote before '"..." He added, "..."': a guess
PARAGRAPH_BEFORE = 0.55  # a new paragraph's quote after another speaker's paragraph: a guess
PRONOUN = 0.7
DESCRIPTION = 0.65
UNNAMED = 0.92  # an unnamed speaker named as the article names them: the words are sure

_NOT_SPEAKERS = frozenset({"i", "we", "you", "me", "us", "one", "this", "these", "those"})
_NOT_NAMED = frozenset({"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"})
_ELLIPSIS = re.compile(r"^(?:\[\.\.\.\]|\.\.\.|…)\s*|\s*(?:\[\.\.\.\]|\.\.\.|…)$")
_MIN_CONTINUED_WORDS = 4  # a later sentence of a quote must say something on its own


@dataclass(frozen=True)
class Speaker:
    name: str
    confidence: float
    entity: Entity | None = None  # set for a speaker the article does not name


def attribute_quotes(
    parsed: ParsedArticle, entities: Entities, quotes: list[Quote]
) -> tuple[list[Fact], list[Entity]]:
    attributor = _Attributor(parsed, entities, quotes)
    facts: list[Fact] = []
    seen: set[tuple[str, str, str]] = set()
    for quote in quotes:
        speaker = attributor.attribute(quote)
        if speaker is None:
            continue
        for fact in attributor.facts(quote, speaker):
            if (fact.subject, fact.object, fact.evidence) not in seen:
                seen.add((fact.subject, fact.object, fact.evidence))
                facts.append(fact)
    return facts, list(attributor.new.values())


class _Attributor:
    def __init__(self, parsed: ParsedArticle, entities: Entities, quotes: list[Quote]) -> None:
        self.parsed = parsed
        self.entities = entities
        self.texts = [doc.text for doc in parsed.paragraphs]  # Doc.text joins every token
        marked = [q for q in quotes if q.kind != QuoteKind.REPORTED]
        self.coref = Coreference(parsed, entities, [(q.paragraph, q.start, q.end) for q in marked])
        self.new: dict[str, Entity] = {}
        self.unnamed: dict[str, Speaker | None] = {}  # head noun -> the last unnamed speaker
        self.said: dict[int, Speaker] = {}  # sentence -> the speaker of its last quote
        self.last_in: dict[int, Speaker] = {}  # paragraph -> the speaker of its last quote
        self._inner: set[int] = set()  # the tokens of the quote being credited
        self._doc: Doc | None = None  # ... in this paragraph (token numbers are per paragraph)

    # --- the sieves ----------------------------------------------------------------------

    def attribute(self, quote: Quote) -> Speaker | None:
        doc = self.parsed.paragraphs[quote.paragraph]
        first = self.parsed.sentences[quote.sentence]
        last = self.parsed.sentences[quote.last_sentence]
        self._inner, self._doc = {t.i for t in quote.tokens(doc)}, doc
        sieves: list[Callable[[], Speaker | None]] = [
            lambda: self.governing(first),
            lambda: self.signed(quote),
            lambda: self.colon(quote, doc),
            lambda: self.governing(last),
        ]
        if quote.kind == QuoteKind.REPORTED and quote.cue is not None:
            sieves = [lambda: self.from_cue(doc[quote.cue], EXPLICIT)]
        if quote.kind == QuoteKind.DIRECT:  # words of their own, so the context may say who
            sieves += [lambda: self.loose(first), lambda: self.loose(last)]
            sieves += [lambda: self.continued(quote), lambda: self.previous(quote)]
            sieves += [lambda: self.following(quote), lambda: self.paragraph_before(quote)]
        speaker = next((found for sieve in sieves if (found := sieve()) is not None), None)
        if speaker is not None:
            self._remember(quote, speaker)
        return speaker

    def governing(self, sentence: Sentence) -> Speaker | None:
        """The speech verb the parse ties to the quote: an ancestor of its words outside the
        quote, or a speech verb hanging from them ("...," he said, parsed as parataxis)."""
        span = sentence.span
        inside = [t for t in span if t.i in self._inner]
        for token in inside:
            if token.head.i in self._inner:
                continue  # walk up from the quote's edge only
            head = token.head
            for _ in range(8):
                if not self.coref.is_quoted(head):
                    if (cue := self._cue_at(head)) is not None:
                        return self.from_cue(cue, EXPLICIT)
                    for frame in (c for c in head.children if c.lower_ == "according"):
                        if self._cue_at(frame) is not None:
                            return self.from_cue(frame, EXPLICIT)
                if head.head.i == head.i:
                    break
                head = head.head
        for token in inside:
            for child in token.children:
                inside_sentence = span.start <= child.i < span.end
                if child.i not in self._inner and inside_sentence and self._cue_at(child):
                    return self.from_cue(child, EXPLICIT)
        return None

    def colon(self, quote: Quote, doc: Doc) -> Speaker | None:
        """A quote after a colon: the clause before it says who ("Bolsonaro opposed the
        statement:", "X told GB News:"), in the quote's paragraph or, for a paragraph that
        is all quote, at the end of the one before."""
        before = self.texts[quote.paragraph][: quote.mark_start].rstrip()
        if before.endswith(":"):
            colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
            token = colon[0] if colon else None
        elif not before and quote.paragraph and quote.block:
            previous = self.parsed.paragraphs[quote.paragraph - 1]
            token = next((t for t in reversed(previous) if not t.is_space), None)
        else:
            return None
        if token is None or (intro := self.coref.sentence_of(token)) is None:
            return None
        clause = [t for t in intro.span if t.i < token.i and not self.coref.is_quoted(t)]
        for verb in reversed(clause):
            cue = self._cue_at(verb)
            if cue is not None and (speaker := self.from_cue(cue, COLON)) is not None:
                return speaker
        # no speech verb: the clause's own main verb ("Bolsonaro opposed the statement:"),
        # which the parser may hang from the quote
        ids = {t.i for t in clause}
        tops = [t for t in clause if t.head.i not in ids or t.head.i == t.i]
        for verb in (t for t in tops if t.pos_ in ("VERB", "AUX")):
            if (speaker := self.from_cue(verb, COLON)) is not None:
                return speaker
        return None

    def signed(self, quote: Quote) -> Speaker | None:
        """A block quote signed on the next line: "– European Court of Justice"."""
        if not quote.block or quote.paragraph + 1 >= len(self.parsed.paragraphs):
            return None
        signature = self.coref.in_paragraph(quote.paragraph + 1)
        if len(signature) != 1 or signature[0].text.lstrip()[:1] not in "–—-":
            return None
        signed = signature[0].text.lstrip("–—- ").strip()
        for entity in self.entities.entities:
            if signed in (entity.name, *entity.aliases):
                return self._named(entity.name, SIGNED)
        mentions = self.entities.in_sentence(signature[0].index)
        if mentions:
            return self._named(mentions[0].name, SIGNED)
        return None

    def loose(self, sentence: Sentence) -> Speaker | None:
        """A speech verb elsewhere in the quote's sentence, outside every quote."""
        for token in sentence.span:
            if self._quoted(token):
                continue
            if self._cue_at(token) and (speaker := self.from_cue(token, LOOSE)):
                return speaker
        return None

    def continued(self, quote: Quote) -> Speaker | None:
        speaker = self.last_in.get(quote.paragraph - 1) if quote.continues else None
        return _capped(speaker, CONTINUED)

    def previous(self, quote: Quote) -> Speaker | None:
        """The speaker of the sentence before, in the same paragraph: its quote's, else the
        subject of its main speech verb ("Magnani indicates ... "One of ..."")."""
        index = quote.sentence - 1
        if index < 0 or self.parsed.sentences[index].paragraph != quote.paragraph:
            return None
        return _capped(self._main_speaker(index) or self.said.get(index), PREVIOUS)

    def following(self, quote: Quote) -> Speaker | None:
        """A speaker named only in the paragraph's next sentence: by a speech verb with
        nothing of its own to say ('"..." That is what X told reporters.'), or, as a guess,
        by one that goes on to a quote of its own ('"..." He added, "..."')."""
        index = quote.last_sentence + 1
        sentences = self.parsed.sentences
        if index >= len(sentences) or sentences[index].paragraph != quote.paragraph:
            return None
        span = sentences[index].span
        quoted = [t.i for t in span if self.coref.is_quoted(t)]
        for token in span:
            if quoted and token.i < quoted[0] and self._cue_at(token):
                return _capped(self.from_cue(token, NEXT), AFTER_QUOTE)
            clause = any(c.dep_ == "ccomp" for c in token.children)
            if not quoted and not clause and self._cue_at(token):
                return self.from_cue(token, NEXT)
        return None

    def paragraph_before(self, quote: Quote) -> Speaker | None:
        if self.texts[quote.paragraph][: quote.mark_start].strip() or quote.paragraph == 0:
            return None
        return _capped(self.last_in.get(quote.paragraph - 1), PARAGRAPH_BEFORE)

    # --- from a cue to a speaker ---------------------------------------------------------

    def _cue_at(self, token: Token) -> Token | None:
        """``token`` itself when it introduces speech: a speech verb, "according (to X)", or
        a verb issuing a document ("released a statement")."""
        if token.lower_ == "according" and token.dep_ == "prep":
            return token if _according_source(token) is not None else None
        if is_speech_verb(token):
            return token
        if (
            token.pos_ == "VERB"
            and token.lemma_ in ISSUE_LEMMAS
            and any(c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS for c in token.children)
        ):
            return token
        return None

    def from_cue(self, cue: Token, confidence: float) -> Speaker | None:
        if cue.lower_ == "according":
            source = _according_source(cue)
            return self.name_of(source, min(confidence, INVERTED)) if source else None
        for subject in _subjects(cue):
            sure = min(confidence, INVERTED) if subject.i > cue.i else confidence
            if (speaker := self.name_of(subject, sure)) is not None:
                return speaker
        return None

    def name_of(self, token: Token, confidence: float, depth: int = 0) -> Speaker | None:
        """The speaker a subject token names, through names, pronouns, descriptions and the
        owners of documents; None for what cannot speak."""
        if depth > 3 or self._quoted(token):
            return None
        word = token.lower_
        if token.tag_ in ("WP", "WDT") and token.head.dep_ == "relcl":
            return self.name_of(token.head.head, confidence, depth + 1)
        if token.pos_ == "PRON":
            if word in _NOT_SPEAKERS:
                return None
            found = self.coref.pronoun(token)
            if found is None:
                return None
            name, clarity = found
            return self._named(name, min(confidence, PRONOUN if clarity >= 0.5 else 0.55))
        for named in (token, *self._appositions(token)):
            name = self.coref.mention(named)
            if name and (speaker := self._named(name, confidence, token=named)):
                return speaker
        lemma = token.lemma_.lower()
        if lemma in DOCUMENT_NOUNS:
            return self._document(token, confidence, depth)
        if token.pos_ == "PROPN" and token.ent_type_ not in _NOT_NAMED and token.text[:1].isupper():
            # a name the entity finder missed, whole: "17 U.S. Code § 1201 Circumvention"
            words = [t for t in token.lefts if t.dep_ in ("compound", "nmod", "nummod")]
            name = token.doc[(words[0].left_edge.i if words else token.i) : token.i + 1].text
            return self._unnamed(name, EntityType.OTHER, confidence * 0.85)
        head = token
        if word == "one" or token.pos_ == "NUM":
            head = next((c for p in token.children if p.lower_ == "of" for c in p.children), token)
        kind = noun_type(head.lemma_) if head.pos_ == "NOUN" else None
        if kind is None:
            return None
        if (name := self.coref.description(token)) is not None:
            return self._named(name, min(confidence, DESCRIPTION))
        lemma = head.lemma_.lower()
        if lemma in self.unnamed and any(c.lower_ == "the" for c in token.children):
            return _capped(self.unnamed[lemma], DESCRIPTION)  # "one poster" ... "the poster"
        if kind == EntityType.PERSON and head.tag_ == "NNS":
            kind = EntityType.GROUP  # "critics", "researchers": several people, not one
        self.unnamed[lemma] = speaker = self._unnamed(describe(token), kind, confidence * UNNAMED)
        return speaker

    def _quoted(self, token: Token) -> bool:
        inner = token.doc is self._doc and token.i in self._inner
        return inner or self.coref.is_quoted(token)

    def _appositions(self, token: Token) -> list[Token]:
        """Names set beside a description ("The organization's president, Meredith
        Whittaker"), people first, and none in brackets (those spell out an acronym) or
        inside a quote."""
        found = [
            c
            for c in token.children
            if c.dep_ == "appos"
            and not self._quoted(c)
            and token.doc[c.left_edge.i - 1].text != "("
        ]
        return sorted(found, key=lambda c: c.ent_type_ != "PERSON")

    def _document(self, token: Token, confidence: float, depth: int) -> Speaker | None:
        """A document speaks for its owner: the possessor ("RIAA's notice"), the author ("a
        post by X"), the issuer ("X released a statement"), or the owner of the document it
        summarises; a bare "the statement" is the one last attributed, else its speaker's."""
        for child in token.children:
            if child.dep_ == "poss":
                return self.name_of(child, confidence * 0.9, depth + 1)
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                source = next((c for c in child.children if c.dep_ == "pobj"), None)
                if source is not None:
                    return self.name_of(source, confidence * 0.95, depth + 1)
        if token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_ in ISSUE_LEMMAS:
            for subject in _subjects(token.head)[:1]:
                return self.name_of(subject, confidence * 0.95, depth + 1)
        sentence = self.coref.sentence_of(token)
        if sentence is not None and any(c.lower_ in ("the", "this") for c in token.children):
            of = [c for p in token.children if p.lower_ == "of" for c in p.children]
            for noun, sure in [*((c, 0.85) for c in of), (token, DESCRIPTION)]:
                if (owner := self.coref.owner(noun.lemma_.lower(), sentence.index)) is not None:
                    return self._named(owner, min(confidence, sure))
            if (before := self.said.get(sentence.index - 1)) is not None:
                return _capped(before, min(confidence, DESCRIPTION))
        return self._unnamed(describe(token), EntityType.OTHER, confidence * UNNAMED)

    def _named(self, name: str, confidence: float, token: Token | None = None) -> Speaker | None:
        entity_type = self.entities.type_of(name)
        if entity_type == EntityType.PLACE:
            return None
        if entity_type == EntityType.GROUP and (token is None or token.tag_ not in ("NNPS", "NNS")):
            return None
        return Speaker(name, round(confidence, 3))

    def _unnamed(self, name: str, kind: EntityType, confidence: float) -> Speaker | None:
        if not name or not any(c.isalpha() for c in name):
            return None
        entity = self.new.setdefault(name, Entity(name, kind))
        return Speaker(name, round(confidence, 3), entity)

    def _main_speaker(self, index: int) -> Speaker | None:
        """The subject of the sentence's highest speech verb, outside its quotes."""
        span = self.parsed.sentences[index].span
        cues = [t for t in span if not self.coref.is_quoted(t) and self._cue_at(t) is not None]
        for cue in sorted(cues, key=lambda t: len(list(t.ancestors))):
            if (speaker := self.from_cue(cue, EXPLICIT)) is not None:
                return speaker
        return None

    def _remember(self, quote: Quote, speaker: Speaker) -> None:
        for index in range(quote.sentence, quote.last_sentence + 1):
            self.said[index] = speaker
        if quote.kind != QuoteKind.REPORTED:
            self.last_in[quote.paragraph] = speaker
        self.coref.spoke[speaker.name] = quote.last_sentence

    # --- facts ---------------------------------------------------------------------------

    def facts(self, quote: Quote, speaker: Speaker) -> list[Fact]:
        """One fact per sentence the quote runs through, each with the words of that
        sentence, so every fact's evidence is the one sentence that holds its words."""
        relation = "reported" if quote.kind == QuoteKind.REPORTED else ""
        facts = []
        for index in range(quote.sentence, quote.last_sentence + 1):
            sentence = self.parsed.sentences[index]
            lo = max(quote.start, sentence.span.start_char)
            hi = min(quote.end, sentence.span.end_char)
            words = _ELLIPSIS.sub("", self.texts[quote.paragraph][lo:hi].strip(' "“”«»„'))
            words = words.rstrip(" ,;:")
            if not any(c.isalpha() for c in words):
                continue
            if index > quote.sentence and len(words.split()) < _MIN_CONTINUED_WORDS:
                continue
            fact = Fact(FactKind.QUOTE, speaker.name, words, sentence.text, relation=relation)
            facts.append(replace(fact, confidence=speaker.confidence))
        return facts


def _subjects(verb: Token, depth: int = 0) -> list[Token]:
    """Who does the verb: its subject (the words nearest the verb first, when the parser
    splits one), the agent of a passive ("described by X as"), or the subject of the verb it
    hangs from ("said ..., also observing", "writing in a blog post")."""
    passive = ("nsubjpass",) if verb.lemma_ == "quote" else ()  # "X is quoted as saying"
    found = [c for c in verb.children if c.dep_ in ("nsubj", "csubj", *passive)]
    for child in verb.children:
        if child.dep_ == "agent":
            found += [c for c in child.children if c.dep_ == "pobj"]
    if found:
        return sorted(found, key=lambda t: abs(t.i - verb.i))
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return [verb.head]
    head = verb.head
    if verb.dep_ == "pcomp" and head.pos_ == "ADP":  # "quoted as saying", "after saying"
        head = head.head
    if verb.tag_ == "VBG":  # "X said the firm regretted it, adding": X adds, not the firm
        head = next((a for a in verb.ancestors if is_speech_verb(a)), head)
    hangs = verb.dep_ in ("conj", "xcomp", "advcl", "pcomp") and head.i != verb.i
    if hangs and depth < 3 and head.pos_ in ("VERB", "AUX"):
        return _subjects(head, depth + 1)
    return []


def _according_source(according: Token) -> Token | None:
    for prep in according.children:
        if prep.lower_ == "to":
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def _capped(speaker: Speaker | None, cap: float) -> Speaker | None:
    if speaker is None:
        return None
    return Speaker(speaker.name, round(min(speaker.confidence, cap), 3), speaker.entity)
