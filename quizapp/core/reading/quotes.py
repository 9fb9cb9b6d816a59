"""Every quotation in an article, found before anyone is credited with it (``attribution``).

Quote marks are read from the characters around them, not from their glyph alone: pasted news
mixes straight and curly marks, closes with ``''`` or ``’’``, uses « » or single ‘…’ marks,
forgets to close a quote, or leaves a space on the wrong side of one. A mark can open when
nothing but space or punctuation stands before it and a word follows; it can close in the
mirror case; glyph direction breaks ties. Single marks count only outside double quotes and
never between two letters (an apostrophe). A quote left open at the end of a paragraph runs
to that end, and the next paragraph that opens with a mark continues it, as newspapers print
a speech over several paragraphs. Reported speech needs no marks: a clause governed by a speech
verb ("X said (that) ...", "X told the BBC it ...") or framed by "according to X". One pass
over each paragraph, no backtracking, so a paragraph of 20,000 quote marks costs what 20,000
letters do.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass
from enum import StrEnum

from spacy.tokens import Doc, Span, Token

from quizapp.core.reading.structure import ParsedArticle, Sentence


class QuoteKind(StrEnum):
    DIRECT = "direct"  # whole sentences in marks: "We will appeal," she said.
    PARTIAL = "partial"  # marked words inside the writer's sentence: called it "a disgrace"
    REPORTED = "reported"  # no marks: she said (that) the firm would appeal


# Speech verbs by lemma (the verb class, not the article's words): saying, writing, claiming
# and the verbs news uses to introduce a quote or a reported clause.
SPEECH_LEMMAS = frozenset(
    str.split(
        """say tell add state write argue warn explain claim insist announce declare assert
    allege note observe remark comment reply respond answer continue conclude admit
    acknowledge concede confirm deny stress emphasise emphasize suggest report reveal
    describe call term dub characterise characterize tweet post urge ask predict promise
    vow pledge accuse criticise criticize mention recall complain testify indicate read
    maintain contend reason theorise theorize agree tell recommend demand propose caution
    joke boast lament counter retort proclaim affirm reiterate speak quip concur charge
    estimate believe think fear hope"""
    )
)
# Verbs that may introduce reported speech (a "that" clause) without quote marks: opinion
# verbs such as "believe" frame a belief, not words someone said, so they are left out.
REPORTING_LEMMAS = SPEECH_LEMMAS - {
    "call", "term", "dub", "describe", "characterise", "characterize", "believe", "think",
    "fear", "hope", "ask", "urge", "demand", "speak", "read", "continue", "accuse", "charge",
}  # fmt: skip

_DOUBLE = {'"': 0, "“": 1, "„": 1, "‟": 1, "«": 1, "”": -1, "»": -1}
_SINGLE = {"'": 0, "‘": 1, "‚": 1, "`": 1, "’": -1}
_OPEN_AFTER = frozenset("([{—–-/:;,…") | frozenset(_DOUBLE) | frozenset(_SINGLE)
_CLOSE_BEFORE = frozenset(".,;:!?)]}—–-…") | frozenset(_DOUBLE) | frozenset(_SINGLE)
_SENTENCE_END = ".!?"
_SINGLE_MAX_CHARS = 250  # single marks this far apart are apostrophes, not a quote
_TRAILING = " \t,;:"
_DASH_LINE = re.compile(r"^\s*(?:[–—]|--?)\s*\w")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Words that join a frame to a clause rather than continue it.
_FRAMES = frozenset({"however", "but", "yet", "with", "as", "while", "whilst", "after", "before"})


@dataclass(frozen=True)
class Quote:
    """One quotation: where it is (sentence, paragraph, characters of the paragraph's text,
    tokens of its doc), its words verbatim, and how it was written."""

    sentence: int  # index of the sentence it starts in (``ParsedArticle.sentences``)
    last_sentence: int  # the sentence it ends in; a quote may run over several
    paragraph: int
    start: int  # first character of the quoted words in the paragraph's text
    end: int  # one past the last character
    text: str  # the quoted words, without the marks
    kind: QuoteKind
    continues: bool = False  # reopens a quote left open at the end of the previous paragraph
    closed: bool = True  # False: no closing mark, closed at the paragraph end or a new quote
    block: bool = False  # a whole paragraph quoted after an introduction ending in ":"
    cue: int | None = None  # reported speech: doc token of its speech verb or "according"
    mark_start: int = -1  # the opening mark's character; -1: none (reported, block quotes)

    def __post_init__(self) -> None:
        if self.mark_start < 0:
            object.__setattr__(self, "mark_start", self.start)

    def tokens(self, doc: Doc) -> Span:
        span = doc.char_span(self.start, self.end, alignment_mode="expand")
        return span if span is not None else doc[0:0]


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    double: bool
    glyph: int  # +1 an opening glyph, -1 a closing glyph, 0 a straight mark
    can_open: bool
    can_close: bool


@dataclass(frozen=True)
class _Span:
    mark: int  # the opening mark's first character
    start: int
    end: int
    closed: bool
    at_paragraph_end: bool = False


def find_quotes(parsed: ParsedArticle) -> list[Quote]:
    quotes: list[Quote] = []
    left_open = False
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in parsed.sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    texts = [doc.text for doc in parsed.paragraphs]  # Doc.text joins every token: once
    for number, text in enumerate(texts):
        sentences = by_paragraph.get(number, [])
        if not sentences:
            left_open = False
            continue
        marks = _marks(text)
        doubles = _double_spans(text, [m for m in marks if m.double])
        singles = _single_spans([m for m in marks if not m.double], doubles)
        spans = sorted(doubles + singles, key=lambda s: s.start)
        intro = number > 0 and texts[number - 1].rstrip().endswith(":")
        found = [
            q
            for span in spans
            if (q := _quote(text, span, sentences, number, left_open, intro)) is not None
        ]
        following = texts[number + 1] if number + 1 < len(texts) else ""
        if not found and intro and _block_follows(by_paragraph.get(number - 1), following):
            end = len(text.rstrip(_TRAILING))
            first, last = sentences[0].index, sentences[-1].index
            found = [Quote(first, last, number, 0, end, text[:end], QuoteKind.DIRECT, block=True)]
        quotes.extend(found)
        quotes.extend(_reported(sentences, found))
        left_open = bool(doubles) and doubles[-1].at_paragraph_end
    return sorted(quotes, key=lambda q: (q.sentence, q.start))


def _marks(text: str) -> list[_Mark]:
    """Every quote mark with what its neighbours allow it to be; two single marks side by
    side (``''``, ``’’``, ````) are one double mark."""
    marks: list[_Mark] = []
    n = len(text)
    i = 0
    while i < n:
        char = text[i]
        if char not in _DOUBLE and char not in _SINGLE:
            i += 1
            continue
        length, double = 1, char in _DOUBLE
        if not double and i + 1 < n and text[i + 1] in _SINGLE and text[i + 1] != "‚":
            length, double = 2, True
        glyph = _DOUBLE.get(char, _SINGLE.get(char, 0))
        left = text[i - 1] if i else " "
        right = text[i + length] if i + length < n else " "
        if not double and left.isalnum() and right.isalnum():
            i += length  # an apostrophe: don't, it’s, O'Neill
            continue
        can_open = (left.isspace() or left in _OPEN_AFTER) and not right.isspace()
        can_close = (right.isspace() or right in _CLOSE_BEFORE) and not left.isspace()
        if char in "«»":  # French quotes are spaced inside: the glyph alone decides
            can_open, can_close = glyph > 0, glyph < 0
        marks.append(_Mark(i, i + length, double, glyph, can_open, can_close))
        i += length
    return marks


def _double_spans(text: str, marks: list[_Mark]) -> list[_Span]:
    """Pair double marks left to right. A mark that can only open while a quote is open means
    the open one was never closed: it ends with the last sentence before the new mark."""
    spans: list[_Span] = []
    opened: _Mark | None = None
    for k, mark in enumerate(marks):
        if opened is None:
            if mark.can_open or mark.glyph > 0 or not mark.can_close:
                opened = mark
            continue
        opens = mark.can_open and not mark.can_close
        if mark.can_open == mark.can_close:
            opens = mark.glyph > 0
        if not opens:
            spans.append(_Span(opened.start, opened.end, mark.start, True))
            opened = None
            continue
        before = text[opened.end : mark.start].rstrip()
        if k == len(marks) - 1 and mark.glyph == 0 and before[-1:] in _SENTENCE_END:
            # the paragraph's last mark after a full stop: a closing mark typed after a space
            spans.append(_Span(opened.start, opened.end, mark.start, True))
            opened = None
            continue
        cut = max(before.rfind(c) for c in _SENTENCE_END)
        end = opened.end + cut + 1 if cut >= 0 else mark.start
        spans.append(_Span(opened.start, opened.end, end, False))
        opened = mark
    if opened is not None:
        spans.append(_Span(opened.start, opened.end, len(text), False, at_paragraph_end=True))
    return spans


def _single_spans(marks: list[_Mark], doubles: list[_Span]) -> list[_Span]:
    """Single-mark quotes outside double quotes: an opener, then the first closer within
    ``_SINGLE_MAX_CHARS``; an opener never closed is an apostrophe ('90s) and is dropped."""
    spans: list[_Span] = []
    ends = [d.end for d in doubles]
    pending: _Mark | None = None
    for mark in marks:
        k = bisect_right(ends, mark.start)
        inside = k < len(doubles) and doubles[k].mark <= mark.start
        if inside:
            continue
        if pending is not None and (
            mark.start - pending.end > _SINGLE_MAX_CHARS or bisect_right(ends, pending.start) != k
        ):
            pending = None
        if mark.can_open and (not mark.can_close or mark.glyph > 0):
            pending = mark
        elif pending is not None and mark.can_close:
            spans.append(_Span(pending.start, pending.end, mark.start, True))
            pending = None
    return spans


def _quote(
    text: str,
    span: _Span,
    sentences: list[Sentence],
    paragraph: int,
    left_open: bool,
    intro: bool,
) -> Quote | None:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    words = text[start:end]
    if not any(c.isalpha() for c in words):
        return None
    first, last = _sentence_at(sentences, start), _sentence_at(sentences, end - 1)
    at_start = not text[: span.mark].strip()
    before = text[: span.mark].rstrip()[-1:]
    letter = next((c for c in words if c.isalpha()), "")
    direct = before in ("", ":", ",", "—", "–") or before in _SENTENCE_END
    if not direct and letter.isupper() and len(words.split()) >= 4:
        # said on Twitter "X is ...": a sentence of its own, unlike the case "A vs. B"
        tokens = first.doc.char_span(start, end, alignment_mode="expand")
        direct = tokens is not None and any(t.tag_ in _FINITE_TAGS for t in tokens)
    return Quote(
        sentence=first.index,
        last_sentence=last.index,
        paragraph=paragraph,
        start=start,
        end=end,
        text=words,
        kind=QuoteKind.DIRECT if direct else QuoteKind.PARTIAL,
        continues=left_open and at_start,
        closed=span.closed,
        block=intro and at_start,
        mark_start=span.mark,
    )


def _sentence_at(sentences: list[Sentence], char: int) -> Sentence:
    """The sentence holding character ``char`` of the paragraph (the next one when it falls
    between sentences)."""
    k = bisect_right(sentences, char, key=lambda s: s.span.end_char)
    return sentences[min(k, len(sentences) - 1)]


def _block_follows(intro: list[Sentence] | None, following: str) -> bool:
    """An unmarked paragraph after one ending in ":" is a block quote when the article signs
    it with a dash line ("– European Court of Justice") or introduces it with a speech verb."""
    if _DASH_LINE.match(following) and len(following.split()) <= 12:
        return True
    if not intro:
        return False
    last = intro[-1].span
    colon = last[-1].i if last[-1].text == ":" else last.end
    return any(is_speech_verb(t) for t in last.doc[colon - 4 : colon])


def is_speech_verb(token: Token) -> bool:
    """A speech verb, or a speech lemma heading its sentence that the tagger called a noun
    ("The statement read:")."""
    return token.lemma_ in SPEECH_LEMMAS and (token.pos_ == "VERB" or token.dep_ == "ROOT")


def _reported(sentences: list[Sentence], marked: list[Quote]) -> list[Quote]:
    """Reported speech: a finite clause with its own subject governed by a speech verb, or
    the rest of a clause framed by "according to X". Clauses holding quote marks are left to
    the marked quotes, which carry the exact words."""
    covered = sorted((q.mark_start, q.end + 1) for q in marked)
    found: list[Quote] = []
    for sentence in sentences:
        for token in sentence.span:
            clause = _reported_clause(token, sentence.span)
            if clause is None or len(clause) < 3:
                continue
            lo, hi = clause[0].idx, clause[-1].idx + len(clause[-1])
            if _overlaps(covered, lo, hi) or _overlaps(covered, token.idx, token.idx + 1):
                continue
            index, kind = sentence.index, QuoteKind.REPORTED
            found.append(
                Quote(index, index, sentence.paragraph, lo, hi, clause.text, kind, cue=token.i)
            )
            insort(covered, (lo, hi))
    return found


def _overlaps(covered: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Whether [lo, hi) meets one of the sorted, disjoint ``covered`` ranges."""
    k = bisect_right(covered, (hi, -1))
    return k > 0 and covered[k - 1][1] > lo


def _reported_clause(token: Token, sentence: Span) -> Span | None:
    if token.lower_ == "according" and token.dep_ == "prep":
        return _according_clause(token, sentence)
    if token.lemma_ not in REPORTING_LEMMAS or token.pos_ != "VERB":
        return None
    if not any(c.dep_ in _SUBJECTS or c.dep_ == "agent" for c in token.children) and (
        token.dep_ not in ("conj", "advcl", "relcl", "xcomp")
    ):
        return None
    for child in token.children:
        if child.dep_ == "ccomp" and _finite_clause(child):
            if child.i < token.i and not _closes_with_speaker(child, token):
                continue
            return _trim(child.doc, child.left_edge.i, _clause_end(child), sentence)
    return None


def _clause_end(verb: Token) -> int:
    """Where a reported clause ends: before a trailing ", with the i reporting ..." or ", as
    the court found", which frame the words rather than belong to them."""
    doc = verb.doc
    for child in verb.rights:
        edge = child.left_edge
        if (
            child.dep_ in ("prep", "advcl")
            and edge.lower_ in _FRAMES
            and doc[edge.i - 1].text == ","
        ):
            return edge.i - 1
    return verb.right_edge.i + 1


def _closes_with_speaker(clause: Token, verb: Token) -> bool:
    """A clause before its speech verb is reported speech only as "Clause, X added.": a
    comma, the subject, the verb, and nothing after it but an adverbial."""
    doc = verb.doc
    between = doc[clause.right_edge.i + 1 : verb.i]
    if not between or between[0].text != "," or any(t.lower_ in _FRAMES for t in between):
        return False
    if any(c.dep_ not in ("advmod", "npadvmod", "prep", "punct") for c in verb.rights):
        return False  # "..., however Sergey said he ...": the verb has words of its own
    return all(t.head == verb or t.head.head == verb or t.is_punct for t in between[1:])


def _finite_clause(verb: Token) -> bool:
    """A clause that reads well after "that": its own subject and a finite verb."""
    has_subject = any(c.dep_ in _SUBJECTS or c.dep_ == "expl" for c in verb.children)
    finite = verb.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in verb.children
    )
    return has_subject and finite and verb.left_edge.tag_ not in ("WDT", "WP", "WRB")


def _according_clause(according: Token, sentence: Span) -> Span | None:
    """ "According to X, clause." or "Clause, according to X.": the clause without the frame,
    and only when the frame opens or closes its clause (a frame in mid-clause leaves no
    clause that reads well on its own)."""
    verb = according.head
    if not _finite_clause(verb) or not any(
        c.dep_ == "pobj" for t in according.children for c in t.children
    ):
        return None
    lo, hi = verb.left_edge.i, verb.right_edge.i + 1
    frame_lo, frame_hi = according.left_edge.i, according.right_edge.i + 1
    doc = sentence.doc
    while lo < frame_lo and (doc[lo].dep_ in ("mark", "cc") or doc[lo].is_punct):
        lo += 1
    if frame_lo == lo:
        return _trim(doc, frame_hi, hi, sentence)
    tail = doc[frame_hi:hi]
    if all(t.is_punct for t in tail):
        return _trim(doc, lo, frame_lo, sentence)
    return None


def _trim(doc: Doc, lo: int, hi: int, sentence: Span) -> Span | None:
    lo, hi = max(lo, sentence.start), min(hi, sentence.end)
    while lo < hi and (doc[lo].is_punct or (doc[lo].lower_ == "that" and doc[lo].dep_ == "mark")):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return doc[lo:hi] if hi > lo else None
