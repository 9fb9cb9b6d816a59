"""Item analysis of a quiz's attempts: the numbers Moodle's quiz statistics report shows.

A teacher reads these to find questions that do not work: too hard or too easy for anyone
to learn from, answered better by weaker learners than by stronger ones, or offering a
distractor nobody falls for. The formulas are Moodle's, so the numbers can be compared with
its report and its documentation explains them:
https://docs.moodle.org/dev/Quiz_statistics_calculations

Variances are sample variances (divided by n − 1) throughout, as Moodle's are. A missing
response counts as an attempt with 0 marks, so every slot is averaged over every attempt
(each version of its question over every attempt shown that version).
Whether a slot or the whole quiz is "constant" (zero variance) is decided on the marks
themselves, not on a float that rounding left at 1e-17, so undefined numbers are None
rather than huge or signed noise.

A slot whose question was edited after learners answered it holds several versions, each
with its own choices. The whole-test numbers treat the slot as one question, marked however
each attempt's version marked it, while the per-question numbers come one row per version,
over the attempts shown that version: Moodle likewise gives each question a slot held its
own row, since mixing them would count one version's picks against another's choices.

Two small departures from Moodle, both deliberate: an attempt's total is the sum of its slot
marks (Moodle's test statistics read the attempt's stored grade, which equals that sum here
since quizapp does not rescale), and CIC is given from two attempts on, where Moodle's code
waits for three only because it computes CIC inside its skewness branch.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

BAND_WIDTH = 10  # percent; ten bands, 0–10 … 90–100


@dataclass(frozen=True)
class ChoiceInfo:
    id: int
    text: str
    is_correct: bool


@dataclass(frozen=True)
class VersionInfo:
    """One version of a slot's question: an edit learners had answered makes a new version
    with new choices, and each attempt's picks are counted against its own version's."""

    version: int
    choices: tuple[ChoiceInfo, ...] = ()


@dataclass(frozen=True)
class SlotInfo:
    """One place in the quiz, with every version of its question that has sat there, oldest
    first: the last is the one an attempt is taken to have seen unless told otherwise."""

    slot: int
    max_mark: float
    versions: tuple[VersionInfo, ...] = (VersionInfo(1),)


class FlagKind(StrEnum):
    NOBODY_RIGHT = "nobody_right"
    EVERYONE_RIGHT = "everyone_right"
    NEGATIVE_DISCRIMINATION = "negative_discrimination"
    DISTRACTOR_NEVER_CHOSEN = "distractor_never_chosen"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    label: str


@dataclass(frozen=True)
class ChoiceStatistics:
    id: int
    text: str
    is_correct: bool
    count: int  # attempts that picked this choice
    percent: float | None  # of all attempts; None without attempts


@dataclass(frozen=True)
class SlotStatistics:
    """One version of a slot's question, over the attempts shown that version."""

    slot: int
    version: int
    max_mark: float
    n: int  # attempts, answered or not
    answered: int  # attempts that picked at least one choice here
    mean_mark: float | None
    facility: float | None  # mean mark as % of max mark
    sd: float | None  # standard deviation of marks as % of max mark
    discrimination_index: float | None
    discriminative_efficiency: float | None
    choices: tuple[ChoiceStatistics, ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class ScoreBand:
    low: int  # percent, inclusive
    high: int  # percent, exclusive except for the last band, which holds 100
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}%"


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    max_total: float
    mean: float | None
    mean_percent: float | None
    median: float | None
    median_percent: float | None
    sd: float | None
    sd_percent: float | None
    cic: float | None  # coefficient of internal consistency (Cronbach's alpha) × 100
    error_ratio: float | None
    standard_error: float | None
    standard_error_percent: float | None
    slots: tuple[SlotStatistics, ...]  # in slot order, a slot's versions oldest first
    distribution: tuple[ScoreBand, ...]


class QuizStatisticsBuilder:
    """Collects one quiz's responses in a single pass over the rows, then computes.

    Feed it rows in any order: ``add_response`` once per (attempt, slot) that has a
    response, and ``add_attempt`` for an attempt that may have none at all, so it still
    counts. Per-attempt per-slot marks are kept because correlations need them; choice
    counts are tallied as rows arrive.

    A slot without a response in an attempt counts under the slot's last version; to count
    it under another, add a response of 0 marks and no choices for that version.
    """

    def __init__(self, slots: Iterable[SlotInfo]) -> None:
        self._slots: dict[int, SlotInfo] = {}
        for info in slots:
            if info.slot in self._slots:
                raise ValueError(f"slot {info.slot} is listed twice")
            if info.max_mark < 0:
                raise ValueError(f"slot {info.slot} has a negative max mark")
            numbers = [version.version for version in info.versions]
            if not numbers or len(set(numbers)) != len(numbers):
                raise ValueError(f"slot {info.slot} needs versions, each listed once")
            for version in info.versions:
                ids = [choice.id for choice in version.choices]
                if len(set(ids)) != len(ids):
                    raise ValueError(f"slot {info.slot} lists a choice id twice")
            self._slots[info.slot] = info
        self._marks: dict[int, dict[int, float]] = {}
        self._shown: dict[tuple[int, int], int] = {}  # (attempt, slot) → version
        # (slot, version) → attempts that picked a choice / picks per choice id
        self._answered: dict[tuple[int, int], int] = {}
        self._picks: dict[tuple[int, int], dict[int, int]] = {}
        for slot, info in self._slots.items():
            for version in info.versions:
                self._answered[slot, version.version] = 0
                self._picks[slot, version.version] = dict.fromkeys(
                    (choice.id for choice in version.choices), 0
                )

    def add_attempt(self, attempt_id: int) -> None:
        self._marks.setdefault(attempt_id, {})

    def add_response(
        self,
        attempt_id: int,
        slot: int,
        mark: float,
        choice_ids: Collection[int] = (),
        version: int | None = None,
    ) -> None:
        """Record an attempt's answer to the slot: ``version`` of its question, or the last."""
        if slot not in self._slots:
            raise ValueError(f"slot {slot} is not one of the quiz's slots")
        if version is None:
            version = self._slots[slot].versions[-1].version
        if (slot, version) not in self._picks:
            raise ValueError(f"version {version} is not a version of slot {slot}")
        marks = self._marks.setdefault(attempt_id, {})
        if slot in marks:
            raise ValueError(f"attempt {attempt_id} has two responses for slot {slot}")
        picks = self._picks[slot, version]
        unknown = [choice_id for choice_id in choice_ids if choice_id not in picks]
        if unknown:
            raise ValueError(f"choice {unknown[0]} is not a choice of slot {slot}")
        marks[slot] = float(mark)
        self._shown[attempt_id, slot] = version
        if choice_ids:
            self._answered[slot, version] += 1
        for choice_id in set(choice_ids):
            picks[choice_id] += 1

    def finish(self) -> QuizStatistics:
        slot_ids = list(self._slots)
        columns = {
            slot: [marks.get(slot, 0.0) for marks in self._marks.values()] for slot in slot_ids
        }
        rows = list(zip(*columns.values(), strict=True))
        totals = [math.fsum(marks.values()) for marks in self._marks.values()]
        slot_stats: list[SlotStatistics] = []
        for index, slot in enumerate(slot_ids):
            # The rest of the test, summed afresh rather than total − mark, so a rest that
            # is truly constant comes out as equal floats.
            rest = [math.fsum(row[:index] + row[index + 1 :]) for row in rows]
            slot_stats.extend(self._version_statistics(self._slots[slot], columns[slot], rest))
        return _quiz_statistics(
            totals,
            math.fsum(info.max_mark for info in self._slots.values()),
            [_variance(columns[slot]) for slot in slot_ids],
            tuple(slot_stats),
        )

    def _version_statistics(
        self, info: SlotInfo, marks: list[float], rest: list[float]
    ) -> Iterator[SlotStatistics]:
        """A row for each version some attempt was shown; without attempts, the last
        version's, so the slot still has its row."""
        last = info.versions[-1].version
        shown = [self._shown.get((attempt_id, info.slot), last) for attempt_id in self._marks]
        seen = set(shown)
        for version in [v for v in info.versions if v.version in seen] or [info.versions[-1]]:
            picked = [i for i, number in enumerate(shown) if number == version.version]
            yield self._slot_statistics(
                info, version, [marks[i] for i in picked], [rest[i] for i in picked]
            )

    def _slot_statistics(
        self, info: SlotInfo, version: VersionInfo, marks: list[float], rest: list[float]
    ) -> SlotStatistics:
        n = len(marks)
        mean = math.fsum(marks) / n if n else None
        facility = _percent(mean, info.max_mark)
        variance = _variance(marks)
        sd = _percent(math.sqrt(variance), info.max_mark) if variance is not None else None
        di = de = None
        if variance is not None and not _constant(marks) and not _constant(rest):
            covariance = _covariance(marks, rest)
            di = 100 * covariance / math.sqrt(variance * _covariance(rest, rest))
            # Moodle's largest covariance these marks could have: both lists sorted
            # ascending independently and paired, strongest with strongest.
            de = 100 * covariance / _covariance(sorted(marks), sorted(rest))
        picks = self._picks[info.slot, version.version]
        choices = tuple(
            ChoiceStatistics(
                choice.id,
                choice.text,
                choice.is_correct,
                picks[choice.id],
                100 * picks[choice.id] / n if n else None,
            )
            for choice in version.choices
        )
        return SlotStatistics(
            slot=info.slot,
            version=version.version,
            max_mark=info.max_mark,
            n=n,
            answered=self._answered[info.slot, version.version],
            mean_mark=mean,
            facility=facility,
            sd=sd,
            discrimination_index=di,
            discriminative_efficiency=de,
            choices=choices,
            flags=_flags(facility, di, choices),
        )


def score_distribution(percents: Iterable[float]) -> tuple[ScoreBand, ...]:
    """Counts of scores in ten 10-point bands; 100% falls in the last band, 90–100.

    Scores are rounded to 9 decimals first so that 70% computed as 69.99999999999999 lands
    in the 70–80 band it belongs to. Anything outside 0–100 goes in the nearest end band.
    """
    bands = 100 // BAND_WIDTH
    counts = [0] * bands
    for percent in percents:
        index = int(round(percent, 9) // BAND_WIDTH)
        counts[min(max(index, 0), bands - 1)] += 1
    return tuple(
        ScoreBand(i * BAND_WIDTH, (i + 1) * BAND_WIDTH, count) for i, count in enumerate(counts)
    )


def _quiz_statistics(
    totals: list[float],
    max_total: float,
    slot_variances: list[float | None],
    slots: tuple[SlotStatistics, ...],
) -> QuizStatistics:
    n, k = len(totals), len(slot_variances)  # slots, not their versions' rows
    mean = math.fsum(totals) / n if n else None
    median = statistics.median(totals) if n else None
    variance = _variance(totals)
    sd = math.sqrt(variance) if variance is not None else None
    cic = error_ratio = standard_error = None
    if variance is not None and k >= 2 and not _constant(totals):
        summed = math.fsum(v for v in slot_variances if v is not None)
        cic = 100 * k / (k - 1) * (1 - summed / variance)
        # Alpha can't exceed 1 with consistent variances; max() only absorbs rounding.
        error_ratio = 100 * math.sqrt(max(0.0, 1 - cic / 100))
        standard_error = error_ratio / 100 * math.sqrt(variance)
    percents = [100 * total / max_total for total in totals] if max_total else []
    return QuizStatistics(
        attempts=n,
        max_total=max_total,
        mean=mean,
        mean_percent=_percent(mean, max_total),
        median=median,
        median_percent=_percent(median, max_total),
        sd=sd,
        sd_percent=_percent(sd, max_total),
        cic=cic,
        error_ratio=error_ratio,
        standard_error=standard_error,
        standard_error_percent=_percent(standard_error, max_total),
        slots=slots,
        distribution=score_distribution(percents),
    )


def _flags(
    facility: float | None, di: float | None, choices: Sequence[ChoiceStatistics]
) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    if facility is not None and math.isclose(facility, 0, abs_tol=1e-9):
        flags.append(Flag(FlagKind.NOBODY_RIGHT, "Nobody got this question right"))
    if facility is not None and math.isclose(facility, 100, abs_tol=1e-9):
        flags.append(Flag(FlagKind.EVERYONE_RIGHT, "Everyone got this question right"))
    if di is not None and di < 0:
        flags.append(
            Flag(
                FlagKind.NEGATIVE_DISCRIMINATION,
                "Negative discrimination: learners who did worse on the rest of the quiz "
                "did better on this question",
            )
        )
    for choice in choices:
        if choice.percent is not None and not choice.is_correct and choice.count == 0:
            flags.append(
                Flag(
                    FlagKind.DISTRACTOR_NEVER_CHOSEN,
                    f"Distractor never chosen: “{choice.text}”",
                )
            )
    return tuple(flags)


def _percent(value: float | None, whole: float) -> float | None:
    return 100 * value / whole if value is not None and whole else None


def _constant(values: Sequence[float]) -> bool:
    return min(values) == max(values)


def _variance(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return None
    return _covariance(values, values)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Sample covariance, two-pass as Moodle computes it; callers ensure n ≥ 2."""
    n = len(xs)
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / (n - 1)
