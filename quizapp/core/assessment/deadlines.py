"""When an attempt's answers stop counting: its time limit or the quiz's closing, if sooner.

One rule for the moment an attempt starts and for a teacher changing the quiz's settings while
learners are in it, so moving the close earlier also closes the attempts already open.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def attempt_deadline(
    started_at: datetime, time_limit_minutes: int | None, closes_at: datetime | None
) -> datetime | None:
    limit = started_at + timedelta(minutes=time_limit_minutes) if time_limit_minutes else None
    if closes_at is not None and (limit is None or closes_at < limit):
        return closes_at
    return limit
