"""A learner studies five flashcards with the keyboard alone: Space shows the answer, 1 to 4
rate it; the home page's count of cards due today goes down."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.models import CardReview, Quiz, User
from quizapp.services.cards import due_count

from .browser import chromium_page, live_server, served_app
from .conftest import PASSWORD, SEEDS, add_user, database_url, hand_in

pytestmark = pytest.mark.browser

RATINGS = ["4", "3", "2", "1", "4"]  # Easy, Good, Hard, Again, Easy


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[Flask]:
    with served_app(database_url(tmp_path), seeds=SEEDS) as app:
        with app.app_context():
            cara = add_user("cara@example.org", name="Cara Cards").id
            hand_in(db.session.scalar(select(Quiz.id)), cara)  # the seeded quiz
        yield app


def due_on_home(page: object, base: str) -> int:
    page.goto(base + "/")  # type: ignore[attr-defined]
    link = page.get_by_role("link", name=re.compile(r"^Cards due today: \d+$"))  # type: ignore[attr-defined]
    return int(re.search(r"\d+", link.inner_text()).group())  # type: ignore[union-attr]


def test_study_five_cards_with_the_keyboard(seeded_app: Flask) -> None:
    with live_server(seeded_app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill("cara@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_text("Logged in as Cara Cards").wait_for()
        before = due_on_home(page, base)
        assert before == seeded_app.config["NEW_CARDS_PER_DAY"]  # the seed has more cards

        page.get_by_role("link", name=re.compile(r"^Cards due today")).click()
        page.wait_for_url(re.compile(r"/study/cards$"))
        for key in RATINGS:
            front = page.locator("#card-front").inner_text()
            page.keyboard.press("Space")
            page.wait_for_url(re.compile(r"/study/cards/answer\?card=[qf]:\d+"))
            assert page.locator("#card-front").inner_text() == front  # the same card, flipped
            page.locator("#answer-title").wait_for()
            page.keyboard.press(key)
            page.wait_for_url(re.compile(r"/study/cards$"))

        after = due_on_home(page, base)
        with seeded_app.app_context():
            learner = db.session.scalar(select(User.id).where(User.email == "cara@example.org"))
            ratings = list(db.session.scalars(select(CardReview.rating).order_by(CardReview.id)))
            expected = due_count(learner, utcnow(), seeded_app.config["NEW_CARDS_PER_DAY"])
        assert ratings == [int(key) for key in RATINGS]
        # five new cards used today's allowance; those rated Again, Hard or Good come back
        # within minutes, so (before midnight UTC) they are still due today
        assert after == expected < before


def test_keys_typed_into_a_text_field_are_not_shortcuts(seeded_app: Flask) -> None:
    """Digits and spaces typed into a text field (none is on the card page today; a note box
    may be one day) stay in the field: no card is rated."""
    with live_server(seeded_app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill("cara@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_text("Logged in as Cara Cards").wait_for()
        page.goto(base + "/study/cards")
        page.get_by_role("link", name="Show answer").click()
        page.wait_for_url(re.compile(r"/study/cards/answer"))
        page.evaluate(
            "() => { const i = document.createElement('input'); i.type = 'text';"
            " i.id = 'typing'; i.setAttribute('aria-label', 'Typing'); document.body.append(i); }"
        )
        page.locator("#typing").focus()
        page.keyboard.type("1 4")
        assert page.locator("#typing").input_value() == "1 4"
        assert re.search(r"/study/cards/answer", page.url)
        with seeded_app.app_context():
            assert db.session.scalar(select(CardReview.id)) is None
