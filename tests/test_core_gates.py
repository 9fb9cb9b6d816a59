"""Quality gates: each gate catches a hand-made bad draft and says why; seed drafts all pass."""

from __future__ import annotations

import dataclasses
import json

import pytest

from quizapp.core.facts import ArticleFacts, Entity, EntityType, Fact, FactKind, loads_facts
from quizapp.core.questions import (
    QuestionDraft,
    QuestionKind,
    Topic,
    generate_questions,
    load_pools,
    pool_for,
    run_gates,
)
from quizapp.core.questions.gates import CHOICE_MAX, STEM_MAX, STEM_MIN, check_draft
from quizapp.core.reading.nlp import load_nlp
from quizapp.core.reading.structure import parse_article

from .conftest import SEED_ARTICLE, SEEDS

ARTICLE = SEED_ARTICLE.read_text(encoding="utf-8")
SEED_SENTENCES = parse_article(ARTICLE, load_nlp()).sentence_texts()
POOL = pool_for(
    load_pools(json.loads((SEEDS / "distractors.json").read_text(encoding="utf-8"))),
    SEED_SENTENCES,
)

SENTENCES = [
    "Ann Lee leads the Data Office.",
    "She said the plan was reckless.",
    "Bob Ray runs Signal.",
]
FACTS = ArticleFacts(
    entities=(
        Entity("Ann Lee", EntityType.PERSON, ("Ms. Lee",)),
        Entity("Bob Ray", EntityType.PERSON),
        Entity("Cy Dent", EntityType.PERSON),
        Entity("Di Fox", EntityType.PERSON),
    ),
    facts=(
        Fact(FactKind.ROLE, "Ann Lee", "head of the Data Office", SENTENCES[0]),
        Fact(FactKind.QUOTE, "Ann Lee", "the plan was reckless", SENTENCES[1]),
    ),
)
ROLE_KEY, QUOTE_KEY = (f.key for f in FACTS.facts)


def good(**changes: object) -> QuestionDraft:
    draft = QuestionDraft(
        kind=QuestionKind.SINGLE,
        topic=Topic.ROLES,
        stem="Who leads the Data Office, according to the article?",
        choices=("Ann Lee", "Bob Ray", "Cy Dent", "Di Fox"),
        answers=(0,),
        explanation="The article says so.",
        evidence=SENTENCES[0],
        fact_key=ROLE_KEY,
        generator="role_holder",
    )
    return dataclasses.replace(draft, **changes)  # type: ignore[arg-type]


def is_near_duplicate(reasons: tuple[str, ...]) -> bool:
    return len(reasons) == 1 and reasons[0].startswith("near-duplicate: ")


def reasons(draft: QuestionDraft) -> list[str]:
    return check_draft(draft, FACTS, SENTENCES)


def test_a_good_draft_passes() -> None:
    assert reasons(good()) == []


def test_every_seed_draft_passes_the_gates_but_for_near_duplicates_of_a_kept_one() -> None:
    facts = loads_facts(
        (SEEDS / "meta_e2ee_article.facts.json").read_text(encoding="utf-8"), SEED_SENTENCES
    )
    for seed in range(5):
        drafts = generate_questions(facts, seed, POOL, SEED_SENTENCES)
        report = run_gates(drafts, facts, SEED_SENTENCES)
        assert report.kept
        assert [d for d in report.dropped if not is_near_duplicate(d.reasons)] == []
        asked = {(k.evidence, k.choices[k.answers[0]]) for k in report.kept if len(k.answers) == 1}
        for dropped in report.dropped:
            draft = dropped.draft
            assert (draft.evidence, draft.choices[draft.answers[0]]) in asked
        assert len(report.kept) + len(report.dropped) == len(drafts)


def test_evidence_must_be_a_verbatim_sentence() -> None:
    draft = good(evidence="Ann Lee leads the Data Office")  # full stop missing
    assert reasons(draft) == ["evidence is not a sentence of the article, word for word"]


def test_answer_must_be_supported_by_the_evidence() -> None:
    draft = good(evidence=SENTENCES[2])
    assert reasons(draft) == [
        "the answer 'Ann Lee' is not supported by the evidence sentence"
        " (nor by the sentence a pronoun in it points to)"
    ]


def test_a_resolved_pronoun_finds_support_in_the_sentence_it_points_to() -> None:
    draft = good(
        stem="Who said that the plan was reckless?",
        evidence=SENTENCES[1],
        fact_key=QUOTE_KEY,
        generator="quote_speaker",
        topic=Topic.QUOTES,
    )
    assert reasons(draft) == []
    # Without the earlier sentence naming her, "She" points nowhere the gate can check.
    assert check_draft(draft, FACTS, SENTENCES[1:]) != []


def test_a_draft_must_name_a_fact_of_the_article() -> None:
    assert reasons(good(fact_key="role|Nobody||x")) == [
        "no fact of the article has the draft's key 'role|Nobody||x'"
    ]


@pytest.mark.parametrize(
    ("stem", "message"),
    [
        ("Who?", f"stem is 4 characters; it must be {STEM_MIN} to {STEM_MAX}"),
        ("W" * (STEM_MAX + 1), f"stem is {STEM_MAX + 1} characters; it must be"),
    ],
)
def test_stem_length_limits(stem: str, message: str) -> None:
    assert any(r.startswith(message) for r in reasons(good(stem=stem)))


def test_choice_length_limits() -> None:
    long = "x" * (CHOICE_MAX + 1)
    assert reasons(good(choices=("Ann Lee", "Bob Ray", " ", long))) == [
        "choice 3 is 0 characters; it must be 1 to 200",
        f"choice 4 is {CHOICE_MAX + 1} characters; it must be 1 to 200",
    ]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (("Ann Lee",), "1 choices; a question needs 2 to 8"),
        ((*(f"Name {i}" for i in range(8)), "Ann Lee"), "9 choices; a question needs 2 to 8"),
    ],
)
def test_choice_count_limits(choices: tuple[str, ...], message: str) -> None:
    answer = choices.index("Ann Lee")
    assert message in reasons(good(choices=choices, answers=(answer,)))


def test_answers_must_be_valid_indexes() -> None:
    assert "answer index 4 is not one of the 4 choices" in reasons(good(answers=(4,)))


@pytest.mark.parametrize("kind", [QuestionKind.SINGLE, QuestionKind.TRUE_FALSE])
def test_single_and_true_false_need_exactly_one_answer(kind: QuestionKind) -> None:
    draft = good(kind=kind, answers=(0, 1))
    assert f"a {kind} question needs exactly one answer, not 2" in reasons(draft)


def test_an_answer_may_not_be_listed_twice() -> None:
    draft = good(kind=QuestionKind.MULTI, answers=(0, 0))
    assert reasons(draft) == ["an answer index is listed twice"]


def test_multi_needs_an_answer() -> None:
    draft = good(kind=QuestionKind.MULTI, answers=())
    assert "a multi question needs at least one answer" in reasons(draft)


def test_choices_may_not_repeat_whatever_the_case_or_spacing() -> None:
    draft = good(choices=("Ann Lee", "Bob Ray", "bob  ray", "Di Fox"))
    assert reasons(draft) == ["choice 3 repeats an earlier choice: 'bob  ray'"]


def test_answer_may_not_appear_in_the_stem() -> None:
    draft = good(stem="Does Ann Lee lead the Data Office, according to the article?")
    assert "the answer 'Ann Lee' appears in the stem" in reasons(draft)


def test_a_persons_first_or_last_name_in_the_stem_gives_the_answer_away() -> None:
    draft = good(stem="Who leads the Data Office, as Ann told the article's reporter?")
    assert reasons(draft) == ["the stem names the answer 'Ann Lee' by 'Ann'"]


def test_an_answer_showing_inside_a_word_of_the_stem_gives_it_away() -> None:
    draft = good(
        stem="Who leads the Data Office, the Bob Rayburn Trust's sister, in the article?",
        answers=(1,),
        evidence=SENTENCES[2],
    )
    assert "the answer 'Bob Ray' appears in the stem" in reasons(draft)


def test_true_false_labels_may_appear_in_the_statement() -> None:
    draft = good(
        kind=QuestionKind.TRUE_FALSE,
        stem="True or false? Ann Lee is the head of the Data Office, which is True to its name.",
        choices=("True", "False"),
        answers=(0,),
    )
    assert reasons(draft) == []


def test_a_true_statement_that_only_copies_its_sentence_is_refused() -> None:
    statement = good(
        kind=QuestionKind.TRUE_FALSE,
        stem="True or false? Ann  lee leads the Data Office.",
        choices=("True", "False"),
        answers=(0,),
    )
    assert reasons(statement) == ["a true statement that only copies its sentence tests nothing"]
    # A false statement differs from its sentence by construction; its copy check never applies.
    assert reasons(dataclasses.replace(statement, answers=(1,))) == []


@pytest.mark.parametrize(
    "stem", ["Who leads the between Data Office?", "Who leads the the office?"]
)
def test_a_stem_that_does_not_read_is_refused(stem: str) -> None:
    assert any(r.startswith("the stem does not read as English") for r in reasons(good(stem=stem)))


def test_who_said_questions_on_an_unsure_attribution_are_dropped() -> None:
    unsure = Fact(FactKind.QUOTE, "Ann Lee", "the plan was reckless", SENTENCES[1], confidence=0.4)
    facts = dataclasses.replace(FACTS, facts=(FACTS.facts[0], unsure))
    draft = good(
        stem="Who said that the plan was reckless?",
        evidence=SENTENCES[1],
        fact_key=unsure.key,
        generator="quote_speaker",
        topic=Topic.QUOTES,
    )
    assert check_draft(draft, facts, SENTENCES) == [
        "who said it is unsure (confidence 0.40): a teacher should confirm the speaker first"
    ]
    assert check_draft(draft, FACTS, SENTENCES) == []  # the same quote, sure of its speaker


@pytest.mark.parametrize("catch_all", ["All of the above", "none of the  above"])
def test_catch_all_choices_are_refused(catch_all: str) -> None:
    draft = good(choices=("Ann Lee", "Bob Ray", "Cy Dent", catch_all))
    assert reasons(draft) == [f"choice 4 is a catch-all ({catch_all!r}), which is never allowed"]


def test_run_gates_keeps_the_first_of_two_questions_on_one_fact_and_kind() -> None:
    first = good()
    second = good(stem="Which person leads the Data Office in the article?")
    other_kind = good(
        kind=QuestionKind.TRUE_FALSE,
        generator="true_false",
        stem="True or false? Ann Lee is the head of the Data Office.",
        choices=("True", "False"),
        answers=(0,),
    )
    bad = good(answers=(9,))
    report = run_gates([first, second, other_kind, bad], FACTS, SENTENCES)
    assert report.kept == (first, other_kind)
    assert [d.draft for d in report.dropped] == [second, bad]
    assert report.dropped[0].reasons == (
        "duplicate: an earlier role_holder already tests this fact",
    )
    assert report.dropped[1].reasons == (
        "answer index 9 is not one of the 4 choices",
        "duplicate: an earlier role_holder already tests this fact",
    )


def test_run_gates_drops_another_kind_asking_the_same_answer_from_the_same_sentence() -> None:
    first = good()
    again = good(generator="cloze", stem="Who leads the Data Office, says the article?")
    other_answer = good(
        generator="other",
        stem="Who runs Signal, says the article?",
        answers=(1,),
        evidence=SENTENCES[2],
    )
    report = run_gates([first, again, other_answer], FACTS, SENTENCES)
    assert report.kept == (first, other_answer)
    assert [d.draft for d in report.dropped] == [again]
    assert is_near_duplicate(report.dropped[0].reasons)
    # The first of the two is the one kept, whichever generator made it.
    assert run_gates([again, first], FACTS, SENTENCES).kept == (again,)
