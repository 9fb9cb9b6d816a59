"""Who may reach what, checked for every route in the URL map.

The routes come from ``app.url_map`` itself, so a new route is checked the day it is added:
it must be listed as public here, or refuse anonymous users, and teacher routes must refuse
learners. A route whose URL needs an id this file cannot fill fails the test until it can.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from quizapp.extensions import db
from quizapp.models import Article, Attempt, Fact, Job, Role, Sentence, User
from quizapp.services.bank import QuestionData, create_question
from quizapp.services.classes import create_class, join_class
from quizapp.services.invites import create_invite
from quizapp.services.invites import make_token as make_invite_token
from quizapp.services.quizzes import QuizSettings, save_quiz
from quizapp.services.resets import make_token

from .conftest import Auth, SmallQuiz, add_user

# Readable without an account: the quiz list, signing in, health checks, assets, and the
# study pages of shared articles (their own service refuses articles that are not shared).
PUBLIC = {
    "learn.home",
    "auth.login",
    "auth.register",
    "auth.reset_request",
    "auth.reset",
    "auth.invite",
    "health.healthz",
    "static",
    "study.article",
    "study.debate_map",
}
# Routes that act on one learner's own attempt: another learner gets 404, never the data.
LEARNER_OWNED = {
    "learn.resume",
    "learn.finish",
    "learn.question",
    "learn.result",
    "learn.retry_mistakes",
}


@pytest.fixture
def world(
    app: Flask, small_quiz: SmallQuiz, auth: Auth, client: FlaskClient
) -> dict[str, int | str]:
    """A learner with an attempt, a teacher's class, quiz, question and article, and ids for
    every kind of URL argument."""
    with app.app_context():
        add_user("owner@example.org")
        add_user("other@example.org")
        add_user("teacher@example.org", Role.TEACHER)
        add_user("rival@example.org", Role.TEACHER)
        teacher = db.session.scalar(select(User).where(User.email == "teacher@example.org"))
        learner = db.session.scalar(select(User).where(User.email == "owner@example.org"))
        assert teacher is not None and learner is not None
        school_class = create_class(teacher.id, "Year 10")
        join_class(learner.id, school_class.join_code)
        question = create_question(
            teacher.id, QuestionData("single", "Who regulates?", [("Ofcom", True), ("BBC", False)])
        )
        quiz = save_quiz(teacher.id, QuizSettings("Week 1", class_ids=[school_class.id]))
        article = Article(title="Mine", text="x", text_hash="mine", created_by_id=teacher.id)
        article.sentences = [Sentence(position=0, text="Ofcom regulates broadcasters.")]
        db.session.add(article)
        db.session.flush()
        fact = Fact(
            article_id=article.id,
            sentence=article.sentences[0],
            kind="definition",
            subject="Ofcom",
            object="the regulator",
        )
        db.session.add(fact)
        job = Job(owner_id=teacher.id, payload={"title": "Mine", "source": "", "text": "x"})
        db.session.add(job)
        db.session.commit()
        owned = {
            "class_id": school_class.id,
            "learner_id": learner.id,
            "teacher_quiz_id": quiz.id,
            "teacher_question_id": question.id,
            "teacher_article_id": article.id,
            "fact_id": fact.id,
            "job_id": job.id,
        }
    auth.login("owner@example.org")
    start = client.post(f"/quizzes/{small_quiz.quiz_id}/start")
    assert start.status_code == 302
    auth.logout()
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id))
        article_id = db.session.scalar(select(Article.id))
        other = db.session.scalar(select(User).where(User.email == "other@example.org"))
        assert other is not None
        token = make_token(other)  # a live password-reset link's token
        invite = create_invite(other.id, "invited@example.org", Role.TEACHER)
        db.session.commit()
        invite_token = make_invite_token(invite)  # a live invitation link's token
        invite_id, other_id = invite.id, other.id
    assert attempt_id is not None and article_id is not None
    return {
        "token": token,
        "invite_token": invite_token,
        "invite_id": invite_id,
        "user_id": other_id,
        "attempt_id": attempt_id,
        "quiz_id": small_quiz.quiz_id,
        "article_id": article_id,
        "question_id": small_quiz.question_ids[0],
        "position": 1,
        **owned,
    }


def routes(app: Flask) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


def url_for_rule(rule: Rule, ids: dict[str, int | str]) -> str:
    missing = set(rule.arguments) - set(ids) - {"filename"}
    assert not missing, f"{rule.endpoint}: no test id for {missing}; add one to world()"
    values = {name: ids.get(name, "style.css") for name in rule.arguments}
    return rule.build(values)[1]  # type: ignore[index]


def request(client: FlaskClient, method: str, url: str) -> int:
    with client.open(url, method=method, data={}) as response:
        return response.status_code


def test_every_route_is_public_or_needs_login(
    app: Flask, client: FlaskClient, world: dict[str, int | str]
) -> None:
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC:
            continue
        url = url_for_rule(rule, world)
        with client.open(url, method=method, data={}) as response:
            assert response.status_code in (302, 401), (rule.endpoint, method)
            assert "/auth/login" in response.location, (rule.endpoint, method)


def test_public_routes_answer_anonymous_users(
    app: Flask, client: FlaskClient, world: dict[str, int | str]
) -> None:
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC and method == "GET":
            ids = (
                {**world, "token": world["invite_token"]}
                if rule.endpoint == "auth.invite"
                else world
            )
            assert request(client, method, url_for_rule(rule, ids)) == 200, rule.endpoint


def test_every_teacher_route_refuses_learners(
    app: Flask, client: FlaskClient, auth: Auth, world: dict[str, int | str]
) -> None:
    auth.login("other@example.org")
    teacher_routes = [(r, m) for r, m in routes(app) if r.endpoint.startswith("teach.")]
    assert teacher_routes
    for rule, method in teacher_routes:
        assert request(client, method, url_for_rule(rule, world)) == 403, (rule.endpoint, method)


def test_another_learners_attempt_is_not_found_on_every_route(
    app: Flask, client: FlaskClient, auth: Auth, world: dict[str, int | str]
) -> None:
    auth.login("other@example.org")
    owned = [(r, m) for r, m in routes(app) if r.endpoint in LEARNER_OWNED]
    assert {r.endpoint for r, _ in owned} == LEARNER_OWNED
    for rule, method in owned:
        assert request(client, method, url_for_rule(rule, world)) == 404, (rule.endpoint, method)
    for rule in app.url_map.iter_rules():  # every attempt route is covered above
        assert "attempt_id" not in rule.arguments or rule.endpoint in LEARNER_OWNED, rule.rule


def test_another_teachers_things_are_not_found_on_every_teacher_route(
    app: Flask, client: FlaskClient, auth: Auth, world: dict[str, int | str]
) -> None:
    """Every teacher route that names a class, quiz, question or article (exports included)
    answers another teacher with 404, never the data."""
    auth.login("rival@example.org")
    ids = {
        **world,
        "quiz_id": world["teacher_quiz_id"],
        "question_id": world["teacher_question_id"],
        "article_id": world["teacher_article_id"],
    }
    named = {"quiz_id", "class_id", "question_id", "article_id", "job_id"}
    owned = [
        (r, m) for r, m in routes(app) if r.endpoint.startswith("teach.") and named & r.arguments
    ]
    assert {"teach.export_quiz", "teach.export_class", "teach.report"} <= {
        r.endpoint for r, _ in owned
    }
    for rule, method in owned:
        assert request(client, method, url_for_rule(rule, ids)) == 404, (rule.endpoint, method)
    auth.logout()
    auth.login("teacher@example.org")  # and the owner reaches them
    for rule, method in owned:
        if method == "GET":
            assert request(client, method, url_for_rule(rule, ids)) == 200, rule.endpoint
