from datetime import datetime, timedelta

from quizapp.core.study.progress import (
    Answer,
    Mastered,
    ScorePoint,
    TopicCards,
    score_chart,
    topic_progress,
)

T0 = datetime(2026, 3, 1, 8, 0)
ANN, BEN, EVE = 1, 2, 3

SHARED = {"Key terms": 4, "Who said what": 10, "Roles": 5}
CARDS = [
    *(TopicCards(learner, topic, n) for learner in (ANN, BEN, EVE) for topic, n in SHARED.items()),
    # only Ann's class has this quiz; a teacher's own topic name sorts after the known ones
    TopicCards(ANN, "Local topic", 2),
]
MASTERED = [
    Mastered(ANN, "Who said what", 6),
    Mastered(ANN, "Key terms", 1),
    Mastered(BEN, "Who said what", 2),
    Mastered(EVE, "Who said what", 10),  # not in the class asked about
]


def answers(learner: int, topic: str, marks: str) -> list[Answer]:
    """One answer per character, oldest first, a minute apart: "x" right, "." wrong."""
    return [
        Answer(learner, topic, mark == "x", T0 + timedelta(minutes=i))
        for i, mark in enumerate(marks)
    ]


ANSWERS = [
    # Ann: 5 old wrong answers, then 4 right: only the last 4 count when recent=4.
    *answers(ANN, "Who said what", ".....xxxx"),
    *answers(ANN, "Dates and numbers", "x.x"),  # a topic with answers but no cards
    *answers(BEN, "Who said what", "x..x"),
    *answers(EVE, "Who said what", "...."),
]


def test_one_learners_mastery_and_recent_accuracy() -> None:
    result = {p.topic: p for p in topic_progress([ANN], CARDS, MASTERED, ANSWERS, recent=4)}
    assert [p for p in result] == [
        "Who said what",
        "Roles",
        "Dates and numbers",
        "Key terms",
        "Local topic",
    ]
    quotes = result["Who said what"]
    assert (quotes.cards, quotes.mastered, quotes.mastery) == (10, 6, 0.6)
    assert (quotes.answered, quotes.correct, quotes.accuracy) == (4, 4, 1.0)
    assert result["Key terms"].mastery == 0.25 and result["Key terms"].accuracy is None
    assert result["Roles"].mastery == 0.0  # cards never studied count as not mastered
    numbers = result["Dates and numbers"]
    assert numbers.mastery is None and numbers.cards == 0
    assert (numbers.correct, numbers.answered) == (2, 3)


def test_a_class_is_pooled_over_its_learners_only() -> None:
    result = {p.topic: p for p in topic_progress([ANN, BEN], CARDS, MASTERED, ANSWERS, recent=4)}
    quotes = result["Who said what"]
    assert quotes.learners == 2 and quotes.cards == 20
    assert quotes.mastered == 8 and quotes.mastery == 8 / 20  # Eve's 10 are not counted
    # Ann's last 4 (all right) and Ben's 4 (2 right)
    assert (quotes.correct, quotes.answered) == (6, 8)
    assert result["Roles"].mastery == 0.0
    assert result["Local topic"].cards == 2  # Ann's only: Ben's classes do not have it


def test_recent_window_takes_the_latest_answers_whatever_the_row_order() -> None:
    shuffled = list(reversed(answers(ANN, "Roles", "....xx")))
    (roles,) = [p for p in topic_progress([ANN], [], [], shuffled, recent=2) if p.topic == "Roles"]
    assert (roles.correct, roles.answered) == (2, 2)


def test_no_learners_no_progress_figures() -> None:
    result = topic_progress([], CARDS, MASTERED, ANSWERS)
    assert all(p.mastery is None and p.accuracy is None for p in result)


def test_score_chart_puts_percent_up_and_attempts_across() -> None:
    points = [
        ScorePoint(T0, "Quiz", 0.0),
        ScorePoint(T0 + timedelta(days=1), "Quiz", 50.0),
        ScorePoint(T0 + timedelta(days=9), "Quiz", 100.0),
    ]
    chart = score_chart(points, width=400, height=200)
    low, mid, high = chart.dots
    assert (low.x, low.y) == (chart.left, chart.bottom)
    assert (high.x, high.y) == (chart.right, chart.top)
    assert mid.x == (chart.left + chart.right) / 2  # evenly spaced, not by date
    assert mid.y == (chart.top + chart.bottom) / 2
    assert chart.line.split() == [f"{d.x:.1f},{d.y:.1f}" for d in chart.dots]
    assert [p for p, _ in chart.gridlines] == [0, 25, 50, 75, 100]
    (single,) = score_chart(points[1:2], width=400).dots
    assert single.x == (chart.left + chart.right) / 2
