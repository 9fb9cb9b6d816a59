"""Quiz item statistics, checked against numbers worked out by hand.

The formulas are Moodle's: https://docs.moodle.org/dev/Quiz_statistics_calculations
Each hand number is also recomputed with the standard library's statistics module, which
shares no code with quizapp.core.assessment.item_stats.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable
from dataclasses import replace

import pytest

from quizapp.core.assessment.item_stats import (
    ChoiceInfo,
    FlagKind,
    QuizStatistics,
    QuizStatisticsBuilder,
    SlotInfo,
    VersionInfo,
    score_distribution,
)

# Three slots. Slot 1 (1 mark, choices 11 right, 12, 13), slot 2 (1 mark, 21 right, 22, 23),
# slot 3 (2 marks, multiple answer: 31 and 32 right, 33 wrong; one right pick earns 1).
# Each question has one version; SLOT_2_V2 is an edit of slot 2's, for the version tests.
SLOT_2_V1 = VersionInfo(1, (ChoiceInfo(21, "True", True), ChoiceInfo(22, "False", False),
                            ChoiceInfo(23, "Maybe", False)))  # fmt: skip
SLOT_2_V2 = VersionInfo(2, (ChoiceInfo(24, "Yes", True), ChoiceInfo(25, "No", False)))
SLOTS = (
    SlotInfo(1, 1.0, (VersionInfo(1, (ChoiceInfo(11, "Ann", True), ChoiceInfo(12, "Bob", False),
                                      ChoiceInfo(13, "Cy", False))),)),
    SlotInfo(2, 1.0, (SLOT_2_V1,)),
    SlotInfo(3, 2.0, (VersionInfo(1, (ChoiceInfo(31, "red", True), ChoiceInfo(32, "blue", True),
                                      ChoiceInfo(33, "green", False))),)),
)  # fmt: skip

# attempt: {slot: (mark, chosen choice ids)}; attempt 105 left slot 3 unanswered.
RESPONSES = {
    101: {1: (1, {11}), 2: (1, {21}), 3: (2, {31, 32})},  # total 4
    102: {1: (1, {11}), 2: (0, {22}), 3: (1, {31})},  # total 2
    103: {1: (0, {12}), 2: (1, {21}), 3: (2, {31, 32})},  # total 3
    104: {1: (1, {11}), 2: (0, {22}), 3: (0, {33})},  # total 1
    105: {1: (0, {12}), 2: (1, {21})},  # total 1
}
MARKS = {s: [RESPONSES[a].get(s, (0, ()))[0] for a in RESPONSES] for s in (1, 2, 3)}
TOTALS = [4, 2, 3, 1, 1]
REST = {s: [t - m for t, m in zip(TOTALS, MARKS[s], strict=True)] for s in (1, 2, 3)}


def build(responses: dict[int, dict[int, tuple[float, set[int]]]] = RESPONSES) -> QuizStatistics:
    builder = QuizStatisticsBuilder(SLOTS)
    for attempt_id, by_slot in responses.items():
        builder.add_attempt(attempt_id)
        for slot, (mark, choice_ids) in by_slot.items():
            builder.add_response(attempt_id, slot, mark, choice_ids)
    return builder.finish()


def sorted_covariance(xs: list[float], ys: list[float]) -> float:
    return statistics.covariance(sorted(xs), sorted(ys))


STATS = build()
S1, S2, S3 = STATS.slots


def test_slot_1_by_hand() -> None:
    # x = 1,1,0,1,0   mean 3/5 → facility 60%.
    # var x = (3·(2/5)² + 2·(3/5)²)/4 = (12/25 + 18/25)/4 = 3/10 → sd √0.3 = 54.772% of 1.
    # rest = X − x = 3,1,3,0,1   mean 8/5.
    # var rest = ((7/5)² + (3/5)² + (7/5)² + (8/5)² + (3/5)²)/4 = (49+9+49+64+9)/25/4 = 9/5.
    # x deviations +2/5, +2/5, −3/5, +2/5, −3/5; rest deviations +7/5, −3/5, +7/5, −8/5, −3/5.
    # cov = (14 − 6 − 21 − 16 + 9)/25/4 = (−20/25)/4 = −1/5.
    # DI = 100 · (−1/5) / √(3/10 · 9/5) = −20/√0.54 = −27.2166.
    # Sorted x = 0,0,1,1,1 (−3/5,−3/5,2/5,2/5,2/5); sorted rest = 0,1,1,3,3
    # (−8/5,−3/5,−3/5,7/5,7/5): Σ = (24 + 9 − 6 + 14 + 14)/25 = 55/25 = 11/5, /4 → 11/20.
    # DE = 100 · (−1/5)/(11/20) = −400/11 = −36.3636.
    assert S1.n == 5 and S1.answered == 5
    assert S1.mean_mark == pytest.approx(0.6)
    assert S1.facility == pytest.approx(60)
    assert S1.sd == pytest.approx(100 * math.sqrt(0.3)) == pytest.approx(54.772256)
    assert S1.discrimination_index == pytest.approx(-20 / math.sqrt(0.54))
    assert S1.discrimination_index == pytest.approx(-27.216553)
    assert S1.discriminative_efficiency == pytest.approx(-400 / 11)
    # Independently:
    assert statistics.variance(MARKS[1]) == pytest.approx(0.3)
    assert statistics.variance(REST[1]) == pytest.approx(9 / 5)
    assert statistics.covariance(MARKS[1], REST[1]) == pytest.approx(-0.2)
    assert 100 * statistics.correlation(MARKS[1], REST[1]) == pytest.approx(S1.discrimination_index)
    assert sorted_covariance(MARKS[1], REST[1]) == pytest.approx(11 / 20)


def test_slot_2_by_hand() -> None:
    # x = 1,0,1,0,1   mean 3/5, var 3/10 (same counts as slot 1) → facility 60, sd 54.772.
    # rest = 3,2,2,1,0   mean 8/5; deviations 7/5, 2/5, 2/5, −3/5, −8/5.
    # var rest = (49 + 4 + 4 + 9 + 64)/25/4 = 130/100 = 13/10.
    # x deviations 2/5, −3/5, 2/5, −3/5, 2/5:
    # cov = (14 − 6 + 4 + 9 − 16)/25/4 = 5/100 = 1/20.
    # DI = 100 · (1/20)/√(3/10 · 13/10) = 5/√0.39 = 8.0064.
    # Sorted x deviations −3/5,−3/5,2/5,2/5,2/5; sorted rest 0,1,2,2,3 → −8/5,−3/5,2/5,2/5,7/5:
    # Σ = (24 + 9 + 4 + 4 + 14)/25 = 55/25, /4 → 11/20.  DE = 100 · (1/20)/(11/20) = 100/11.
    assert S2.facility == pytest.approx(60)
    assert S2.sd == pytest.approx(100 * math.sqrt(0.3))
    assert S2.discrimination_index == pytest.approx(5 / math.sqrt(0.39)) == pytest.approx(8.006408)
    assert S2.discriminative_efficiency == pytest.approx(100 / 11)
    assert statistics.variance(REST[2]) == pytest.approx(13 / 10)
    assert 100 * statistics.correlation(MARKS[2], REST[2]) == pytest.approx(S2.discrimination_index)
    assert sorted_covariance(MARKS[2], REST[2]) == pytest.approx(11 / 20)


def test_slot_3_by_hand_out_of_two_marks() -> None:
    # x = 2,1,2,0,0 (attempt 105 did not answer: 0, still counted). mean 1 → facility 50%.
    # var x = (1 + 0 + 1 + 1 + 1)/4 = 1 → sd 1 mark = 50% of 2.
    # rest = 2,1,1,1,1   mean 6/5; deviations 4/5, −1/5 ×4; var = (16 + 4·1)/25/4 = 1/5.
    # cov = (1·4/5 + 0 + 1·(−1/5) + (−1)(−1/5) + (−1)(−1/5))/4 = (4 − 1 + 1 + 1)/5/4 = 1/4.
    # DI = 100 · (1/4)/√(1 · 1/5) = 25√5 = 55.9017.
    # Sorted x deviations −1,−1,0,1,1; sorted rest deviations −1/5,−1/5,−1/5,−1/5,4/5:
    # Σ = (1 + 1 + 0 − 1 + 4)/5 = 1, /4 → 1/4 = cov, so DE = 100.
    assert S3.n == 5 and S3.answered == 4
    assert S3.mean_mark == pytest.approx(1)
    assert S3.facility == pytest.approx(50)
    assert S3.sd == pytest.approx(50)
    assert S3.discrimination_index == pytest.approx(25 * math.sqrt(5)) == pytest.approx(55.901699)
    assert S3.discriminative_efficiency == pytest.approx(100)
    assert 100 * statistics.correlation(MARKS[3], REST[3]) == pytest.approx(S3.discrimination_index)
    assert sorted_covariance(MARKS[3], REST[3]) == pytest.approx(0.25)


def test_quiz_by_hand() -> None:
    # Totals X = 4,2,3,1,1 out of 1 + 1 + 2 = 4. mean 11/5 = 2.2 → 55%.
    # Sorted 1,1,2,3,4 → median 2 → 50%.
    # Deviations 9/5, −1/5, 4/5, −6/5, −6/5: var = (81 + 1 + 16 + 36 + 36)/25/4 = 170/100 = 1.7
    # → sd √1.7 = 1.303840 → 32.596% of 4.
    # Σ var(x_i) = 3/10 + 3/10 + 1 = 8/5.   k = 3.
    # CIC = 100 · 3/2 · (1 − (8/5)/(17/10)) = 150 · (1 − 16/17) = 150/17 = 8.8235.
    # ER = 100 · √(1 − 150/1700) = 100 · √(155/170) = 95.4864.
    # SE = ER/100 · SD = √(155/170) · √1.7 = √1.55 = 1.244990 → 31.1247% of 4.
    assert STATS.attempts == 5
    assert STATS.max_total == 4
    assert STATS.mean == pytest.approx(2.2)
    assert STATS.mean_percent == pytest.approx(55)
    assert STATS.median == 2 and STATS.median_percent == pytest.approx(50)
    assert STATS.sd == pytest.approx(math.sqrt(1.7))
    assert STATS.sd_percent == pytest.approx(25 * math.sqrt(1.7))
    assert STATS.cic == pytest.approx(150 / 17)
    assert STATS.error_ratio == pytest.approx(100 * math.sqrt(155 / 170))
    assert STATS.error_ratio == pytest.approx(95.486371)
    assert STATS.standard_error == pytest.approx(math.sqrt(1.55))
    assert STATS.standard_error_percent == pytest.approx(25 * math.sqrt(1.55))
    # Independently: Cronbach's alpha from statistics.variance.
    item_variances = sum(statistics.variance(MARKS[s]) for s in (1, 2, 3))
    alpha = 3 / 2 * (1 - item_variances / statistics.variance(TOTALS))
    assert STATS.cic == pytest.approx(100 * alpha)
    assert statistics.median(TOTALS) == 2 and statistics.mean(TOTALS) == pytest.approx(2.2)
    assert statistics.stdev(TOTALS) == pytest.approx(STATS.sd)


def test_choice_counts_and_flags() -> None:
    # Slot 1: Ann picked by 101, 102, 104 (60%); Bob by 103, 105 (40%); Cy by nobody.
    assert [(c.id, c.count, c.percent) for c in S1.choices] == [
        (11, 3, 60.0),
        (12, 2, 40.0),
        (13, 0, 0.0),
    ]
    # Slot 3 is multiple answer: red by 101, 102, 103; blue by 101, 103; green by 104.
    assert [(c.id, c.count, c.percent) for c in S3.choices] == [
        (31, 3, 60.0),
        (32, 2, 40.0),
        (33, 1, 20.0),
    ]
    assert [f.kind for f in S1.flags] == [
        FlagKind.NEGATIVE_DISCRIMINATION,
        FlagKind.DISTRACTOR_NEVER_CHOSEN,
    ]
    assert S1.flags[1].label == "Distractor never chosen: “Cy”"
    assert [f.label for f in S2.flags] == ["Distractor never chosen: “Maybe”"]
    assert S3.flags == ()


def test_distribution_of_the_fixed_set() -> None:
    # 4/4 = 100%, 2/4 = 50%, 3/4 = 75%, 1/4 = 25% twice.
    counts = {band.label: band.count for band in STATS.distribution}
    assert counts == {
        "0–10%": 0,
        "10–20%": 0,
        "20–30%": 2,
        "30–40%": 0,
        "40–50%": 0,
        "50–60%": 1,
        "60–70%": 0,
        "70–80%": 1,
        "80–90%": 0,
        "90–100%": 1,
    }


def test_score_distribution_edges() -> None:
    bands = score_distribution([0, 9.99, 10, 100, 90, 100 * 4.6 / 23, -5, 120])
    assert [(b.low, b.high, b.count) for b in bands] == [
        (0, 10, 3),  # 0, 9.99, and −5 clamped
        (10, 20, 1),
        (20, 30, 1),  # 100·4.6/23 computes as 19.999999999999996; it means 20
        (30, 40, 0),
        (40, 50, 0),
        (50, 60, 0),
        (60, 70, 0),
        (70, 80, 0),
        (80, 90, 0),
        (90, 100, 3),  # 90, 100 and 120 clamped
    ]
    assert sum(b.count for b in score_distribution([])) == 0


def test_order_of_rows_does_not_matter() -> None:
    builder = QuizStatisticsBuilder(SLOTS)
    rows = [
        (attempt_id, slot, mark, choice_ids)
        for attempt_id, by_slot in RESPONSES.items()
        for slot, (mark, choice_ids) in by_slot.items()
    ]
    for row in reversed(rows):
        builder.add_response(*row)
    assert builder.finish() == STATS


def test_single_attempt() -> None:
    stats = build({7: {1: (1, {11}), 2: (0, {22})}})
    assert stats.attempts == 1
    assert stats.mean == 1 and stats.median == 1 and stats.mean_percent == pytest.approx(25)
    assert stats.sd is None and stats.cic is None and stats.error_ratio is None
    assert stats.standard_error is None and stats.standard_error_percent is None
    first, second, third = stats.slots
    assert first.facility == 100 and first.sd is None
    assert first.discrimination_index is None and first.discriminative_efficiency is None
    assert [f.kind for f in first.flags] == [FlagKind.EVERYONE_RIGHT] + [
        FlagKind.DISTRACTOR_NEVER_CHOSEN
    ] * 2
    assert FlagKind.NOBODY_RIGHT in {f.kind for f in second.flags}
    assert third.answered == 0 and third.facility == 0


def test_all_equal_scores() -> None:
    everyone = {1: (1, {11}), 2: (1, {21}), 3: (2, {31, 32})}
    stats = build({a: everyone for a in (1, 2, 3, 4)})
    assert stats.mean_percent == 100 and stats.sd == 0 and stats.sd_percent == 0
    assert stats.cic is None and stats.error_ratio is None and stats.standard_error is None
    for slot in stats.slots:
        assert slot.facility == 100 and slot.sd == 0
        assert slot.discrimination_index is None and slot.discriminative_efficiency is None
        assert slot.flags[0].kind == FlagKind.EVERYONE_RIGHT
        assert slot.flags[0].label == "Everyone got this question right"
    assert [b.count for b in stats.distribution][-1] == 4


def test_slot_nobody_answered() -> None:
    # Slot 3 dropped from every attempt of the fixed set: all its marks are 0, it has no
    # spread, so DI and DE are undefined; nobody is right and every choice is unpicked.
    stats = build({a: {s: r for s, r in by.items() if s != 3} for a, by in RESPONSES.items()})
    third = stats.slots[2]
    assert third.n == 5 and third.answered == 0
    assert third.mean_mark == 0 and third.facility == 0 and third.sd == 0
    assert third.discrimination_index is None and third.discriminative_efficiency is None
    assert [c.count for c in third.choices] == [0, 0, 0]
    assert [f.kind for f in third.flags] == [
        FlagKind.NOBODY_RIGHT,
        FlagKind.DISTRACTOR_NEVER_CHOSEN,
    ]
    assert third.flags[0].label == "Nobody got this question right"
    # It still counts as one of k = 3 items: totals 2,1,1,1,1 → var 1/5; Σ var = 3/10 + 3/10
    # + 0; CIC = 150 · (1 − (3/5)/(1/5)) = 150 · (1 − 3) = −300,
    # ER = 100 · √(1 + 3) = 200.
    assert stats.cic == pytest.approx(-300)
    assert stats.error_ratio == pytest.approx(200)


def test_no_attempts() -> None:
    stats = QuizStatisticsBuilder(SLOTS).finish()
    assert stats.attempts == 0 and stats.mean is None and stats.median is None
    assert stats.sd is None and stats.cic is None
    for slot in stats.slots:
        assert slot.n == 0 and slot.facility is None and slot.flags == ()
        assert all(c.percent is None for c in slot.choices)


def test_each_version_of_an_edited_question_has_its_own_row() -> None:
    # Slot 2's question was edited after attempts 101–103: version 2 has its own choices, 24
    # (right) and 25, and attempts 104 and 105 answered it, earning the marks they earned
    # before. The whole test is unchanged; slot 2 gets a row per version, over its attempts.
    edited = (SLOTS[0], SlotInfo(2, 1.0, (SLOT_2_V1, SLOT_2_V2)), SLOTS[2])
    builder = QuizStatisticsBuilder(edited)
    for attempt_id, by_slot in RESPONSES.items():
        for slot, (mark, choice_ids) in by_slot.items():
            if slot == 2 and attempt_id in (104, 105):
                same = [{21: 24, 22: 25}[choice_id] for choice_id in choice_ids]  # by meaning
                builder.add_response(attempt_id, slot, mark, same)
            else:
                builder.add_response(attempt_id, slot, mark, choice_ids, version=1)
    stats = builder.finish()
    assert replace(stats, slots=()) == replace(STATS, slots=())
    first, old, new, third = stats.slots
    assert (first, third) == (S1, S3)
    assert [(row.slot, row.version, row.n) for row in (old, new)] == [(2, 1, 3), (2, 2, 2)]
    assert {c.id: c.count for c in old.choices} == {21: 2, 22: 1, 23: 0}
    assert {c.id: c.count for c in new.choices} == {24: 1, 25: 1}
    # x and rest of the attempts that saw each version: 101–103, then 104–105.
    x, rest = MARKS[2], REST[2]
    assert old.facility == pytest.approx(100 * statistics.mean(x[:3]))
    assert old.discrimination_index == pytest.approx(100 * statistics.correlation(x[:3], rest[:3]))
    assert new.facility == pytest.approx(50)
    assert new.discrimination_index == pytest.approx(100 * statistics.correlation(x[3:], rest[3:]))
    assert [f.label for f in old.flags] == ["Distractor never chosen: “Maybe”"]
    assert [f.kind for f in new.flags] == [FlagKind.NEGATIVE_DISCRIMINATION]  # x 0,1; rest 1,0


def test_an_unanswered_slot_counts_under_the_last_version_unless_told() -> None:
    builder = QuizStatisticsBuilder([SlotInfo(1, 1.0, (SLOT_2_V1, SLOT_2_V2)), SlotInfo(2, 1.0)])
    builder.add_response(1, 1, 1, [21], version=1)
    builder.add_response(2, 1, 0, (), version=1)  # left unanswered while version 1 was in
    builder.add_response(3, 2, 1)  # slot 1 left unanswered: the last version's
    old, new, _ = builder.finish().slots
    assert (old.version, old.n, old.answered, old.facility) == (1, 2, 1, 50)
    assert (new.version, new.n, new.answered, new.facility) == (2, 1, 0, 0)


def test_a_version_nobody_was_shown_has_no_row() -> None:
    builder = QuizStatisticsBuilder([SlotInfo(1, 1.0, (SLOT_2_V1, SLOT_2_V2))])
    builder.add_response(1, 1, 1, [21], version=1)
    assert [row.version for row in builder.finish().slots] == [1]
    # Without attempts the slot still has a row: its last version's.
    (empty,) = QuizStatisticsBuilder([SlotInfo(1, 1.0, (SLOT_2_V1, SLOT_2_V2))]).finish().slots
    assert (empty.version, empty.n) == (2, 0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b: b.add_response(1, 9, 1, [11]), "slot 9 is not one of the quiz's slots"),
        (lambda b: b.add_response(1, 1, 1, [21]), "choice 21 is not a choice of slot 1"),
        (lambda b: b.add_response(1, 1, 1, [11], version=2), "not a version of slot 1"),
        (
            lambda b: [b.add_response(1, 1, 1, [11]), b.add_response(1, 1, 0, [12])],
            "attempt 1 has two responses for slot 1",
        ),
    ],
)
def test_bad_rows_are_refused(
    call: Callable[[QuizStatisticsBuilder], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call(QuizStatisticsBuilder(SLOTS))


def test_bad_slots_are_refused() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        QuizStatisticsBuilder([SLOTS[0], SLOTS[0]])
    choice = SLOTS[0].versions[0].choices[0]
    with pytest.raises(ValueError, match="choice id twice"):
        QuizStatisticsBuilder([SlotInfo(1, 1.0, (VersionInfo(1, (choice, choice)),))])
    for versions in ((), (SLOT_2_V1, SLOT_2_V1)):
        with pytest.raises(ValueError, match="needs versions, each listed once"):
            QuizStatisticsBuilder([SlotInfo(1, 1.0, versions)])


def test_zero_mark_slot_has_no_percentages() -> None:
    builder = QuizStatisticsBuilder([SlotInfo(1, 0.0), SlotInfo(2, 1.0)])
    for attempt_id, mark in ((1, 1), (2, 0)):
        builder.add_response(attempt_id, 1, 0)
        builder.add_response(attempt_id, 2, mark)
    zero, _ = builder.finish().slots
    assert zero.mean_mark == 0 and zero.facility is None and zero.sd is None
    assert zero.flags == ()


def test_larger_random_set_matches_the_statistics_module() -> None:
    # 40 attempts × 6 slots with partial marks; every number recomputed independently.
    rng = random.Random(7)
    max_marks = [1.0, 1.0, 2.0, 0.5, 3.0, 1.0]
    slots = [SlotInfo(s, m) for s, m in enumerate(max_marks, start=1)]
    ability = [rng.random() for _ in range(40)]
    marks = {
        s: [round(m * min(1.0, max(0.0, a + rng.gauss(0, 0.3))), 2) for a in ability]
        for s, m in enumerate(max_marks, start=1)
    }
    builder = QuizStatisticsBuilder(slots)
    for attempt_id in range(40):
        for s in marks:
            builder.add_response(attempt_id, s, marks[s][attempt_id])
    stats = builder.finish()
    totals = [sum(marks[s][a] for s in marks) for a in range(40)]
    for slot in stats.slots:
        x = marks[slot.slot]
        rest = [t - m for t, m in zip(totals, x, strict=True)]
        assert slot.facility == pytest.approx(100 * statistics.mean(x) / slot.max_mark)
        assert slot.sd == pytest.approx(100 * statistics.stdev(x) / slot.max_mark)
        assert slot.discrimination_index == pytest.approx(100 * statistics.correlation(x, rest))
        assert slot.discriminative_efficiency == pytest.approx(
            100 * statistics.covariance(x, rest) / sorted_covariance(x, rest)
        )
    alpha = (
        6
        / 5
        * (1 - sum(statistics.variance(x) for x in marks.values()) / statistics.variance(totals))
    )
    assert stats.cic == pytest.approx(100 * alpha)
    assert stats.median == pytest.approx(statistics.median(totals))
    assert stats.standard_error == pytest.approx(math.sqrt(1 - alpha) * statistics.stdev(totals))
