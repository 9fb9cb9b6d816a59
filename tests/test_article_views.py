"""The article as the teacher and the learner see it: the headline above, kept apart from the
sentences; the paragraphs as written, one block each; the numbered sentence anchors that facts,
questions and the debate map link to; and, for the teacher, quotes whose speaker is unsure."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.core.facts import ATTRIBUTION_THRESHOLD
from quizapp.database import write_transaction
from quizapp.extensions import db
from quizapp.models import Article, Fact, Role, Sentence
from quizapp.services.imports import import_article
from quizapp.services.reading import read_with_facts_file

from .conftest import Auth, add_user

HEADLINE = "Library opening hours cut as the town saves money"
PARAGRAPHS = (
    "The town council of Millbrook cut the library's opening hours on Monday."
    " The library will now close at four in the afternoon.",
    "Councillor Priya Nair defended the decision. She said the budget left no choice.",
    "Readers started a petition against the cuts. It has gathered many names.",
)
ARTICLE = HEADLINE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
SENTENCES = [
    "The town council of Millbrook cut the library's opening hours on Monday.",
    "The library will now close at four in the afternoon.",
    "Councillor Priya Nair defended the decision.",
    "She said the budget left no choice.",
    "Readers started a petition against the cuts.",
    "It has gathered many names.",
]
# Curated facts with reading's confidence: Priya Nair's quote sits on a sentence that only
# says "She", so whether she said it is unsure; the readers' petition is no quote at all.
FACTS = {
    "entities": [{"name": "Priya Nair", "type": "person"}, {"name": "Millbrook", "type": "place"}],
    "facts": [
        {
            "kind": "quote",
            "subject": "Priya Nair",
            "object": "the budget left no choice",
            "evidence": SENTENCES[3],
            "confidence": 0.4,
        },
        {
            "kind": "quote",
            "subject": "Priya Nair",
            "object": "defended the decision",
            "evidence": SENTENCES[2],
            "confidence": 0.9,
        },
        {
            "kind": "role",
            "subject": "Priya Nair",
            "object": "Councillor",
            "evidence": SENTENCES[2],
            "confidence": 0.3,
        },
    ],
}


def import_library_article(owner_id: int | None, title: str = "Library hours") -> int:
    with write_transaction():
        reading = read_with_facts_file(ARTICLE, json.dumps(FACTS))
        result = import_article(
            title, "Gazette", ARTICLE, owner_id, max_chars=10_000, reading=reading
        )
    return result.article.id


@pytest.fixture
def teacher(app: Flask, auth: Auth) -> int:
    with app.app_context():
        teacher_id = add_user("t@example.org", Role.TEACHER).id
    auth.login("t@example.org")
    return teacher_id


def blocks(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page, flags=re.S)


def texts_of(block: str, item: str) -> list[str]:
    return [t.replace("&#39;", "'") for t in re.findall(item, block)]


def test_the_headline_is_stored_apart_from_the_sentences(app: Flask, teacher: int) -> None:
    with app.app_context():
        article = db.session.get(Article, import_library_article(teacher))
        assert article.headline == HEADLINE
        assert [s.text for s in article.sentences] == SENTENCES
        assert [s.paragraph for s in article.sentences] == [0, 0, 1, 1, 2, 2]
        assert all(f.sentence.text != HEADLINE for f in article.facts)


def test_pasting_an_article_keeps_its_headline_and_paragraphs(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    response = client.post(
        "/teach/articles/new",
        data={"title": "Pasted", "source": "", "text": ARTICLE},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        article = db.session.scalar(select(Article))
        assert article.headline == HEADLINE
        assert [s.text for s in article.sentences] == SENTENCES
        assert [s.paragraph for s in article.sentences] == [0, 0, 1, 1, 2, 2]


def test_the_teachers_page_shows_the_headline_then_each_paragraph_as_a_block(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    with app.app_context():
        article_id = import_library_article(teacher)
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    section = page[page.index('<h2 id="sentences">') :]
    headline = section.index('class="article-headline"')
    assert HEADLINE in section[headline : section.index("</p>", headline)]
    paragraphs = blocks(section, r'<ol class="sentences paragraph"(.*?)</ol>')
    assert headline < section.index('<ol class="sentences paragraph"')
    assert len(paragraphs) == 3
    numbers = 1
    for block, expected in zip(paragraphs, PARAGRAPHS, strict=True):
        assert f'start="{numbers}"' in block
        items = texts_of(block, r'<li id="s\d+" value="\d+">(.*?)</li>')
        assert " ".join(items) == expected
        ids = re.findall(r'<li id="s(\d+)"', block)
        assert ids == [str(n) for n in range(numbers, numbers + len(items))]
        numbers += len(items)
    # The headline is no numbered sentence, nor run into the first one.
    items = texts_of(section, r'<li id="s\d+" value="\d+">(.*?)</li>')
    assert items == SENTENCES and not any(HEADLINE in item for item in items)
    # Facts still link to their (highlightable) sentence.
    assert 'href="#s4"' in page and 'id="s4"' in page


def test_the_teacher_sees_which_quotes_have_an_unsure_speaker(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    assert 0.4 < ATTRIBUTION_THRESHOLD <= 0.9
    with app.app_context():
        article_id = import_library_article(teacher)
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    rows = blocks(page[page.index('<h2 id="facts">') :], r"<tr[^>]*>(.*?)</tr>")[1:]
    marked = [row for row in rows if "Unsure speaker" in row]
    assert len(marked) == 1  # only the quote: a low-confidence role is no speaker to doubt
    assert "quote" in marked[0] and "confidence 0.40" in marked[0] and 'href="#s4"' in marked[0]
    assert page.count("Unsure speaker") == 1


def test_the_learners_article_view_shows_the_headline_then_paragraphs(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        article_id = import_library_article(None)  # shared: anyone may read it
    page = client.get(f"/study/articles/{article_id}").get_data(as_text=True)
    body = page[page.index('<article class="article-text"') :]
    assert re.search(rf'<h2 class="article-headline"[^>]*>{HEADLINE}</h2>', body)
    paragraphs = blocks(body, r'<p class="paragraph">(.*?)</p>')
    assert len(paragraphs) == 3
    position = 0
    for block, expected in zip(paragraphs, PARAGRAPHS, strict=True):
        spans = re.findall(r'<span id="s(\d+)" class="sentence">(.*?)</span>', block)
        assert [int(n) for n, _ in spans] == list(range(position, position + len(spans)))
        assert " ".join(t.replace("&#39;", "'") for _, t in spans) == expected
        position += len(spans)
    assert body.index("article-headline") < body.index('class="paragraph"')
    assert not re.search(rf'class="sentence">[^<]*{HEADLINE}', body)


def test_a_headline_that_is_the_title_is_not_shown_twice_to_learners(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        article_id = import_library_article(None, title=HEADLINE)
    page = client.get(f"/study/articles/{article_id}").get_data(as_text=True)
    assert page.count(f">{HEADLINE}</") == 1  # the page's own heading
    assert 'class="article-headline"' not in page


def test_an_article_stored_before_paragraphs_were_kept_reads_as_one_block(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    with app.app_context():
        article = Article(title="Old", text="x", text_hash="old", created_by_id=teacher)
        article.sentences = [Sentence(position=i, text=t) for i, t in enumerate(SENTENCES[:3])]
        db.session.add(article)
        db.session.flush()
        article.facts = [Fact(sentence=article.sentences[2], kind="role", subject="a", object="b")]
        db.session.commit()
        article_id = article.id
    page = client.get(f"/teach/articles/{article_id}").get_data(as_text=True)
    assert page.count('<ol class="sentences paragraph"') == 1
    assert 'class="article-headline"' not in page and "Unsure speaker" not in page
    study = client.get(f"/study/articles/{article_id}").get_data(as_text=True)
    assert study.count('<p class="paragraph">') == 1 and 'id="s2" class="sentence"' in study
