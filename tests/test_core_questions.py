"""Question generation from facts: honest answers, honest distractors, repeatable shuffles."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.core.facts import (
    ArticleFacts,
    Entity,
    EntityType,
    Fact,
    FactKind,
    Side,
    loads_facts,
)
from quizapp.core.questions import (
    DEFAULT_POOL,
    E2EE_RELATION,
    GENERATORS,
    QuestionDraft,
    QuestionKind,
    Topic,
    generate_questions,
)
from quizapp.core.text import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = (SEEDS / "meta_e2ee_article.txt").read_text(encoding="utf-8")
SENTENCES = split_sentences(ARTICLE)
FACTS_TEXT = (SEEDS / "meta_e2ee_article.facts.json").read_text(encoding="utf-8")
REQUIRED = {
    "quote_speaker",
    "e2ee_apps",
    "regulator_power",
    "role_holder",
    "stance_side",
    "number_gap",
    "term_definition",
}


@pytest.fixture(scope="module")
def facts() -> ArticleFacts:
    return loads_facts(FACTS_TEXT, SENTENCES)


@pytest.fixture(scope="module")
def drafts(facts: ArticleFacts) -> list[QuestionDraft]:
    return generate_questions(facts, seed=0)


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


def _is_true(facts: ArticleFacts, draft: QuestionDraft, choice: str) -> bool:
    fact = _fact_of(facts, draft)
    same = [f for f in facts.facts if f.kind == fact.kind]
    oracle: dict[str, Callable[[], bool]] = {
        "quote_speaker": lambda: any(
            _canon(facts, f.subject) == choice and _norm(f.object) == _norm(fact.object)
            for f in same
        ),
        "e2ee_apps": lambda: any(
            f.relation == E2EE_RELATION and _canon(facts, f.object) == choice for f in same
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
        "number_gap": lambda: any(
            f.subject == fact.subject and f.relation == fact.relation and f.object == choice
            for f in same
        ),
        "term_definition": lambda: any(
            _canon(facts, f.subject) == choice and _norm(f.object) == _norm(fact.object)
            for f in same
        ),
    }
    return oracle[draft.generator]()


def _answer_in_stem(draft: QuestionDraft) -> bool:
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


def test_e2ee_question_lists_only_apps_its_evidence_names(
    facts: ArticleFacts, drafts: list[QuestionDraft]
) -> None:
    (question,) = [d for d in drafts if d.generator == "e2ee_apps"]
    assert question.kind == QuestionKind.MULTI
    assert question.topic == Topic.APPS
    correct = {question.choices[i] for i in question.answers}
    assert correct == {"Signal", "WhatsApp", "iMessage"}
    assert all(name in question.evidence for name in correct)


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
    first = generate_questions(facts, seed=7)
    again = generate_questions(facts, seed=7)
    other = generate_questions(facts, seed=8)
    assert first == again
    assert [d.choices for d in first] != [d.choices for d in other]
    _assert_sound(facts, other)


def test_adding_a_fact_does_not_reshuffle_other_questions(facts: ArticleFacts) -> None:
    extra = Fact(FactKind.ROLE, "Ciaran Martin", "cyber adviser", SENTENCES[0])
    grown = ArticleFacts(facts.entities, (extra, *facts.facts), facts.debate, facts.sides)
    before = {(d.fact_key, d.generator): d for d in generate_questions(facts, seed=3)}
    after = {(d.fact_key, d.generator): d for d in generate_questions(grown, seed=3)}
    assert all(after[key] == draft for key, draft in before.items())


def test_fast_enough(facts: ArticleFacts) -> None:
    start = time.perf_counter()
    generate_questions(facts)
    assert time.perf_counter() - start < 0.05


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

SENTENCE = 'Ann Lee said "we will never weaken encryption" and Bob Ray agreed.'


def _people(*names: str) -> tuple[Entity, ...]:
    return tuple(Entity(name, EntityType.PERSON) for name in names)


def _quote_facts(*people: str) -> ArticleFacts:
    fact = Fact(FactKind.QUOTE, "Ann Lee", "we will never weaken encryption", SENTENCE)
    return ArticleFacts(entities=_people(*people), facts=(fact,))


def test_too_few_people_skips_the_question_without_a_pool() -> None:
    assert generate_questions(_quote_facts("Ann Lee", "Bob Ray")) == []


def test_too_few_people_uses_the_pool_when_given() -> None:
    pool = {EntityType.PERSON: ("Cy Dent", "Ann Lee", "Di Fox", "Ed Gow")}
    (draft,) = generate_questions(_quote_facts("Ann Lee", "Bob Ray"), pool=pool)
    assert len(draft.choices) == 4
    assert draft.choices[draft.answers[0]] == "Ann Lee"
    assert "Bob Ray" in draft.choices  # article names come before pool names
    assert sorted(draft.choices).count("Ann Lee") == 1


def test_someone_else_saying_the_same_words_is_never_a_distractor() -> None:
    facts = ArticleFacts(
        entities=_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox", "Ed Gow"),
        facts=(
            Fact(FactKind.QUOTE, "Ann Lee", "we will never weaken encryption", SENTENCE),
            Fact(FactKind.QUOTE, "Bob Ray", "We will never weaken encryption.", SENTENCE),
        ),
    )
    for seed in range(20):
        for draft in generate_questions(facts, seed=seed):
            wrong = {c for i, c in enumerate(draft.choices) if i not in draft.answers}
            assert not wrong & {"Ann Lee", "Bob Ray"}


def test_people_holding_the_same_role_are_not_distractors() -> None:
    facts = ArticleFacts(
        entities=_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox", "Ed Gow"),
        facts=(
            Fact(FactKind.ROLE, "Ann Lee", "security minister", SENTENCE),
            Fact(FactKind.ROLE, "Bob Ray", "Minister of Security", SENTENCE),
        ),
    )
    drafts = generate_questions(facts)
    assert len(drafts) == 2
    for draft in drafts:
        assert "Bob Ray" not in draft.choices or "Ann Lee" not in draft.choices
        _assert_sound(facts, [draft])


def test_e2ee_members_from_other_sentences_are_neither_answers_nor_distractors() -> None:
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
        (draft,) = generate_questions(facts, seed=seed)
        assert draft.evidence == listing
        assert {draft.choices[i] for i in draft.answers} == {"Signal", "WhatsApp"}
        assert "Threema" not in draft.choices
        assert "Skype" in draft.choices  # an article app beats the pool
        assert set(draft.choices) - {"Signal", "WhatsApp", "Skype"} <= set(
            DEFAULT_POOL[EntityType.APP]
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
    drafts = generate_questions(facts, false_powers=("Fine firms", "ban apps", "tax apps", "x"))
    assert len(drafts) == 2
    _assert_sound(facts, drafts)


def test_number_gap_distractors_differ_from_every_true_value() -> None:
    sentence = "Since March 2021 the app has been banned twice."
    facts = ArticleFacts(
        entities=(),
        facts=(
            Fact(FactKind.NUMBER, "app", "March 2021", sentence, "banned since", "date"),
            Fact(FactKind.NUMBER, "app", "twice", sentence, "times banned", "times"),
        ),
    )
    (draft,) = generate_questions(facts)  # "twice" has no near misses we can honestly make
    assert draft.stem.endswith("Since _____ the app has been banned twice.")
    assert "March 2021" in draft.choices
    _assert_sound(facts, [draft])


def test_people_a_quote_talks_about_are_distractors_only_as_a_last_resort() -> None:
    sentence = 'Ann Lee said "Bob Ray is wrong about encryption" on Monday.'
    quote = Fact(FactKind.QUOTE, "Ann Lee", "Bob Ray is wrong about encryption", sentence)
    roomy = ArticleFacts(_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox", "Ed Gow"), (quote,))
    tight = ArticleFacts(_people("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox"), (quote,))
    for seed in range(20):
        (draft,) = generate_questions(roomy, seed=seed)
        assert "Bob Ray" not in draft.choices
    (draft,) = generate_questions(tight)
    assert "Bob Ray" in draft.choices
