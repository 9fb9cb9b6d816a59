from quizapp.core.assessment.selection import Candidate, balanced_selection


def test_round_robin_over_topics() -> None:
    candidates = [Candidate(i, topic, i) for i, topic in enumerate("AAABBC")]
    assert balanced_selection(candidates, 4) == [0, 3, 5, 1]


def test_never_two_questions_from_one_sentence_or_fact() -> None:
    candidates = [
        Candidate(1, "quotes", "s1", "f1"),
        Candidate(2, "roles", "s1", "f2"),  # same sentence as 1: its feedback gives 2 away
        Candidate(3, "roles", "s2", "f1"),  # same fact as 1, asked another way
        Candidate(4, "roles", "s3", "f3"),
        Candidate(5, "quotes", "s4", None),
    ]
    assert balanced_selection(candidates, 10) == [1, 4, 5]


def test_limit_and_empty_bank() -> None:
    assert balanced_selection([], 5) == []
    assert len(balanced_selection([Candidate(i, "t", i) for i in range(20)], 12)) == 12
