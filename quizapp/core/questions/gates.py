"""Quality gates: every generated draft is checked here before it is saved, with reasons.

Generators already try to follow these rules; the gates are the safety net for facts that
nobody curated (extraction), and the report that tells a teacher or the CLI why a draft was
dropped instead of losing it silently.

How a draft's support is found: a draft carries its fact's ``fact_key``; the gate looks the
fact up in the article's facts. A correct answer is supported when one of its names (the
entity's name or aliases) appears in the evidence sentence. When the evidence only points
at the fact's subject with a pronoun or a description ("According to her", "the
statement added"), the sentence that pronoun points to is the nearest earlier sentence,
at most PRONOUN_REACH sentences back, that names the subject; the subject may be found
there instead. Without a referring word (or a quote running on from an earlier sentence)
there is nothing to point back, and the evidence alone must carry the answer.

Answers that are labels rather than article text (a side of the debate, True/False) are
supported when the fact's subject is found in either sentence, or, when the subject is a
category rather than a named entity ("apps" in a "member" fact), the fact's object is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizapp.core.facts import ATTRIBUTION_THRESHOLD, ArticleFacts, EntityType, Fact, FactKind
from quizapp.core.questions.drafts import CHOICES_MAX, GAP_KEY_PREFIX, QuestionDraft, QuestionKind

STEM_MIN, STEM_MAX = 10, 700  # characters: a gap in a long sentence of news still reads
CHOICE_MIN, CHOICE_MAX = 1, 200
CHOICES_MIN = 2
PRONOUN_REACH = 3  # sentences back a pronoun may point; further, a reader loses the thread
QUOTE_REACH = 6  # sentences back a quote running on over paragraphs may have named its speaker
# Words that point back at someone named earlier. A sentence opening with a quotation mark
# also may: a quote running on from the previous paragraph keeps its speaker.
_REFERRING = re.compile(
    r"\b(he|she|it|they|him|her|his|its|their|them|we|our|us|I|the (company|firm|statement"
    r"|organi[sz]ation|minister|government|regulator|group|boss))\b",
    re.I,
)
_BANNED_CHOICES = ("all of the above", "none of the above")
# Stems a teacher would send back: a determiner straight before a preposition or another
# determiner ("the between Prime Minister"), or a word written twice ("the the").
_BROKEN = re.compile(
    r"\b(?:the|a|an)\s+(?:the|a|an|of|between|to|from|with|and|or|but|is|are|was|were|it|he"
    r"|she|they)\b|\b(\w{2,})\s+\1\b(?<!\bthat that\b)(?<!\bhad had\b)"
    r"|\b(?:by|of|to|with|for|from|in|on|at|the|a|an|and)\.$",
    re.I,
)
_COPY_PREFIXES = ("True or false? ", "The article says: ")
NEAR_DUPLICATE = 0.6  # share of stem words two questions on one sentence and answer may share
ANSWER_HINT_MIN = 4  # an answer this long showing inside any word of the stem gives it away


@dataclass(frozen=True)
class Dropped:
    draft: QuestionDraft
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class GateReport:
    kept: tuple[QuestionDraft, ...]
    dropped: tuple[Dropped, ...]


def run_gates(
    drafts: Iterable[QuestionDraft], facts: ArticleFacts, sentences: Sequence[str]
) -> GateReport:
    """Split drafts into kept and dropped, in order; a later copy of a question is dropped.

    A duplicate is a second draft on the same fact made by the same generator (the
    question's kind as the learner sees it: cloze, true/false, who said this...).
    """
    kept: list[QuestionDraft] = []
    dropped: list[Dropped] = []
    seen: set[tuple[str, str]] = set()
    # Kept one-answer questions by (evidence, answer), with their stems' words.
    asked: dict[tuple[str, str], list[frozenset[str]]] = {}
    positions = {sentence: number for number, sentence in reversed(list(enumerate(sentences)))}
    for draft in drafts:
        reasons = check_draft(draft, facts, sentences, positions)
        identity = (draft.fact_key, draft.generator)
        if identity in seen:
            reasons.append(
                f"duplicate: an earlier {draft.generator or 'question'} already tests this fact"
            )
        answer = _one_answer(draft)
        words = _stem_words(draft.stem)
        if answer and any(
            _overlap(words, other) >= NEAR_DUPLICATE
            for other in asked.get((draft.evidence, answer), ())
        ):
            reasons.append(
                "near-duplicate: an earlier question asks almost the same for the same answer"
                " from this sentence"
            )
        if reasons:
            dropped.append(Dropped(draft, tuple(reasons)))
        else:
            seen.add(identity)
            if answer:
                asked.setdefault((draft.evidence, answer), []).append(words)
            kept.append(draft)
    return GateReport(tuple(kept), tuple(dropped))


def _stem_words(stem: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", stem.casefold()))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(len(a | b), 1)


def _one_answer(draft: QuestionDraft) -> str:
    """The answer of a one-answer question that is not true/false, folded; else ""."""
    if draft.kind != QuestionKind.SINGLE or len(draft.answers) != 1:
        return ""
    index = draft.answers[0]
    return _fold(draft.choices[index]) if 0 <= index < len(draft.choices) else ""


def check_draft(
    draft: QuestionDraft,
    facts: ArticleFacts,
    sentences: Sequence[str],
    positions: Mapping[str, int] | None = None,
) -> list[str]:
    """Why this one draft may not be saved; an empty list means it passes every gate."""
    if positions is None:
        positions = {sentence: number for number, sentence in reversed(list(enumerate(sentences)))}
    reasons = [*_shape_reasons(draft), *_choice_reasons(draft), *_wording_reasons(draft)]
    reasons.extend(_named_in_stem(draft, facts))
    if draft.evidence not in positions:
        reasons.append("evidence is not a sentence of the article, word for word")
    else:
        reasons.extend(_support_reasons(draft, facts, sentences, positions))
    return reasons


def _named_in_stem(draft: QuestionDraft, facts: ArticleFacts) -> list[str]:
    """A person keyed as the answer whose first or last name the stem still shows ("...,
    however Sergey said") is given away, though the whole name is not there."""
    if draft.kind == QuestionKind.TRUE_FALSE:
        return []
    reasons = []
    for index in draft.answers:
        answer = draft.choices[index] if 0 <= index < len(draft.choices) else ""
        if facts.entity_type(answer) != EntityType.PERSON:
            continue
        shown = [
            w for w in answer.split() if len(w) > 2 and w[0].isupper() and _contains(draft.stem, w)
        ]
        if shown:
            reasons.append(f"the stem names the answer {answer!r} by {shown[0]!r}")
    return reasons


def broken_wording(stem: str) -> str:
    """The words that make a stem unreadable ("the between"), or "" when it reads."""
    broken = _BROKEN.search(" ".join(stem.replace(_GAP, " ").split()))
    return broken.group() if broken else ""


def _wording_reasons(draft: QuestionDraft) -> list[str]:
    reasons = []
    broken = broken_wording(draft.stem)
    if broken:
        reasons.append(f"the stem does not read as English: {broken!r}")
    if draft.kind == QuestionKind.TRUE_FALSE and draft.answers == (0,):
        statement = draft.stem
        for prefix in _COPY_PREFIXES:
            statement = statement.removeprefix(prefix)
        if _fold(_straight(statement)) == _fold(_straight(draft.evidence)):
            reasons.append("a true statement that only copies its sentence tests nothing")
    return reasons


def _straight(text: str) -> str:
    return text.translate(_STRAIGHT_QUOTES)


def _shape_reasons(draft: QuestionDraft) -> list[str]:
    reasons = []
    stem_length = len(draft.stem.strip())
    if not STEM_MIN <= stem_length <= STEM_MAX:
        reasons.append(f"stem is {stem_length} characters; it must be {STEM_MIN} to {STEM_MAX}")
    count = len(draft.choices)
    if not CHOICES_MIN <= count <= CHOICES_MAX:
        reasons.append(f"{count} choices; a question needs {CHOICES_MIN} to {CHOICES_MAX}")
    bad = [i for i in draft.answers if not 0 <= i < count]
    if bad:
        reasons.append(f"answer index {bad[0]} is not one of the {count} choices")
    if len(set(draft.answers)) != len(draft.answers):
        reasons.append("an answer index is listed twice")
    if draft.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(draft.answers) != 1:
        reasons.append(
            f"a {draft.kind} question needs exactly one answer, not {len(draft.answers)}"
        )
    if draft.kind == QuestionKind.MULTI and not draft.answers:
        reasons.append("a multi question needs at least one answer")
    return reasons


def _choice_reasons(draft: QuestionDraft) -> list[str]:
    reasons = []
    seen: set[str] = set()
    for number, choice in enumerate(draft.choices, start=1):
        length = len(choice.strip())
        if not CHOICE_MIN <= length <= CHOICE_MAX:
            reasons.append(
                f"choice {number} is {length} characters; it must be {CHOICE_MIN} to {CHOICE_MAX}"
            )
        folded = _fold(choice)
        if folded in seen:
            reasons.append(f"choice {number} repeats an earlier choice: {choice!r}")
        seen.add(folded)
        if any(banned in folded for banned in _BANNED_CHOICES):
            reasons.append(f"choice {number} is a catch-all ({choice!r}), which is never allowed")
    # A true/false answer is a fixed label, not content: "true" in a statement gives nothing away.
    if draft.kind != QuestionKind.TRUE_FALSE:
        stem = _fold(_straight(draft.stem))
        for index in draft.answers:
            if not 0 <= index < len(draft.choices):
                continue
            answer = draft.choices[index]
            folded = _fold(_straight(answer))
            if _contains(draft.stem, answer) or (len(folded) >= ANSWER_HINT_MIN and folded in stem):
                reasons.append(f"the answer {answer!r} appears in the stem")
    return reasons


def _support_reasons(
    draft: QuestionDraft,
    facts: ArticleFacts,
    sentences: Sequence[str],
    positions: Mapping[str, int],
) -> list[str]:
    fact = facts.fact(draft.fact_key)
    if fact is None and draft.fact_key.startswith(GAP_KEY_PREFIX):
        # A gap in a sentence tests the sentence itself: the answer must be written in it.
        return [
            f"the answer {draft.choices[i]!r} is not written in the evidence sentence"
            for i in draft.answers
            if 0 <= i < len(draft.choices)
            and not _mentions(draft.evidence, facts, draft.choices[i])
        ]
    if fact is None:
        return [f"no fact of the article has the draft's key {draft.fact_key!r}"]
    if (
        fact.kind == FactKind.QUOTE
        and fact.confidence < ATTRIBUTION_THRESHOLD
        and draft.kind != QuestionKind.TRUE_FALSE
        and any(draft.choices[i] == fact.subject for i in draft.answers if i < len(draft.choices))
    ):
        return [
            f"who said it is unsure (confidence {fact.confidence:.2f}): a teacher should confirm"
            " the speaker first"
        ]
    places = [draft.evidence]
    antecedent = _antecedent(fact, facts, sentences, draft.evidence, positions)
    if antecedent is not None:
        places.append(antecedent)
    subject_found = any(_mentions(place, facts, fact.subject) for place in places)
    # A subject that is no named entity ("apps") is a category; the object carries the fact.
    fact_found = subject_found or (
        facts.entity(fact.subject) is None and _mentions(draft.evidence, facts, fact.object)
    )
    reasons = []
    for index in draft.answers:
        if not 0 <= index < len(draft.choices):
            continue
        answer = draft.choices[index]
        if _is_label(draft, fact, facts, answer):
            supported = fact_found
        else:
            supported = _mentions(draft.evidence, facts, answer) or (
                _same_entity(facts, answer, fact.subject) and subject_found
            )
        if not supported:
            reasons.append(
                f"the answer {answer!r} is not supported by the evidence sentence"
                " (nor by the sentence a pronoun in it points to)"
            )
    return reasons


def _antecedent(
    fact: Fact,
    facts: ArticleFacts,
    sentences: Sequence[str],
    evidence: str,
    positions: Mapping[str, int],
) -> str | None:
    """The nearest earlier sentence naming the fact's subject, when the evidence refers to it."""
    if _mentions(evidence, facts, fact.subject):
        return None
    # A quote reading followed back to its speaker (a quote running on from an earlier
    # sentence or paragraph) points back as a pronoun does. Reading's confidence is below
    # 1; a curated or confirmed fact (1.0) claims its speaker outright, so its sentence, or
    # the one a pronoun in it points to, must show them.
    followed = fact.kind == FactKind.QUOTE and ATTRIBUTION_THRESHOLD <= fact.confidence < 1
    if not (followed or _REFERRING.search(evidence) or evidence.startswith(('"', "\u201c"))):
        return None
    position = positions[evidence]
    reach = QUOTE_REACH if followed else PRONOUN_REACH
    for earlier in reversed(sentences[max(0, position - reach) : position]):
        if _mentions(earlier, facts, fact.subject):
            return earlier
    return None


def _is_label(draft: QuestionDraft, fact: Fact, facts: ArticleFacts, answer: str) -> bool:
    """Answers the article never writes: True/False, and the debate's own side labels."""
    if draft.kind == QuestionKind.TRUE_FALSE:
        return True
    return fact.kind == FactKind.STANCE and answer == facts.side_label(fact.object)


def _same_entity(facts: ArticleFacts, a: str, b: str) -> bool:
    entity = facts.entity(a)
    return entity is not None and entity == facts.entity(b)


def _mentions(text: str, facts: ArticleFacts, name: str) -> bool:
    entity = facts.entity(name)
    names = [entity.name, *entity.aliases] if entity else [name]
    return any(_contains(text, n) for n in names)


def _contains(text: str, phrase: str) -> bool:
    """Whole words, case and spacing ignored: "four" is in "met four times", not "fourteen"."""
    pattern = _phrase_pattern(" ".join(phrase.split()))
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=16_384)
def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    # Compiled once per phrase: re's own cache (512) is far smaller than a long article's names.
    if not phrase:
        return None
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.I)


_GAP = "_____"
_STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
