"""Gap-fill and named-set questions, built from hand-made facts so each rule is seen alone."""

from __future__ import annotations

from quizapp.core.facts import ArticleFacts, Entity, EntityType, Fact, FactKind
from quizapp.core.questions import BLANK, QuestionKind, generate_questions, run_gates
from quizapp.core.questions.distractors import number_variants
from quizapp.core.questions.pools import DistractorPool

PEOPLE = ("Ann Lee", "Bo Chan", "Cy Dent", "Di Fox", "Ed Gow")
ORGS = ("Acme Water", "Brook Energy", "Cobalt Power", "Delta Grid")


def _facts(*facts: Fact, extra: tuple[Entity, ...] = ()) -> ArticleFacts:
    entities = (
        *(Entity(n, EntityType.PERSON, (n.split()[-1],)) for n in PEOPLE),
        *(Entity(n, EntityType.ORGANISATION) for n in ORGS),
        *extra,
    )
    return ArticleFacts(entities=entities, facts=facts)


def _cloze(facts: ArticleFacts, sentences: list[str]) -> list:
    drafts = generate_questions(facts, seed=1, sentences=sentences)
    return [d for d in drafts if d.generator == "cloze"]


def test_every_sentence_naming_something_gets_one_gap_with_same_type_choices() -> None:
    sentences = [
        "Ann Lee opened the new reservoir for Acme Water on a wet morning.",
        "The reservoir holds enough water for the whole town through summer.",
    ]
    drafts = _cloze(_facts(), sentences)
    assert [d.evidence for d in drafts] == [sentences[0]]
    draft = drafts[0]
    answer = draft.choices[draft.answers[0]]
    assert answer == "Ann Lee"  # people come before organisations
    assert BLANK in draft.stem and "Ann Lee" not in draft.stem
    assert set(draft.choices) - {answer} <= set(PEOPLE)


def test_names_in_neighbouring_sentences_are_never_distractors() -> None:
    sentences = [
        "Bo Chan warned that the river was rising fast near the bridge.",
        "Ann Lee ordered the gates of the old dam to be opened at noon.",
        "Cy Dent said the town had never seen such a flood before then.",
    ]
    draft = next(d for d in _cloze(_facts(), sentences) if d.evidence == sentences[1])
    assert not {"Bo Chan", "Cy Dent"} & set(draft.choices)


def test_a_number_is_gapped_whole_with_near_misses_of_its_form() -> None:
    sentence = "Brook Energy said 73% of homes lost power during the storm last night."
    number = Fact(FactKind.NUMBER, "Brook Energy", "73%", sentence, "homes lost power", "percent")
    drafts = _cloze(_facts(number), [sentence])
    gap = next(d for d in drafts if d.choices[d.answers[0]] == "73%")
    assert f"said {BLANK} of homes" in gap.stem
    assert all(c.endswith("%") and 0 < float(c[:-1]) < 100 for c in gap.choices)


def test_a_speaker_outside_the_quote_is_gapped_rather_than_words_inside_it() -> None:
    sentence = 'Ann Lee said "Acme Water must repair the pipes this year" to reporters.'
    quote = Fact(
        FactKind.QUOTE, "Ann Lee", "Acme Water must repair the pipes", sentence, "", "", 0.4
    )
    drafts = _cloze(_facts(quote), [sentence])
    assert drafts[0].choices[drafts[0].answers[0]] == "Ann Lee"


def test_a_name_inside_a_longer_name_or_word_is_not_gapped() -> None:
    extra = (Entity("Delta", EntityType.PLACE), Entity("Delta Grid", EntityType.ORGANISATION))
    sentence = "Engineers from Delta Grid inspected the lines after the storm passed."
    drafts = _cloze(_facts(extra=extra), [sentence])
    assert all(d.choices[d.answers[0]] != "Delta" for d in drafts)


def test_places_take_countries_from_the_pool_only_for_a_country() -> None:
    pool = DistractorPool(names={EntityType.PLACE: ("Canada", "France", "Japan", "Kenya")})
    extra = (Entity("Canada", EntityType.PLACE), Entity("Leeds", EntityType.PLACE))
    sentences = [
        "Engineers bought two old power stations in Canada during the last winter.",
        "They also opened a small office in Leeds for the new engineers there.",
    ]
    drafts = generate_questions(_facts(extra=extra), seed=0, pool=pool, sentences=sentences)
    gaps = {d.choices[d.answers[0]]: d for d in drafts if d.generator == "cloze"}
    assert {"France", "Japan", "Kenya"} & set(gaps["Canada"].choices)
    assert "Leeds" not in gaps  # no honest stand-in for a city: it is not asked


def test_a_named_set_is_a_multi_answer_gap_fill() -> None:
    sentence = "Three firms, Acme Water, Brook Energy and Cobalt Power, signed the deal on Monday."
    members = [
        Fact(FactKind.MEMBER, "firms", name, sentence, "signed the deal")
        for name in ("Acme Water", "Brook Energy", "Cobalt Power")
    ]
    extra = tuple(Entity(n, EntityType.ORGANISATION) for n in ("Echo Rail", "Fjord Oil"))
    drafts = generate_questions(_facts(*members, extra=extra), seed=0, sentences=[sentence])
    multi = next(d for d in drafts if d.kind == QuestionKind.MULTI)
    answers = {multi.choices[i] for i in multi.answers}
    assert answers == {"Acme Water", "Brook Energy", "Cobalt Power"}
    assert multi.stem.count(BLANK) == 3
    assert len(multi.choices) - len(answers) >= 2


def test_number_variants_keep_their_form() -> None:
    assert "January 40, 2008" not in number_variants("January 20, 2008")
    assert all(v.startswith("January ") for v in number_variants("January 20, 2008"))
    assert set(number_variants("Wednesday")) <= {
        "Monday",
        "Tuesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    }
    assert "the 1970s" in number_variants("the 1960s")
    assert "just over two million" in number_variants("just over one million")
    assert "62nd minute" not in number_variants("62nd minute")
    assert all(v.endswith(("st", "nd", "rd", "th")) for v in number_variants("the 62nd"))


def test_gates_send_back_what_a_teacher_would() -> None:
    sentence = "Ann Lee met Bo Chan and Cy Dent at the offices of Acme Water on Friday."
    facts = _facts()
    drafts = [d for d in generate_questions(facts, seed=0, sentences=[sentence])]
    broken = drafts[0].__class__(
        **{**drafts[0].__dict__, "stem": "Who does the article describe as the between chair?"}
    )
    report = run_gates([*drafts, broken], facts, [sentence])
    assert broken not in report.kept
    assert any("does not read" in r for d in report.dropped for r in d.reasons)


def test_a_quotation_is_not_split_into_pieces_that_only_go_on_from_the_one_before() -> None:
    sentences = [
        'Ann Lee said: "The council has let the river flood the town for years.',
        "It is a remarkable failure.",
    ]
    quotes = [
        Fact(FactKind.QUOTE, "Ann Lee", sentences[0][14:-1], sentences[0], confidence=0.9),
        Fact(
            FactKind.QUOTE, "Ann Lee", "It is a remarkable failure.", sentences[1], confidence=0.8
        ),
    ]
    drafts = generate_questions(_facts(*quotes), seed=0, sentences=sentences)
    asked = [d.evidence for d in drafts if d.generator == "quote_speaker"]
    assert asked == [sentences[0]]


def test_true_false_statements_are_not_all_false() -> None:
    roles = [
        Fact(FactKind.ROLE, name, f"head of {org}", f"{name} is the head of {org} in the town.")
        for name, org in zip(PEOPLE, ORGS, strict=False)
    ]
    drafts = generate_questions(_facts(*roles), seed=3, sentences=[r.evidence for r in roles])
    answers = {d.answers for d in drafts if d.kind == QuestionKind.TRUE_FALSE}
    assert answers == {(0,), (1,)}


def test_no_year_distractor_after_the_latest_year_the_article_writes() -> None:
    sentence = "Acme Water opened its first plant in 2019 after a long dispute."
    number = Fact(FactKind.NUMBER, "Acme Water", "2019", sentence, "opened", "year")
    (gap,) = [d for d in _cloze(_facts(number), [sentence]) if d.choices[d.answers[0]] == "2019"]
    assert all(int(c) <= 2019 for c in gap.choices)


def test_a_name_written_twice_is_asked_as_filling_both_gaps() -> None:
    sentence = "Ann Lee thanked the town, and the town thanked Ann Lee in return on Friday."
    drafts = _cloze(_facts(), [sentence])
    assert drafts[0].stem.startswith("Which fills both gaps")
