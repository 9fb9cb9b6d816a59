from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Article, Fact, FactStatus, Quiz, Role, Sentence
from tests.conftest import Auth, SmallQuiz, add_user, build_small_quiz


def make_article(owner_id: int | None = None, with_stances: bool = True) -> int:
    article = Article(
        title="Phone ban",
        source="test",
        text="t",
        text_hash=f"phone-ban-{owner_id}-{with_stances}",
        debate="Should schools ban phones?",
        sides=[{"key": "for", "label": "Ban them"}, {"key": "against", "label": "Keep them"}],
        created_by_id=owner_id,
    )
    article.sentences = [
        Sentence(position=0, text="Ann Lee is head of Oak School."),
        Sentence(position=1, text="Lee said phones distract pupils."),
        Sentence(position=2, text="Tom Ray said phones keep children safe."),
    ]
    db.session.add(article)
    db.session.flush()
    s0, s1, s2 = article.sentences
    facts = [
        Fact(sentence=s0, kind="role", subject="Ann Lee", object="head", relation="Oak School"),
        Fact(sentence=s1, kind="quote", subject="Lee", object="phones distract pupils"),
        Fact(sentence=s2, kind="quote", subject="Tom Ray", object="phones keep children safe"),
    ]
    if with_stances:
        facts += [
            Fact(sentence=s1, kind="stance", subject="Ann Lee", object="for"),
            Fact(sentence=s2, kind="stance", subject="Tom Ray", object="against"),
        ]
    for fact in facts:
        fact.status = FactStatus.CONFIRMED  # reviewed: only confirmed facts reach the map
    article.facts = facts
    db.session.commit()
    return article.id


def test_map_groups_actors_by_side_and_links_quotes(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        article_id = make_article()
    page = client.get(f"/study/articles/{article_id}/map").get_data(as_text=True)
    assert "Should schools ban phones?" in page
    ban, keep = page.index("Ban them"), page.index("Keep them")
    assert ban < page.index("Ann Lee") < keep < page.index("Tom Ray")
    assert "head, Oak School" in page
    assert f'href="/study/articles/{article_id}#s1">“phones distract pupils”' in page
    assert f'href="/study/articles/{article_id}#s2">“phones keep children safe”' in page
    assert "Side not stated" not in page


def test_article_view_anchors_each_sentence(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        article_id = make_article()
    page = client.get(f"/study/articles/{article_id}").get_data(as_text=True)
    assert 'id="s2" class="sentence">Tom Ray said phones keep children safe.' in page


def test_imported_article_without_stances_still_gets_a_map(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        teacher = add_user("t@example.com", Role.TEACHER)
        article_id = make_article(owner_id=teacher.id, with_stances=False)
    auth.login("t@example.com")
    page = client.get(f"/study/articles/{article_id}/map").get_data(as_text=True)
    assert "Side not stated" in page
    assert page.index("Side not stated") < page.index("Ann Lee") < page.index("Tom Ray")


def test_unpublished_import_is_hidden_from_others(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        owner = add_user("owner@example.com", Role.TEACHER)
        add_user("other@example.com", Role.TEACHER)
        add_user("pupil@example.com")
        article_id = make_article(owner_id=owner.id)
    for email in ("other@example.com", "pupil@example.com"):
        auth.login(email)
        assert client.get(f"/study/articles/{article_id}/map").status_code == 404
        assert client.get(f"/study/articles/{article_id}").status_code == 404
        auth.logout()
    auth.login("owner@example.com")
    assert client.get(f"/study/articles/{article_id}/map").status_code == 200


def test_import_used_by_a_published_quiz_is_public(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        owner = add_user("owner@example.com", Role.TEACHER)
        quiz = build_small_quiz()
        article = db.session.get(Quiz, quiz.quiz_id).items[0].question.article
        article.created_by_id = owner.id
        db.session.commit()
        article_id = article.id
    assert client.get(f"/study/articles/{article_id}/map").status_code == 200
    with app.app_context():
        db.session.get(Quiz, quiz.quiz_id).published = False
        db.session.commit()
    assert client.get(f"/study/articles/{article_id}/map").status_code == 404


def test_home_and_result_link_the_map(
    app: Flask, client: FlaskClient, learner: str, small_quiz: SmallQuiz
) -> None:
    with app.app_context():
        article_id = db.session.get(Quiz, small_quiz.quiz_id).items[0].question.article_id
    link = f'href="/study/articles/{article_id}/map"'
    assert link in client.get("/").get_data(as_text=True)
    started = client.post(f"/quizzes/{small_quiz.quiz_id}/start")
    attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    client.post(f"/attempts/{attempt_id}/finish")
    assert link in client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)


def stances(article_id: int) -> list[tuple[str, str]]:
    facts = db.session.scalars(
        select(Fact).where(Fact.article_id == article_id, Fact.kind == "stance")
    )
    return sorted((f.subject, f.object) for f in facts)


def test_teacher_corrects_sides(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        owner = add_user("owner@example.com", Role.TEACHER)
        article_id = make_article(owner_id=owner.id)
    auth.login("owner@example.com")
    url = f"/study/articles/{article_id}/map/side"
    assert "Side of Tom Ray" in client.get(f"/study/articles/{article_id}/map").get_data(True)
    assert client.post(url, data={"actor": "Tom Ray", "side": "for"}).status_code == 302
    assert client.post(url, data={"actor": "Lee", "side": ""}).status_code == 302
    with app.app_context():
        assert stances(article_id) == [("Tom Ray", "for")]
    assert client.post(url, data={"actor": "Ann Lee", "side": "against"}).status_code == 302
    assert client.post(url, data={"actor": "Tom Ray", "side": "nonsense"}).status_code == 400
    assert client.post(url, data={"actor": "Nobody", "side": "for"}).status_code == 404
    with app.app_context():
        assert stances(article_id) == [("Ann Lee", "against"), ("Tom Ray", "for")]


def test_learner_gets_403_and_other_teacher_404(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        owner = add_user("owner@example.com", Role.TEACHER)
        add_user("other@example.com", Role.TEACHER)
        add_user("pupil@example.com")
        shared_id = make_article()
        own_id = make_article(owner_id=owner.id)
    auth.login("pupil@example.com")
    assert "Side of" not in client.get(f"/study/articles/{shared_id}/map").get_data(True)
    data = {"actor": "Tom Ray", "side": "for"}
    assert client.post(f"/study/articles/{shared_id}/map/side", data=data).status_code == 403
    auth.logout()
    auth.login("other@example.com")
    assert client.post(f"/study/articles/{own_id}/map/side", data=data).status_code == 404
    assert client.post(f"/study/articles/{shared_id}/map/side", data=data).status_code == 302
    with app.app_context():
        assert stances(own_id) == [("Ann Lee", "for"), ("Tom Ray", "against")]
        assert stances(shared_id) == [("Ann Lee", "for"), ("Tom Ray", "for")]


def test_correcting_a_side_withdraws_the_questions_that_taught_the_old_one(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """The map moved Tom Ray to the other side while his 'which side' question still marked
    the old side right."""
    from quizapp.models import Choice, Question, QuizQuestion, Status

    with app.app_context():
        owner = add_user("owner@example.com", Role.TEACHER)
        article_id = make_article(owner_id=owner.id)

        def question(source_key: str, stem: str) -> Question:
            return Question(
                article_id=article_id, kind="single", stem=stem, source_key=source_key,
                status=Status.APPROVED,
                choices=[Choice(position=0, text="Keep them", is_correct=True),
                         Choice(position=1, text="Ban them")],
            )  # fmt: skip

        draft = question("stance_side|stance|Tom Ray||against", "Which side does Tom Ray take?")
        in_quiz = question("true_false|stance|Tom Ray||against", "Tom Ray is against. True?")
        other = question("stance_side|stance|Ann Lee||for", "Which side does Ann Lee take?")
        db.session.add_all([draft, in_quiz, other])
        db.session.add(Quiz(title="Uses it", items=[QuizQuestion(question=in_quiz, position=1)]))
        db.session.commit()
        ids = draft.id, in_quiz.id, other.id
    auth.login("owner@example.com")
    url = f"/study/articles/{article_id}/map/side"
    same = client.post(url, data={"actor": "Tom Ray", "side": "against"}, follow_redirects=True)
    assert "left the bank" not in same.get_data(as_text=True)  # nothing changed
    moved = client.post(url, data={"actor": "Tom Ray", "side": "for"}, follow_redirects=True)
    assert "2 questions about their side taught the old side" in moved.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, ids[0]) is None  # an unused draft: deleted
        assert db.session.get(Question, ids[1]).status == Status.RETIRED  # in a quiz: retired
        assert db.session.get(Question, ids[2]).status == Status.APPROVED  # someone else's
