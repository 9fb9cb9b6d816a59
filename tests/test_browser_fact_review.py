"""A teacher opens an imported article in Chromium, fixes a quote's wrong speaker with the
fact form, and sees the drafts made from it regenerated; axe checks the page and the form."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.core.facts import FactKind
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Fact, Role, User
from quizapp.services.imports import import_article
from quizapp.services.seeding import read_article_with_facts

from .browser import assert_accessible, chromium_page, live_server, served_app
from .conftest import PASSWORD, SEED_ARTICLE, add_user, database_url

pytestmark = pytest.mark.browser

WORDS = "a mass surveillance apparatus"


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[tuple[Flask, int, int]]:
    """The seed article imported by a teacher, its facts file giving Meredith Whittaker's
    words to the wrong person (as reading sometimes does): no draft survives the gates."""
    with served_app(database_url(tmp_path)) as app:
        with app.app_context():
            teacher = add_user("tess@example.org", Role.TEACHER, name="Tess Teacher").id
            with write_transaction():
                text, reading = read_article_with_facts(SEED_ARTICLE)
                wrong = tuple(
                    dataclasses.replace(f, subject="Ciaran Martin")
                    if f.kind == FactKind.QUOTE and f.object == WORDS
                    else f
                    for f in reading.facts.facts
                )
                facts = dataclasses.replace(reading.facts, facts=wrong)
                result = import_article(
                    "Meta and encryption",
                    "BBC",
                    text,
                    teacher,
                    max_chars=200_000,
                    reading=dataclasses.replace(reading, facts=facts),
                )
            article_id = result.article.id
            fact_id = db.session.scalar(
                select(Fact.id).where(Fact.article_id == article_id, Fact.object == WORDS)
            )
            assert fact_id is not None
            assert db.session.scalar(select(User.id).where(User.id == teacher))
        yield app, article_id, fact_id


def test_teacher_fixes_a_wrong_speaker_and_its_drafts_are_regenerated(
    imported: tuple[Flask, int, int],
) -> None:
    app, article_id, fact_id = imported
    with live_server(app) as base, chromium_page() as page:
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill("tess@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/teach/articles/{article_id}")
        row = page.locator(f"#f{fact_id}")
        assert "Ciaran Martin" in row.inner_text()
        assert_accessible(page)  # the article page with the facts' review forms

        row.get_by_role("link", name=re.compile("^Edit")).click()
        page.wait_for_url(re.compile(rf"/facts/{fact_id}/edit$"))
        assert page.get_by_label("Quoted words").input_value() == WORDS
        assert_accessible(page)  # the fact form
        page.get_by_label("Speaker").fill("Meredith Whittaker")
        page.get_by_role("button", name="Save fact").click()

        page.wait_for_url(re.compile(rf"/teach/articles/{article_id}#f{fact_id}$"))
        page.get_by_text(re.compile(r"Saved the fact; it is confirmed\. .* replaced by")).wait_for()
        message = page.locator(".flash").first.inner_text()
        assert re.search(r"0 draft questions made from it replaced by [1-9]\d* draft", message)
        row = page.locator(f"#f{fact_id}")
        assert "Meredith Whittaker" in row.inner_text()
        assert row.locator(".status").inner_text() == "confirmed"
        stems = page.locator("li.draft .stem").all_inner_texts()
        who_said = [s for s in stems if s.startswith("Who ") and WORDS in s]
        assert who_said, stems
        draft = page.locator("li.draft", has=page.get_by_text(who_said[0], exact=True))
        assert draft.locator("li.correct").inner_text().startswith("Meredith Whittaker")
        assert draft.locator(".status").inner_text() == "draft"
