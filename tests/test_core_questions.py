"""Question generation from facts: honest answers, honest distractors, repeatable shuffles."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence

import pytest

from quizapp.core.facts import (
    ArticleFacts,
    Entity,
    EntityType,
    Fact,
    FactKind,
    FactsFileError,
    Side,
    loads_facts,
)
from quizapp.core.questions import (
    BLANK,
    DistractorPool,
    PoolError,
    QuestionDraft,
    QuestionKind,
    Topic,
    distractors,
    generate_questions,
    load_pool,
    load_pools,
    pool_for,
)
from quizapp.core.questions.generate import GENERATORS
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.structure import parse_article

from .conftest import SEED_ARTICLE, SEEDS

ARTICLE = SEED_ARTICLE.read_text(encoding="utf-8")
SENTENCES = parse_article(ARTICLE, load_nlp()).sentence_texts()
FACTS_TEXT = (SEEDS / "meta_e2ee_article.facts.json").read_text(encoding="utf-8")
E2EE_RELATION = "uses end-to-end encryption"  # the seed's curated set
POOLS = load_pools(json.loads((SEEDS / "distractors.json").read_text(encoding="utf-8")))
POOL = pool_for(POOLS, SENTENCES)  # the pools the seed article is about, as imports use
REQUIRED = {
    "quote_speaker",
    "set_members",
    "regulator_power",
    "role_holder",
    "stance_side",
    "term_definition",
    "cloze",
    "true_false",
}


@pytest.fixture(scope="module")
def facts() -> ArticleFacts:
    return loads_facts(FACTS_TEXT, SENTENCES)


@pytest.fixture(scope="module")
def drafts(facts: ArticleFacts) -> list[QuestionDraft]:
    return generate_questions(facts, seed=0, pool=POOL, sentences=SENTENCES)


# --- an independent oracle: is this choice true by the facts? ---------------------------------


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .")


def _canon(facts: ArticleFacts, name: str) -> str:
    entity = facts.entity(name)
    return entity.name if entity else name


def _role(role: str) -> frozenset[str]:
    return frozenset(w for w in role.casefold().split() if w not in {"of", "the", "a", "an"})


def _fact_of(facts: ArticleFacts, draft: QuestionDraft) -> Fact:
    return next(f for f in facts.facts if f.key == draft.fact_key)


def _straight(text: str) -> str:
    return text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2019": "'"}))


def _statement_true(facts: ArticleFacts, fact: Fact, stem: str) -> bool:
    """Read a true/false statement back into a claim and check it against the facts."""
    same = [f for f in facts.facts if f.kind == fact.kind]
    statement = stem.split("? ", 1)[1]
    checks: list[tuple[str, Callable[[re.Match[str]], bool]]] = [
        (
            r"The article describes (.+) as (?:the |a |an )?(.+)\.$",
            lambda m: any(
                _canon(facts, f.subject) == m[1] and _role(f.object) == _role(m[2]) for f in same
            ),
        ),
        (
            r"According to the article, (.+) uses end-to-end encryption\.$",
            lambda m: any(_canon(facts, f.object) == m[1] for f in same),
        ),
        (
            r"According to the article, (.+?) (is one of the .+)\.$",
            lambda m: any(_canon(facts, f.object) == m[1] and f.relation == m[2] for f in same),
        ),
        (
            r".* might give (?:the )?(.+) the authority to (.+)\.$",
            lambda m: any(
                _canon(facts, f.subject) == m[1] and _norm(f.object) == _norm(m[2]) for f in same
            ),
        ),
        (
            r"Going by the article, (?:the )?(.+) (?:is|are) on the side \u201c(.+)\u201d\.$",
            lambda m: any(
                _canon(facts, f.subject).casefold() == m[1].casefold()
                and facts.side_label(f.object) == m[2]
                for f in same
            ),
        ),
        (
            r"The article says: (.+)$",
            lambda m: _straight(m[1]).strip('"') == _straight(fact.evidence).strip('"'),
        ),
        (
            r"According to the article, (?:the )?(.+?) said (?:that )?(.+)$",
            lambda m: any(
                _canon(facts, f.subject).casefold() == m[1].casefold()
                and _norm(_straight(m[2]).replace('"', "")) == _norm(f.object)
                for f in same
            ),
        ),
    ]
    for pattern, check in checks:
        match = re.match(pattern, statement)
        if match:
            return check(match)
    raise AssertionError(f"unreadable statement: {statement}")


def _fills_gap(facts: ArticleFacts, draft: QuestionDraft, choice: str) -> bool:
    """A gap-fill choice is true when, written in the gap (by any of its names), it gives back
    the article's sentence."""
    gapped = _straight(draft.stem.split("? ", 1)[1]).casefold()
    evidence = _straight(draft.evidence).casefold()
    entity = facts.entity(choice)
    names = [choice, *((entity.name, *entity.aliases) if entity else ())]
    parts = gapped.split(BLANK)
    for filling in itertools.product(names, repeat=len(parts) - 1):
        filled = parts[0] + "".join(
            n.casefold() + part for n, part in zip(filling, parts[1:], strict=True)
        )
        if filled == evidence:
            return True
    return False


def _is_true(facts: ArticleFacts, draft: QuestionDraft, choice: str) -> bool:
    if draft.generator == "cloze":
        return _fills_gap(facts, draft, choice)
    fact = _fact_of(facts, draft)
    same = [f for f in facts.facts if f.kind == fact.kind]
    oracle: dict[str, Callable[[], bool]] = {
        "quote_speaker": lambda: any(
            _canon(facts, f.subject) == choice and _norm(f.object) == _norm(fact.object)
            for f in same
        ),
        "set_members": lambda: any(
            f.subject == fact.subject
            and f.evidence == draft.evidence
            and _canon(facts, f.object) == choice
            for f in same
        ),
        "regulator_power": lambda: any(
            f.subject == fact.subject and _norm(f.object) == _norm(choice) for f in same
        ),
        "role_holder": lambda: any(
            _canon(facts, f.subject) == choice and _role(f.object) == _role(fact.object)
            for f in same
        ),
        "stance_side": lambda: any(
            f.subject == fact.subject and facts.side_label(f.object) == choice for f in same
        ),
        "term_definition": lambda: any(
            _canon(facts, f.subject) == choice and _norm(f.object) == _norm(fact.object)
            for f in same
        ),
        "true_false": lambda: _statement_true(facts, fact, draft.stem) == (choice == "True"),
    }
    return oracle[draft.generator]()


def _answer_in_stem(draft: QuestionDraft) -> bool:
    if draft.kind == QuestionKind.TRUE_FALSE:
        return False  # "True" is a label, not content; a statement may contain the word
    return any(
        re.search(rf"(?<!\w){re.escape(draft.choices[i])}(?!\w)", draft.stem, re.I)
        for i in draft.answers
    )


def _assert_sound(facts: ArticleFacts, drafts: list[QuestionDraft]) -> None:
    for draft in drafts:
        truth = {i for i, choice in enumerate(draft.choices) if _is_true(facts, draft, choice)}
        assert truth == set(draft.answers), (draft.stem, draft.choices, draft.answers)
        folded = [c.casefold() for c in draft.choices]
        assert len(set(folded)) == len(folded), draft.choices
        assert not any("all of the above" in c for c in folded)
        assert not _answer_in_stem(draft), draft.stem


# --- the seed article -------------------------------------------------------------------------


def test_curated_facts_load_and_cite_article_sentences(facts: ArticleFacts) -> None:
    raw = json.loads(FACTS_TEXT)
    assert len(facts.facts) == len(raw["facts"])
    assert all(fact.evidence in SENTENCES for fact in facts.facts)
    assert {side.key for side in facts.sides} >= {f.object for f in facts.of_kind(FactKind.STANCE)}


def test_answers_true_and_distractors_false_by_the_facts(
    facts: ArticleFacts, drafts: list[QuestionDraft]
) -> None:
    _assert_sound(facts, drafts)


def test_every_required_generator_appears(drafts: list[QuestionDraft]) -> None:
    assert {d.generator for d in drafts} == REQUIRED
    assert {name for name, _ in GENERATORS} == REQUIRED


def test_evidence_is_a_verbatim_sentence_with_explanation(drafts: list[QuestionDraft]) -> None:
    for draft in drafts:
        assert draft.evidence in SENTENCES
        assert draft.explanation.strip()
        assert draft.fact_key


def test_choice_counts_by_kind(facts: ArticleFacts, drafts: list[QuestionDraft]) -> None:
    for draft in drafts:
        if draft.generator == "stance_side":
            assert len(draft.choices) == min(len(facts.sides), 4)
        elif draft.generator in (
            "cloze",
            "quote_speaker",
            "role_holder",
        ):  # among three when names run out
            assert 3 <= len(draft.choices) <= 4
            assert len(draft.answers) == 1
        elif draft.kind == QuestionKind.SINGLE:
            assert len(draft.choices) == 4
            assert len(draft.answers) == 1
        elif draft.kind == QuestionKind.MULTI:
            assert len(draft.choices) >= 4
            assert len(draft.choices) - len(draft.answers) >= 2
        else:
            assert draft.choices == ("True", "False")


def test_no_duplicate_questions(drafts: list[QuestionDraft]) -> None:
    identities = Counter((d.fact_key, d.generator) for d in drafts)
    assert max(identities.values()) == 1
    assert len({d.stem for d in drafts}) == len(drafts)


def test_a_listed_set_is_asked_with_every_member_gapped(
    facts: ArticleFacts, drafts: list[QuestionDraft]
) -> None:
    listed = [d for d in drafts if d.generator == "set_members"]
    assert listed
    (question,) = [d for d in listed if "iMessage" in d.evidence]
    assert question.kind == QuestionKind.MULTI
    assert question.topic == Topic.GROUPS
    correct = {question.choices[i] for i in question.answers}
    assert correct == {"Signal", "WhatsApp", "iMessage"}
    assert all(name in question.evidence and name not in question.stem for name in correct)
    assert question.stem.count(BLANK) == 3


def test_role_spelled_two_ways_is_asked_once(drafts: list[QuestionDraft]) -> None:
    tugendhat = [
        d
        for d in drafts
        if d.generator == "role_holder" and "Tom Tugendhat" in [d.choices[i] for i in d.answers]
    ]
    assert len(tugendhat) == 1


def test_quote_stems_use_curly_quotes_and_hide_the_speaker(drafts: list[QuestionDraft]) -> None:
    for draft in (d for d in drafts if d.generator == "quote_speaker"):
        assert '"' not in draft.stem
        assert "Tugendhat" not in draft.stem and "Mr. Martin" not in draft.stem


def test_shuffle_repeatable_per_seed(facts: ArticleFacts) -> None:
    first = generate_questions(facts, seed=7, pool=POOL, sentences=SENTENCES)
    again = generate_questions(facts, seed=7, pool=POOL, sentences=SENTENCES)
    other = generate_questions(facts, seed=8, pool=POOL, sentences=SENTENCES)
    assert first == again
    assert [d.choices for d in first] != [d.choices for d in other]
    _assert_sound(facts, other)


def test_adding_a_fact_does_not_reshuffle_other_questions(facts: ArticleFacts) -> None:
    extra = Fact(FactKind.ROLE, "Ciaran Martin", "cyber adviser", SENTENCES[0])
    grown = ArticleFacts(facts.entities, (extra, *facts.facts), facts.debate, facts.sides)
    before = {(d.fact_key, d.generator): d for d in generate_questions(facts, 3, POOL, SENTENCES)}
    after = {(d.fact_key, d.generator): d for d in generate_questions(grown, 3, POOL, SENTENCES)}
    assert all(after[key] == draft for key, draft in before.items())


def test_to_json_shape(drafts: list[QuestionDraft]) -> None:
    assert set(drafts[0].to_json()) == {
        "kind",
        "topic",
        "stem",
        "choices",
        "answers",
        "explanation",
        "evidence",
    }


# --- small hand-built articles ----------------------------------------------------------------

SENTENCE = 'Ann Lee said "we will never weaken encryption" to the committee.'


def _people(*names: str) -> tuple[Entity, ...]:
    return tuple(Entity(name, EntityType.PERSON) for name in names)


def _quote_facts(*people: str) -> ArticleFacts:
    fact = Fact(FactKind.QUOTE, "Ann Lee", "we will never weaken encryption", SENTENCE)
    return ArticleFacts(entities=_people(*people), facts=(fact,))


def _made_by(generator: str, drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    return [d for d in drafts if d.generator == generator]


def test_too_few_people_skips_the_question_without_a_pool() -> None:
    assert _made_by("quote_speaker", generate_questions(_quote_facts("Ann Lee", "Bob Ray"))) == []


def test_too_few_people_uses_the_pool_when_given() -> None:
    pool = DistractorPool(names={EntityType.PERSON: ("Cy Dent", "Ann Lee", "Di Fox", "Ed Gow")})
    (draft,) = _made_by(
        "quote_speaker", generate_questions(_quote_facts("Ann Lee", "Bob Ray"), pool=pool)
    )
    assert len(draft.choices) == 4
    assert draft.choices[draft.answers[0]] == "Ann Lee"
    assert "Bob Ray" in draft.choices  # article names come before pool names
    assert sorted(draft.choices).count("Ann Lee") == 1


def test_a_name_beside_the_quote_is_never_a_distractor() -> None:
    """ "The High Court of England and Wales said: ..." read as two names must not offer
    "Wales" as the wrong speaker."""
    sentence = 'Ann Lee and Bob Ray said "we will never weaken encryption" together.'
    fact = Fact(FactKind.QUOTE, "Ann Lee", "we will never weaken encryption", sentence)
    facts = ArticleFacts(entities=_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox"), facts=(fact,))
    (draft,) = _made_by("quote_speaker", generate_questions(facts))
    assert "Bob Ray" not in draft.choices


def test_someone_else_saying_the_same_words_is_never_a_distractor() -> None:
    facts = ArticleFacts(
        entities=_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox", "Ed Gow"),
        facts=(
            Fact(FactKind.QUOTE, "Ann Lee", "we will never weaken encryption", SENTENCE),
            Fact(FactKind.QUOTE, "Bob Ray", "We will never weaken encryption.", SENTENCE),
        ),
    )
    for seed in range(20):
        for draft in _made_by("quote_speaker", generate_questions(facts, seed=seed)):
            wrong = {c for i, c in enumerate(draft.choices) if i not in draft.answers}
            assert not wrong & {"Ann Lee", "Bob Ray"}


def test_a_role_two_people_hold_has_no_one_holder_to_ask_about() -> None:
    facts = ArticleFacts(
        entities=_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox", "Ed Gow"),
        facts=(
            Fact(FactKind.ROLE, "Ann Lee", "security minister", SENTENCE),
            Fact(FactKind.ROLE, "Bob Ray", "Minister of Security", SENTENCE),
            Fact(FactKind.ROLE, "Cy Dent", "mayor of Oakton", SENTENCE),
        ),
    )
    for seed in range(10):
        drafts = generate_questions(facts, seed)
        _assert_sound(facts, drafts)
        (mayor,) = _made_by("role_holder", drafts)
        assert mayor.choices[mayor.answers[0]] == "Cy Dent"


def test_set_members_from_other_sentences_are_neither_answers_nor_distractors() -> None:
    listing = "Signal and WhatsApp use it."
    aside = "Threema uses it too."
    facts = ArticleFacts(
        entities=tuple(
            Entity(name, EntityType.APP) for name in ("Signal", "WhatsApp", "Threema", "Skype")
        ),
        facts=(
            Fact(FactKind.MEMBER, "apps", "Threema", aside, E2EE_RELATION),
            Fact(FactKind.MEMBER, "apps", "Signal", listing, E2EE_RELATION),
            Fact(FactKind.MEMBER, "apps", "WhatsApp", listing, E2EE_RELATION),
        ),
    )
    for seed in range(20):
        drafts = generate_questions(facts, seed, POOL, [listing, aside])
        (draft,) = _made_by("set_members", drafts)
        assert draft.evidence == listing
        assert {draft.choices[i] for i in draft.answers} == {"Signal", "WhatsApp"}
        assert "Threema" not in draft.choices
        assert "Skype" in draft.choices  # an article app beats the pool
        assert set(draft.choices) - {"Signal", "WhatsApp", "Skype"} <= set(
            POOL.of_type(EntityType.APP)
        )


def test_stance_skipped_when_someone_is_on_both_sides() -> None:
    sides = (Side("for", "For"), Side("against", "Against"))
    facts = ArticleFacts(
        entities=_people("Ann Lee"),
        facts=(
            Fact(FactKind.STANCE, "Ann Lee", "for", SENTENCE),
            Fact(FactKind.STANCE, "Ann Lee", "against", SENTENCE),
        ),
        sides=sides,
    )
    assert generate_questions(facts) == []


def test_power_distractors_never_include_a_power_the_facts_give() -> None:
    sentence = "The Bill lets Ofcom fine firms and order scanning."
    facts = ArticleFacts(
        entities=(Entity("Ofcom", EntityType.REGULATOR),),
        facts=(
            Fact(FactKind.POWER, "Ofcom", "fine firms", sentence, "the Bill"),
            Fact(FactKind.POWER, "Ofcom", "order scanning", sentence, "the Bill"),
        ),
    )
    pool = DistractorPool(false_powers=("Fine firms", "ban apps", "tax apps", "x"))
    drafts = [d for d in generate_questions(facts, pool=pool) if d.generator == "regulator_power"]
    assert len(drafts) == 2
    _assert_sound(facts, drafts)


def _gap_fills(facts: ArticleFacts, sentences: Sequence[str], seed: int = 0) -> list[QuestionDraft]:
    return _made_by("cloze", generate_questions(facts, seed, sentences=sentences))


def test_a_number_gap_never_offers_another_true_value() -> None:
    sentence = "Since March 2021 the app has been banned twice."
    facts = ArticleFacts(
        entities=(),
        facts=(
            Fact(FactKind.NUMBER, "app", "March 2021", sentence, "banned since", "date"),
            Fact(FactKind.NUMBER, "app", "twice", sentence, "times banned", "times"),
        ),
    )
    for seed in range(10):
        (draft,) = _gap_fills(facts, [sentence], seed)
        assert draft.stem.endswith("Since _____ the app has been banned twice.")
        assert draft.choices[draft.answers[0]] == "March 2021"
        assert draft.topic == Topic.NUMBERS
        _assert_sound(facts, [draft])


def test_people_a_quote_talks_about_are_distractors_only_as_a_last_resort() -> None:
    sentence = 'Ann Lee said "Bob Ray is wrong about encryption" on Monday.'
    quote = Fact(FactKind.QUOTE, "Ann Lee", "Bob Ray is wrong about encryption", sentence)
    roomy = ArticleFacts(_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox", "Ed Gow"), (quote,))
    tight = ArticleFacts(_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox"), (quote,))
    for seed in range(20):
        (draft,) = _made_by("quote_speaker", generate_questions(roomy, seed=seed))
        assert "Bob Ray" not in draft.choices
    (draft,) = _made_by("quote_speaker", generate_questions(tight))
    assert "Bob Ray" in draft.choices


# --- the new kinds ----------------------------------------------------------------------------

_NEGATIONS = re.compile(r"\b(not|never|no|n't|cannot)\b", re.I)


def test_quote_speaker_asks_about_every_quote_including_reported_speech(
    facts: ArticleFacts, drafts: list[QuestionDraft]
) -> None:
    asked = {d.fact_key for d in _made_by("quote_speaker", drafts)}
    assert asked == {f.key for f in facts.of_kind(FactKind.QUOTE)}


def test_true_false_has_both_answers_and_false_ones_swap_a_single_part(
    facts: ArticleFacts,
) -> None:
    by_fact: dict[str, dict[str, set[str]]] = {}
    for seed in range(25):
        for draft in _made_by("true_false", generate_questions(facts, seed, POOL)):
            truth = draft.choices[draft.answers[0]]
            by_fact.setdefault(draft.fact_key, {}).setdefault(truth, set()).add(draft.stem)
    assert sum("False" in answers for answers in by_fact.values()) >= 5
    for answers in by_fact.values():
        if "False" not in answers or "True" not in answers:
            continue
        (true_stem,) = answers["True"]
        for false_stem in answers["False"]:
            true_words, false_words = true_stem.split(), false_stem.split()
            start = 0
            while true_words[start] == false_words[start]:
                start += 1
            end = 0
            shortest = min(len(true_words), len(false_words))
            while end < shortest - start and true_words[-1 - end] == false_words[-1 - end]:
                end += 1
            swapped_out = " ".join(true_words[start : len(true_words) - end])
            swapped_in = " ".join(false_words[start : len(false_words) - end])
            assert swapped_in, (true_stem, false_stem)  # "a million" -> "a hundred million"
            # Swapping, never negating: the false statement adds no negation of its own.
            assert len(_NEGATIONS.findall(false_stem)) <= len(_NEGATIONS.findall(true_stem))
            swapped_out = re.sub(r"^the ", "", swapped_out, flags=re.I)
            swapped_in = re.sub(r"^the ", "", swapped_in, flags=re.I)
            kept = {e.type for e in facts.entities if e.name == swapped_out}
            if kept:  # a whole name was swapped: the new one is of the same type
                new_type = facts.entity_type(swapped_in)
                pool_types = {t for t in EntityType if swapped_in in POOL.of_type(t)}
                assert kept & ({new_type} | pool_types), (swapped_out, swapped_in)


def test_true_false_false_statements_are_false_by_the_facts(facts: ArticleFacts) -> None:
    for seed in range(10):
        drafts = _made_by("true_false", generate_questions(facts, seed, POOL))
        assert {d.kind for d in drafts} == {QuestionKind.TRUE_FALSE}
        _assert_sound(facts, drafts)


def test_gap_fills_take_one_name_or_number_out_of_a_sentence(
    facts: ArticleFacts, drafts: list[QuestionDraft]
) -> None:
    gaps = _made_by("cloze", drafts)
    assert len(gaps) >= 10
    assert len({d.evidence for d in gaps}) == len(gaps)  # one gap per sentence
    assert {d.topic for d in gaps} >= {Topic.NAMES, Topic.NUMBERS}
    for draft in gaps:
        prompt, gapped = draft.stem.split("? ", 1)
        assert prompt == "Which fills the gap in this sentence from the article"
        assert 1 <= gapped.count(BLANK) <= 2, draft.stem
        # No wrong choice is already in the sentence, where the learner could see it.
        others = [c for i, c in enumerate(draft.choices) if i not in draft.answers]
        assert not any(re.search(rf"\b{re.escape(c)}\b", gapped, re.I) for c in others)


def test_a_gap_stays_outside_the_quoted_words_when_it_can() -> None:
    sentence = 'Ann Lee told Radio Five that "Bob Ray never reads the small print" on Monday.'
    facts = ArticleFacts(
        entities=(
            *_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox"),
            Entity("Radio Five", EntityType.ORGANISATION),
        ),
        facts=(),
    )
    for seed in range(10):
        (draft,) = _gap_fills(facts, [sentence], seed)
        assert "\u201cBob Ray never reads the small print\u201d" in draft.stem
        _assert_sound(facts, [draft])


def test_short_sentences_get_no_gap() -> None:
    facts = ArticleFacts(entities=_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox"), facts=())
    assert _gap_fills(facts, ["Ann Lee agreed.", "Bob Ray did not agree at all."]) != []
    assert _gap_fills(facts, ["Ann Lee agreed.", "Bob Ray did not."]) == []


def _unit(value: str) -> str:
    if re.fullmatch(r"[A-Z][a-z]+ \d{4}", value):
        return "month-year"
    if re.fullmatch(r"[A-Z][a-z]+", value):
        return "month"
    if re.fullmatch(r"[a-z]+", value):
        return "count-word"
    magnitude = (
        r"thousands|millions|billions|hundreds|dozens|thousand|million|billion|hundred|ten|a"
    )
    return re.sub(rf"(?:(?:\d[\d,]*|{magnitude})\s?)+", "# ", value).strip()


def test_numeric_distractors_share_the_unit_and_differ_from_the_answer(
    drafts: list[QuestionDraft],
) -> None:
    numbers = [d for d in _made_by("cloze", drafts) if d.topic == Topic.NUMBERS]
    assert len(numbers) >= 4
    for draft in numbers:
        answer = draft.choices[draft.answers[0]]
        assert {_unit(c) for c in draft.choices} == {_unit(answer)}, draft.choices
        assert len({c.casefold() for c in draft.choices}) == len(draft.choices)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,200 reports", "2,400 reports"),
        ("40%", "50%"),
        ("in 2019", "in 2018"),
        ("March", "April"),
        ("250", "500"),
    ],
)
def test_number_near_misses_keep_the_unit(value: str, expected: str) -> None:
    sentence = f"The figure they gave was {value} last time."
    fact = Fact(FactKind.NUMBER, "figure", value, sentence, "the figure", "count")
    facts = ArticleFacts(entities=(), facts=(fact,))
    choices = set()
    for seed in range(30):
        (draft,) = _gap_fills(facts, [sentence], seed)
        choices |= set(draft.choices)
    assert expected in choices
    assert value in choices
    assert {_unit(c) for c in choices} == {_unit(value)}


# --- the distractor pool ----------------------------------------------------------------------


def test_pool_loads_from_a_dict() -> None:
    pool = load_pool(
        {"about": "x", "apps": ["Threema", "threema ", "Wire"], "roles": ["r"], "false_powers": []}
    )
    assert pool.of_type(EntityType.APP) == ("Threema", "Wire")
    assert pool.of_type(EntityType.LAW) == ()
    assert pool.roles == ("r",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"regulator": ["Ofgem"]}, "unknown distractor pool section 'regulator'"),
        ({"apps": "Signal"}, "must be a list of names"),
        ({"apps": ["", "Wire"]}, "must be a list of names"),
        (["apps"], "must be a JSON object"),
    ],
)
def test_pool_refuses_bad_data(data: object, message: str) -> None:
    with pytest.raises(PoolError, match=re.escape(message)):
        load_pool(data)  # type: ignore[arg-type]


def test_shipped_pools_serve_the_seed_and_name_nothing_in_it(facts: ArticleFacts) -> None:
    assert len(POOLS) >= 3 and all(p.subject for p in POOLS)
    for entity_type in (EntityType.APP, EntityType.REGULATOR, EntityType.LAW, EntityType.TERM):
        assert len(POOL.of_type(entity_type)) >= 3, entity_type
    assert len(POOL.roles) >= 3 and len(POOL.false_powers) >= 3
    article_names = {e.name.casefold() for e in facts.entities}
    pooled = {n.casefold() for t in EntityType for n in POOL.of_type(t)}
    assert not pooled & article_names


def test_an_article_gets_only_the_pools_it_is_about() -> None:
    apps = load_pool({"subject": "apps", "keywords": ["encryption", "messaging"], "apps": ["Wire"]})
    power = load_pool(
        {"subject": "energy", "keywords": ["grid", "power"], "organisations": ["EDF"]}
    )
    everyone = load_pool({"subject": "countries", "places": ["Chile"]})
    chosen = pool_for((apps, power, everyone), ["Messaging apps use encryption."])
    assert chosen.of_type(EntityType.APP) == ("Wire",)
    assert chosen.of_type(EntityType.ORGANISATION) == ()
    assert chosen.of_type(EntityType.PLACE) == ("Chile",)


def test_true_false_swaps_the_role_when_there_is_nobody_else_to_swap_in() -> None:
    sentence = "Ann Lee, the Data Commissioner, spoke on Monday."
    facts = ArticleFacts(
        entities=_people("Ann Lee"),
        facts=(Fact(FactKind.ROLE, "Ann Lee", "Data Commissioner", sentence),),
    )
    stems = set()
    for seed in range(20):
        (draft,) = _made_by("true_false", generate_questions(facts, seed, POOL))
        truth = draft.choices[draft.answers[0]]
        role = draft.stem.split(" as the ", 1)[1].rstrip(".")
        assert (role == "Data Commissioner") == (truth == "True")
        assert role == "Data Commissioner" or role in POOL.roles
        stems.add(draft.stem)
    assert len(stems) >= 2


def test_true_false_states_a_role_spelled_two_ways_once(
    facts: ArticleFacts, drafts: list[QuestionDraft]
) -> None:
    tugendhat_roles = {f.key for f in facts.of_kind(FactKind.ROLE) if f.subject == "Tom Tugendhat"}
    assert len(tugendhat_roles) == 2
    stated = [d for d in _made_by("true_false", drafts) if d.fact_key in tugendhat_roles]
    assert len(stated) == 1


def test_a_name_nested_in_the_answer_is_never_a_distractor() -> None:
    names = ("European Commission", "Commission", "EU Centre", "Europol", "Interpol")
    fact = Fact(FactKind.QUOTE, "European Commission", "scanning must go ahead", SENTENCE)
    facts = ArticleFacts(
        entities=tuple(Entity(n, EntityType.ORGANISATION) for n in names), facts=(fact,)
    )
    for seed in range(10):
        (draft,) = _made_by("quote_speaker", generate_questions(facts, seed))
        assert "Commission" not in draft.choices
        assert draft.choices[draft.answers[0]] == "European Commission"


# --- sets --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relation", "stated"),
    [
        (E2EE_RELATION, True),
        ("is one of the apps that are the most used by pupils", True),
        ("messaging apps", False),
        ("apps", False),
        ("covered by chat control", False),
    ],
)
def test_a_member_is_stated_only_with_a_relation_that_reads_as_a_predicate(
    relation: str, stated: bool
) -> None:
    sentence = "Apps such as Signal and WhatsApp are popular."
    facts = ArticleFacts(
        entities=tuple(Entity(n, EntityType.APP) for n in ("Signal", "WhatsApp", "Threema")),
        facts=(Fact(FactKind.MEMBER, "apps", "Signal", sentence, relation),),
    )
    drafts = _made_by("true_false", generate_questions(facts, pool=POOL))
    assert bool(drafts) == stated
    for draft in drafts:
        assert draft.stem.endswith(f" {relation}.")


@pytest.mark.parametrize(
    ("member_type", "relation"),
    [
        (EntityType.APP, E2EE_RELATION),
        (EntityType.ORGANISATION, "is one of the companies that criticised the bill"),
        (EntityType.REGULATOR, "is one of the regulators that have asked for scanning"),
    ],
)
def test_a_member_statement_is_studied_with_groups_whatever_its_members_are(
    member_type: EntityType, relation: str
) -> None:
    sentence = "Names such as Acme and Bolt are in this sentence."
    facts = ArticleFacts(
        entities=(Entity("Acme", member_type), Entity("Bolt", member_type)),
        facts=(Fact(FactKind.MEMBER, "companies", "Acme", sentence, relation),),
    )
    (draft,) = _made_by("true_false", generate_questions(facts))
    assert draft.topic == Topic.GROUPS


# --- picking distractors from many names ------------------------------------------------------


class _CountingNames(Sequence[str]):
    """A tier that counts how many of its names were looked at."""

    def __init__(self, names: list[str]) -> None:
        self.names, self.looked_at = names, 0

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        self.looked_at += 1
        return self.names[index]


def test_a_pick_from_thousands_of_names_looks_at_a_few() -> None:
    """Distractors were drawn by shuffling, and checking, every name of the type for every
    question: an article naming thousands of people took minutes to import."""
    names = _CountingNames([f"Person {n:05d}" for n in range(20_000)])
    picked = distractors.pick(random.Random(1), [names], exclude={"person 00007"}, count=3)
    assert len(picked) == 3 and len(set(picked)) == 3 and "Person 00007" not in picked
    assert names.looked_at == 3
    # when nearly every name is true, the tier gives up after a bounded number of names
    everyone = _CountingNames(names.names)
    true = {f"person {n:05d}" for n in range(20_000)}
    picked = distractors.pick(random.Random(1), [everyone, ["Zed Quill"]], exclude=true, count=1)
    assert picked == ["Zed Quill"]
    assert everyone.looked_at == distractors._SCAN_LIMIT


def test_the_random_order_is_a_permutation_fixed_by_the_seed() -> None:
    names = [f"n{i}" for i in range(50)]
    order = list(distractors._random_order(random.Random(3), names))
    assert sorted(order) == sorted(names) and order != names
    assert order == list(distractors._random_order(random.Random(3), names))


def test_a_candidate_nested_in_or_around_a_true_name_is_never_offered() -> None:
    picked = distractors.pick(
        random.Random(0),
        [["Commission", "European Commission of Europe", "Home Office", "Ofcom"]],
        exclude={"european commission"},
        count=3,
    )
    assert sorted(picked) == ["Home Office", "Ofcom"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"facts": [{"subject": "Ofcom"}]}', "missing the field 'kind'"),
        ('{"facts": ["Ofcom regulates"]}', "does not have the expected shape"),
        ('{"entities": ["Ofcom"], "facts": []}', "does not have the expected shape"),
        ('{"facts": [{"kind": "rumour", "subject": "a", "object": "b", "evidence": "c"}]}',
         "does not have the expected shape"),
    ],
)  # fmt: skip
def test_a_malformed_facts_file_says_what_is_wrong_in_words(data: str, message: str) -> None:
    """Messages were Python's own ("KeyError('type')"), and a list of names crashed."""
    with pytest.raises(FactsFileError, match=re.escape(message)):
        loads_facts(data, SENTENCES)
