"""The question bank: filter and page through questions, write, edit (versioned) and retire."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from ..core.formats.documents import DocumentError, bytes_to_text
from ..core.questions.review import MAX_CHOICES
from ..database import parse_id, utcnow, write_transaction
from ..models import Question
from ..services import ServiceError
from ..services.bank import (
    BankFilter,
    QuestionData,
    bank_topics,
    create_question,
    data_of,
    edit_question,
    is_answered,
    own_question,
    question_in_bank,
    retire_question,
    search_bank,
    versions,
)
from ..services.bank_files import export_bank, export_status, import_bank
from ..services.review import article_for_teacher, teacher_articles
from . import bp
from .actions import attempt
from .forms import ActionForm, BankFilterForm, QuestionForm, UploadBankForm


def bank_filter_form(teacher_id: int) -> BankFilterForm:
    """The filter form bound to the query string, its choices the teacher's own."""
    form = BankFilterForm(request.args)
    form.article.choices = [SelectChoice("", "Any article")] + [
        SelectChoice(str(s.article.id), s.article.title) for s in teacher_articles(teacher_id)
    ]
    form.topic.choices = [SelectChoice("", "Any topic")] + [
        SelectChoice(t, t) for t in bank_topics(teacher_id)
    ]
    return form


def filter_from(form: BankFilterForm) -> BankFilter:
    """What to filter by; a malformed value in the URL is ignored, not an error page."""
    form.validate()
    return BankFilter(
        article_id=parse_id(form.article.data),
        topic=form.topic.data or "",
        kind=form.kind.data if not form.kind.errors else "",
        status=form.status.data if not form.status.errors else "",
        origin=form.origin.data if not form.origin.errors else "",
        text=(form.q.data or "")[:200],
    )


@bp.get("/questions")
def bank() -> ResponseReturnValue:
    """List the bank's current questions, filtered and a page at a time."""
    form = bank_filter_form(current_user.id)
    wanted = filter_from(form)
    page = search_bank(current_user.id, wanted, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "teach/bank.html", filter_form=form, page=page, export_status=export_status(wanted)
    )


def _question_form(question: Question | None) -> QuestionForm:
    if question is not None and request.method == "GET":
        data = data_of(question)
        rows = [{"text": t, "correct": c} for t, c in data.choices]
        form = QuestionForm(
            data={
                "kind": data.kind,
                "name": data.name or "",
                "stem": data.stem,
                "explanation": data.explanation,
                "topic": data.topic,
                "article": str(data.article_id or ""),
                "evidence": str(data.evidence_id or ""),
                "status": data.status,
                "choices": rows + [{"text": "", "correct": False}] * (MAX_CHOICES - len(rows)),
            }
        )
    else:
        form = QuestionForm()
    form.article.choices = [SelectChoice("", "No article")] + [
        SelectChoice(str(s.article.id), s.article.title) for s in teacher_articles(current_user.id)
    ]
    article_id = parse_id(form.article.data)
    sentences = []
    if article_id is not None:
        try:
            sentences = article_for_teacher(article_id, current_user.id).sentences
        except ServiceError:
            form.article.data = ""
    form.evidence.choices = [SelectChoice("", "No evidence sentence")] + [
        SelectChoice(str(s.id), f"{s.position + 1}. {s.text[:150]}") for s in sentences
    ]
    return form


def _data(form: QuestionForm) -> QuestionData:
    return QuestionData(
        kind=form.kind.data,
        stem=form.stem.data or "",
        choices=form.filled_choices(),
        explanation=form.explanation.data or "",
        topic=form.topic.data or "",
        article_id=parse_id(form.article.data),
        evidence_id=parse_id(form.evidence.data),
        status=form.status.data,
        name=form.name.data or "",
    )


def _save(form: QuestionForm, question: Question | None) -> ResponseReturnValue:
    status = 200
    if form.is_submitted() and not form.load_sentences.data:
        if form.validate():
            try:
                with write_transaction():
                    saved = (
                        create_question(current_user.id, _data(form))
                        if question is None
                        else edit_question(question.id, current_user.id, _data(form))
                    )
            except ServiceError as exc:
                if exc.status == 404:
                    raise
                form.choice_errors.append(str(exc))
                status = exc.status
            else:
                if question is not None and saved.id != question.id:
                    flash(
                        f"Learners had answered this question, so your edit is version "
                        f"{saved.version}; their attempts still show what they saw.",
                        "success",
                    )
                else:
                    flash("Saved the question.", "success")
                return redirect(url_for("teach.question", question_id=saved.id))
        else:
            status = 422
    return render_template(
        "teach/question_form.html",
        form=form,
        question=question,
        answered=question is not None and is_answered(question.id),
    ), status


@bp.route("/questions/new", methods=["GET", "POST"])
def question_new() -> ResponseReturnValue:
    """Write a question for the bank."""
    return _save(_question_form(None), None)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def question_edit(question_id: int) -> ResponseReturnValue:
    """Edit a question; once learners have answered it, saving makes a new version."""
    question = own_question(question_id, current_user.id)
    return _save(_question_form(question), question)


@bp.get("/questions/<int:question_id>")
def question(question_id: int) -> ResponseReturnValue:
    """Show a question with its choices, evidence and every version of it."""
    question = question_in_bank(question_id, current_user.id)
    return render_template(
        "teach/question.html",
        question=question,
        versions=versions(question),
        form=ActionForm(),
    )


@bp.post("/questions/<int:question_id>/retire")
def question_retire(question_id: int) -> ResponseReturnValue:
    """Retire a question: no new quiz can use it; quizzes and answers that have it keep it."""
    own_question(question_id, current_user.id)  # 404, or 400 for a shared read-only one
    attempt(
        lambda: retire_question(question_id, current_user.id),
        lambda _question: "The question is retired.",
    )
    return redirect(url_for("teach.question", question_id=question_id))


@bp.get("/questions/export.gift")
def bank_export() -> ResponseReturnValue:
    """Download the filtered bank's questions of one status (approved unless the filter names
    another) as a GIFT file for Moodle, or for importing back here."""
    wanted = filter_from(bank_filter_form(current_user.id))
    today = utcnow().date()
    text = export_bank(current_user.id, wanted, today)
    name = f"question-bank-{export_status(wanted)}-{today}.gift.txt"
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/questions/import", methods=["GET", "POST"])
def bank_import() -> ResponseReturnValue:
    """Import a GIFT or Aiken file; with problems, nothing is stored unless asked for."""
    form = UploadBankForm()
    outcome = None
    status = 200
    if form.validate_on_submit():
        upload = form.document.data
        try:
            text = bytes_to_text(
                upload.read(), ".txt", current_app.config["MAX_ARTICLE_CHARS"], "question file"
            )
        except DocumentError as exc:
            form.document.errors.append(str(exc))
            status = 422
        else:
            with write_transaction():
                outcome = import_bank(
                    current_user.id, text, form.file_format.data, form.import_valid.data
                )
            if outcome.stored:
                flash(
                    f"Imported {outcome.stored} question{'s' if outcome.stored != 1 else ''}"
                    " into your bank.",
                    "success",
                )
            if outcome.problems and not (outcome.stored or outcome.already or outcome.repeated):
                status = 422
    elif form.is_submitted():
        status = 422
    return render_template("teach/bank_import.html", form=form, outcome=outcome), status
