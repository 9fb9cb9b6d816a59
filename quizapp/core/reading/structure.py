"""The parsed article: one spaCy ``Doc`` per paragraph and the sentences they hold.

Every later step of reading works over this one structure. Sentences keep the article's own
characters (evidence is always shown verbatim) and know their paragraph, so a quote running on
into the next paragraph, or a pronoun pointing back one sentence, can be followed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from quizapp.core.reading.document import ArticleText, split_article

# A "sentence" longer than this is not one a learner could read in a question (a pasted table,
# a text without full stops): it is cut at the parser's clause boundaries instead.
MAX_SENTENCE_TOKENS = 120


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the article body, from 0
    paragraph: int  # the paragraph it belongs to, from 0
    span: Span  # the parse: tokens, entities, dependencies
    # The named entities inside the sentence, found once per paragraph: spaCy's ``Span.ents``
    # scans the whole paragraph's entities on every call, so asking each sentence of a long
    # paragraph for them grows with the square of its length.
    ents: tuple[Span, ...] = ()

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def doc(self) -> Doc:
        return self.span.doc


@dataclass(frozen=True)
class ParsedArticle:
    headline: str
    paragraphs: tuple[Doc, ...]
    sentences: tuple[Sentence, ...]

    def sentence_texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def askable_texts(self) -> list[str]:
        """The sentences a question may be made from: those with a verb. A verbless line
        ("Group F — Sweden 1 – 0 Korea Republic", a subheading) is shown, never asked."""
        return [s.text for s in self.sentences if any(t.pos_ in ("VERB", "AUX") for t in s.span)]

    def in_paragraph(self, paragraph: int) -> list[Sentence]:
        return [s for s in self.sentences if s.paragraph == paragraph]


def parse_article(text: str, nlp: Language) -> ParsedArticle:
    article = split_article(text)
    return parse_paragraphs(article, nlp)


def parse_paragraphs(article: ArticleText, nlp: Language) -> ParsedArticle:
    docs = tuple(nlp.pipe(article.paragraphs, batch_size=32))
    sentences: list[Sentence] = []
    for number, doc in enumerate(docs):
        if _is_dateline(doc):
            continue
        entities = list(doc.ents)
        at = 0
        for span in _sentences(doc):
            while at < len(entities) and entities[at].start < span.start:
                at += 1
            inside = []
            while at < len(entities) and entities[at].end <= span.end:
                inside.append(entities[at])
                at += 1
            if any(t.is_alpha for t in span):
                sentences.append(Sentence(len(sentences), number, span, tuple(inside)))
    return ParsedArticle(article.headline, docs, tuple(sentences))


def _is_dateline(doc: Doc) -> bool:
    """A paragraph that is only a date ("Saturday, December 7, 2019") dates the story; it is
    not one of its sentences."""
    words = [t for t in doc if t.is_alpha or t.like_num]
    return bool(words) and len(doc) <= 12 and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def _sentences(doc: Doc) -> Iterator[Span]:
    """The parser's sentences, trimmed of surrounding spaces; overlong ones are cut in pieces
    no longer than ``MAX_SENTENCE_TOKENS`` so no later step sees an unbounded sentence."""
    for sent in doc.sents:
        start, end = sent.start, sent.end
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        while end - start > MAX_SENTENCE_TOKENS:
            cut = _cut_point(doc, start, start + MAX_SENTENCE_TOKENS)
            yield doc[start:cut]
            start = cut
        if end > start:
            yield doc[start:end]


def _cut_point(doc: Doc, start: int, limit: int) -> int:
    """The last punctuation mark before ``limit``, else ``limit`` itself."""
    for i in range(limit - 1, start + MAX_SENTENCE_TOKENS // 2, -1):
        if doc[i].is_punct:
            return i + 1
    return limit
