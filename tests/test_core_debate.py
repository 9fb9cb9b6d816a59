from quizapp.core.study.debate_map import NOT_STATED, MapFact, MapQuote, build_debate_map

SIDES = [("for", "For the ban"), ("against", "Against the ban")]


def names(debate_map, key):
    side = next(s for s in debate_map.sides if s.key == key)
    return [a.name for a in side.actors]


def test_each_actor_on_the_side_its_stance_says_in_order_of_mention() -> None:
    facts = [
        MapFact("stance", "Ada Lovelace", "against", 3),
        MapFact("stance", "Charles Babbage", "for", 1),
        MapFact("stance", "Mary Somerville", "for", 0),
        MapFact("quote", "Ada Lovelace", "It will not work", 3),
    ]
    result = build_debate_map("Should it be banned?", SIDES, facts)
    assert result.question == "Should it be banned?"
    assert [s.key for s in result.sides] == ["for", "against"]
    assert names(result, "for") == ["Mary Somerville", "Charles Babbage"]
    assert names(result, "against") == ["Ada Lovelace"]


def test_quotes_keep_their_sentence_and_roles_are_attached() -> None:
    facts = [
        MapFact("role", "Ada Lovelace", "chair", 0, relation="Analytical Society"),
        MapFact("stance", "Ada Lovelace", "for", 2),
        MapFact("quote", "Ada Lovelace", "We must act", 2),
        MapFact("quote", "Ada Lovelace", "Now or never", 5),
    ]
    (actor,) = build_debate_map("", SIDES, facts).sides[0].actors
    assert actor.roles == ["chair, Analytical Society"]
    assert actor.quotes == [MapQuote("We must act", 2), MapQuote("Now or never", 5)]


def test_a_surname_is_merged_into_the_full_name() -> None:
    facts = [
        MapFact("stance", "Ada Lovelace", "against", 0),
        MapFact("quote", "Lovelace", "No", 4),
        MapFact("quote", "ada  LOVELACE", "Never", 6),
    ]
    result = build_debate_map("", SIDES, facts)
    (actor,) = next(s for s in result.sides if s.key == "against").actors
    assert actor.name == "Ada Lovelace"
    assert [q.position for q in actor.quotes] == [4, 6]
    assert all(s.key != NOT_STATED for s in result.sides)


def test_an_ambiguous_surname_is_not_merged() -> None:
    facts = [
        MapFact("stance", "Anna Smith", "for", 0),
        MapFact("stance", "John Smith", "against", 1),
        MapFact("quote", "Smith", "Maybe", 2),
    ]
    result = build_debate_map("", SIDES, facts)
    assert names(result, NOT_STATED) == ["Smith"]


def test_without_sides_the_quoted_are_people_quoted_and_silent_ones_left_off() -> None:
    facts = [
        MapFact("quote", "The minister", "We will see", 1),
        MapFact("role", "Bob Jones", "mayor", 0),
        MapFact("stance", "Eve", "unknown-side", 2),
        MapFact("quote", "Eve", "Hmm", 2),
    ]
    result = build_debate_map("", [], facts)
    # No debate to take sides in: the column is the people quoted, not a side left unsaid.
    assert [(s.key, s.label) for s in result.sides] == [(NOT_STATED, "People quoted")]
    assert names(result, NOT_STATED) == ["The minister", "Eve"]


def test_no_facts_means_only_the_named_sides() -> None:
    result = build_debate_map("Q", SIDES, [])
    assert [len(s.actors) for s in result.sides] == [0, 0]
