"""Choosing distractors: names drawn in tiers (the article's own first, then a pool), never
one the facts make true or one nested in a true name, and near misses for numbers.

Every generator picks its wrong answers here, so none can forget the rule that a learner who
knows the article is never marked wrong.
"""

from __future__ import annotations

import random
import re
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from quizapp.core.questions.wording import comparable, contains, name_words

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


_MAGNITUDES = (
    "a hundred",
    "a thousand",
    "ten thousand",
    "a hundred thousand",
    "a million",
    "ten million",
    "a hundred million",
    "a billion",
)


_PLURAL_MAGNITUDES = ("dozens", "hundreds", "thousands", "millions", "billions")


@dataclass(frozen=True)
class Tier:
    """Names to draw from, less ``skip`` (names as written) that this question leaves out of
    this tier only, such as people the quote talks about, who come last."""

    names: Sequence[str]
    skip: Container[str] = frozenset()


def pick(
    rng: random.Random,
    tiers: Sequence[Sequence[str] | Tier],
    *,
    exclude: Iterable[str] | Taken,
    count: int,
) -> list[str]:
    """Up to ``count`` distractors, using later tiers only when earlier ones run out.

    ``exclude`` holds the normalised names the facts make true: nothing equal to, inside or
    around one may be offered. Each tier is drawn in an order from the question's RNG, one
    name at a time, so the seed varies which names appear without ever preferring a pool name
    over one from the article, and a question needing three names from an article naming
    thousands looks at a few of them: after ``_SCAN_LIMIT`` names a tier counts as run out
    (only an article where nearly every name is true or in the sentence gets there).
    """
    true_names = exclude if isinstance(exclude, Taken) else Taken(exclude)
    chosen = Taken(())
    picked: list[str] = []
    if count <= 0:
        return picked
    for tier in tiers:
        names, skip = (tier.names, tier.skip) if isinstance(tier, Tier) else (tier, ())
        for option in islice(_random_order(rng, names), _SCAN_LIMIT):
            if option in skip:
                continue
            norm = comparable(option)
            if norm and not true_names.overlaps(norm) and not chosen.overlaps(norm):
                chosen.add(norm)
                picked.append(option)
                if len(picked) == count:
                    return picked
    return picked


_SCAN_LIMIT = 60


def _random_order(rng: random.Random, items: Sequence[str]) -> Iterator[str]:
    """``items`` in a random order, drawn lazily (a Fisher-Yates shuffle that records only the
    positions it moved), so stopping after a few names costs a few draws, not a copy."""
    size = len(items)
    moved: dict[int, int] = {}
    for position in range(size):
        other = rng.randrange(position, size)
        drawn = moved.get(other, other)
        moved[other] = moved.get(position, position)
        yield items[drawn]


class Taken:
    """Normalised names already true or chosen, indexed so that checking a candidate costs
    the same against five names as against five thousand."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: set[str] = set()
        self._by_first_word: dict[str, set[str]] = {}
        self._by_word: dict[str, set[str]] = {}
        for name in names:
            self.add(name)

    def add(self, norm: str) -> None:
        words = name_words(norm)
        self._names.add(norm)
        self._by_first_word.setdefault(words[0], set()).add(norm)
        for word in set(words):
            self._by_word.setdefault(word, set()).add(norm)

    def overlaps(self, norm: str) -> bool:
        """Equal to, or nested in or around, a taken name ("Commission" / "European
        Commission"): offering both would make a distractor arguably right."""
        if norm in self._names:
            return True
        words = set(name_words(norm))
        # A name nested in this one starts with one of its words...
        for word in words:
            if any(contains(norm, other) for other in self._by_first_word.get(word, ())):
                return True
        # ...and one around it has every one of its words: the rarest word's names suffice.
        holding = [self._by_word.get(word, set()) for word in words]
        return any(contains(other, norm) for other in min(holding, key=len))


@lru_cache(maxsize=16_384)
def number_shape(value: str) -> str:
    """A coarse form ("month year", "count"...) so distractors look like the answer."""
    text = value.strip()
    if re.fullmatch(rf"({'|'.join(_MONTHS)}) \d{{4}}", text):
        return "month-year"
    if text in _MONTHS:
        return "month"
    if re.fullmatch(r"\d{4}", text):
        return "year"
    if re.fullmatch(r"\d+", text) or text.lower() in _NUMBER_WORDS:
        return "count"
    return "phrase"


_PERCENT = re.compile(r"\b(?P<n>\d{1,3}(?:\.\d+)?)(?P<unit>\s?(?:%|per ?cent\b))", re.I)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Month names in full or cut short ("Nov", "Sept."), so "20 Nov 2019" is a day of a month too.
_MONTH_NAME = rf"(?:{'|'.join(m[:3] + '(?:' + m[3:] + ')?' for m in _MONTHS)}|Sept)\.?"
_DAY_OF_MONTH = re.compile(
    rf"(?P<before>^|\b{_MONTH_NAME}\s)(?P<day>\d{{1,2}})(?P<after>(?:st|nd|rd|th)?"
    rf"(?:,?\s\d{{4}}|\s{_MONTH_NAME}(?:\s\d{{4}})?)?$)"
)


def number_variants(value: str) -> list[str]:
    """Near misses of the same form: neighbouring dates, counts and orders of magnitude."""
    text = value.strip()
    special = _special_variants(text)
    if special is not None:
        return special
    shape = number_shape(text)
    if shape == "month-year":
        month, year = text.split()
        index, year_number = _MONTHS.index(month), int(year)
        return [
            *(f"{month} {year_number + d}" for d in (-2, -1, 1, 2)),
            *(f"{_MONTHS[(index + d) % 12]} {year}" for d in (-3, 3, 6)),
        ]
    if shape == "month":
        index = _MONTHS.index(text)
        return [_MONTHS[(index + d) % 12] for d in (-2, -1, 1, 2, 4, 6)]
    if shape == "year":
        return [str(int(text) + d) for d in (-3, -2, -1, 1, 2, 3)]
    if shape == "count":
        as_word = text.lower() in _NUMBER_WORDS
        number = _NUMBER_WORDS.index(text.lower()) if as_word else int(text)
        options = _near_counts(number)
        if as_word:
            words = [_NUMBER_WORDS[n] for n in options if n < len(_NUMBER_WORDS)]
            return [w.capitalize() if text[0].isupper() else w for w in words]
        return [str(n) for n in options]
    digits = re.search(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d.,])\d+(?![\d.,])", text)
    if digits:
        # "1,200 reports", "40%", "£5 million": vary the number, keep its unit around it.
        number = int(digits.group().replace(",", ""))
        is_year = len(digits.group()) == 4 and 1800 <= number <= 2100
        options = [number + d for d in (-3, -2, -1, 1, 2, 3)] if is_year else _near_counts(number)
        if number != 1:
            options = [n for n in options if n != 1]  # "1 years" reads wrong, so it gives away
        spell = "{:,}" if "," in digits.group() else "{}"
        return [text[: digits.start()] + spell.format(n) + text[digits.end() :] for n in options]
    for scale in (_MAGNITUDES, _PLURAL_MAGNITUDES):
        for step in sorted(scale, key=len, reverse=True):
            match = re.search(rf"(?<!\w){re.escape(step)}(?!\w)", text)
            if match:
                index = scale.index(step)
                near = [scale[i] for i in range(index - 3, index + 4) if 0 <= i < len(scale)]
                return [
                    text[: match.start()] + other + text[match.end() :]
                    for other in near
                    if other != step
                ]
    return []


_SCALES = ("thousand", "million", "billion")
_SCALED = re.compile(
    rf"\b(?P<count>\d+(?:\.\d+)?|{'|'.join(_NUMBER_WORDS[1:])})\s(?P<scale>thousand|million|billion)\b",
    re.I,
)


def _near_scaled_counts(count: str) -> list[str]:
    """ "one million" -> "two million", "five million"; "1.5 million" -> "3 million"."""
    if count.lower() in _NUMBER_WORDS:
        number = _NUMBER_WORDS.index(count.lower())
        near = [n for n in (number - 1, number + 1, number + 3, number * 2) if 0 < n < 13]
        words = [_NUMBER_WORDS[n] for n in dict.fromkeys(near) if n != number]
        return [w.capitalize() if count[0].isupper() else w for w in words]
    value = float(count)
    near = [value / 2, value * 2, value * 3, value + 1]
    return [f"{n:g}" for n in dict.fromkeys(near) if n != value]


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _special_variants(text: str) -> list[str] | None:
    """Forms a plain count would vary wrongly: a percentage stays within 0-100, an ordinal
    keeps its suffix right ("62nd" -> "57th"), a weekday is another weekday, a day of the
    month stays a day of the month (never "January 40")."""
    percent = _PERCENT.search(text)
    if percent:
        number = float(percent["n"])
        shown = [number + d for d in (-20, -10, -5, 5, 10, 20) if 0 < number + d < 100]
        return [
            text[: percent.start()] + f"{n:g}{percent['unit']}" + text[percent.end() :]
            for n in shown
        ]
    scaled = _SCALED.search(text)
    if scaled:
        count, scale = scaled["count"], scaled["scale"].lower()
        counts = _near_scaled_counts(count)
        scales = [s for s in _SCALES if s != scale]
        options = [f"{c} {scaled['scale']}" for c in counts] + [f"{count} {s}" for s in scales]
        return [text[: scaled.start()] + o + text[scaled.end() :] for o in options]
    ordinal = re.search(r"\b(\d+)(?:st|nd|rd|th)\b", text)
    if ordinal:
        number = int(ordinal.group(1))
        near = [n for n in (number - 10, number - 5, number - 2, number + 2, number + 5) if n > 0]
        return [text[: ordinal.start()] + _ordinal(n) + text[ordinal.end() :] for n in near]
    decade = re.search(r"\b(1[5-9]|20)(\d)0s\b", text)
    if decade:
        start = int(decade.group()[:4])
        return [
            text[: decade.start()] + f"{start + d}s" + text[decade.end() :]
            for d in (-30, -20, -10, 10, 20)
            if start + d <= 2020
        ]
    if text in _WEEKDAYS:
        index = _WEEKDAYS.index(text)
        return [_WEEKDAYS[(index + d) % 7] for d in (1, 2, -1, 3)]
    day = _DAY_OF_MONTH.match(text)
    if day and re.search(rf"\b{_MONTH_NAME}(?!\w)", text):
        number = int(day["day"])
        days = [n for n in (number - 2, number - 1, number + 1, number + 3) if 1 <= n <= 28]
        return [f"{day['before']}{n}{day['after']}" for n in days]
    return None


def _near_counts(number: int) -> list[int]:
    """Small counts miss by one or two; large ones by a scale, as a reader misremembers them."""
    if number < 20:
        options = [number - 2, number - 1, number + 1, number + 2, number * 2]
    else:
        options = [number // 2, number * 2, number * 10, number // 10, number * 3 // 2]
    return [n for n in dict.fromkeys(options) if n > 0 and n != number]
