"""``flask --app quizapp ...`` commands. Each parses its options and calls a service."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import click
from flask import Blueprint, current_app
from sqlalchemy.exc import SQLAlchemyError

from .core.facts import FactsFileError
from .core.formats.documents import DocumentError, read_document
from .core.formats.spreadsheet import csv_chunks
from .core.reading.pipeline import Progress, ReadArticle
from .database import MAX_ID, utcnow, write_transaction
from .models import Role
from .services import ServiceError
from .services.accounts import create_user, find_teacher
from .services.exports import ExportFormat, class_scope, export, filename, quiz_scope
from .services.generation import gated_questions
from .services.imports import STORING, checked_fields, prepare_import, store_import
from .services.jobs import percent_done
from .services.reading import read, read_with_facts_file
from .services.retention import prunable, prune_attempts
from .services.seeding import facts_file_for, seed_directory

bp = Blueprint("cli", __name__, cli_group=None)

P = ParamSpec("P")
R = TypeVar("R")


def database_errors(command: Callable[P, R]) -> Callable[P, R]:
    """A database that is missing, unmigrated or unreachable is one line saying what to do,
    not a traceback (whose SQL parameters would print, say, a new user's password hash)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or type(exc).__name__
            raise click.ClickException(
                f"The database could not be used ({reason}). Check DATABASE_URL and run "
                "`flask --app quizapp db upgrade` first."
            ) from None

    return run


SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


facts_option = click.option(
    "--facts",
    "facts_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Facts file to use instead of extraction (default: NAME.facts.json beside the article "
    "if there is one).",
)


@bp.cli.command("seed")
@click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=SEEDS_DIR,
    show_default=True,
    help="Folder of articles with facts files.",
)
@database_errors
def seed_command(directory: Path) -> None:
    """Load the seed articles, their questions and a published quiz (safe to run again)."""
    try:
        with write_transaction():
            reports = seed_directory(directory, current_app.config["GENERATION_SEED"])
    except ServiceError as exc:
        raise click.ClickException(f"{exc} Nothing was stored.") from exc
    for report in reports:
        state = "added" if report.article_created else "already there"
        click.echo(
            f"{report.article_title}: article {state}, "
            f"{report.questions_added} questions added, {report.quiz}"
        )
    if not reports:
        click.echo(f"No article with a facts file found in {directory}.")


@bp.cli.command("generate")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="text",
    show_default=True,
)
@facts_option
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for choice order.")
def generate_command(path: str, output_format: str, facts_path: Path | None, seed: int) -> None:
    """Print the questions generated for a UTF-8 article (PATH, or - for stdin).

    Only drafts passing the quality gates are printed; dropped ones are listed on stderr with
    the reasons, so JSON on stdout stays machine-readable.
    """
    text, reading = _read_article(path, facts_path)
    if reading is None:
        reading = read(text, title=_title_for(path))
    report = gated_questions(reading.facts, reading.askable, seed)
    for dropped in report.dropped:
        click.echo(f"Dropped [{dropped.draft.generator}] {dropped.draft.stem}", err=True)
        for reason in dropped.reasons:
            click.echo(f"   - {reason}", err=True)
    if output_format == "json":
        json.dump([d.to_json() for d in report.kept], sys.stdout, indent=2, ensure_ascii=False)
        click.echo()
        return
    for number, draft in enumerate(report.kept, start=1):
        click.echo(f"{number}. [{draft.kind}, {draft.topic}] {draft.stem}")
        for index, choice in enumerate(draft.choices):
            click.echo(f"   {'*' if index in draft.answers else ' '} {choice}")
        click.echo(f"   Evidence: {draft.evidence}\n")


@bp.cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--title", required=True, help="The article's title.")
@click.option("--source", default="", help="Where it was published.")
@click.option("--teacher", "teacher_email", help="Owner's email (default: shared with all).")
@facts_option
@database_errors
def import_command(
    path: str, title: str, source: str, teacher_email: str | None, facts_path: Path | None
) -> None:
    """Store an article (.txt, .md, .html, .htm, .pdf, .docx or - for text on stdin) with its
    facts and draft questions."""
    text, reading = _read_article(path, facts_path)
    try:
        teacher_id = find_teacher(teacher_email).id if teacher_email else None
        fields = checked_fields(title, source, text, current_app.config["MAX_ARTICLE_CHARS"])
        with _progress_bar("Importing") as progress:
            # Read first, holding no lock; then store everything in one short transaction.
            prepared = prepare_import(
                fields,
                teacher_id,
                reading=reading,
                seed=current_app.config["GENERATION_SEED"],
                progress=progress,
            )
            progress(STORING, 0, 1)
            with write_transaction():
                result = store_import(prepared)
                article = result.article
                summary = (
                    f"{len(article.sentences)} sentences, {len(article.facts)} facts, "
                    f"{result.kept} draft questions, {len(result.dropped)} dropped by the gates"
                )
            progress(STORING, 1, 1)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    if result.created:
        click.echo(f"Imported article {article.id} “{article.title}”: {summary}.")
    else:
        click.echo(
            f"Already imported as article {article.id} “{article.title}”; nothing was added."
        )


@contextmanager
def _progress_bar(label: str) -> Iterator[Progress]:
    """A bar on stderr (stdout stays the result) moved by an import's progress callback."""
    with click.progressbar(length=100, label=label, file=sys.stderr, show_percent=True) as bar:

        def progress(step: str, done: int, total: int) -> None:
            bar.label = f"{label}: {step}"
            bar.update(percent_done(step, done, total) - bar.pos)

        yield progress
        bar.update(100 - bar.pos)


def _read_article(path: str, facts_path: Path | None) -> tuple[str, ReadArticle | None]:
    """The article's text (read by its file's extension; stdin is text) and its facts file's
    facts, if any."""
    if path == "-":
        data, name = sys.stdin.buffer.read(), "stdin.txt"
    else:
        article_path = Path(path)
        if not article_path.is_file():
            raise click.BadParameter(f"{path} does not exist.", param_hint="PATH")
        data, name = article_path.read_bytes(), article_path.name
        if facts_path is None and facts_file_for(article_path).exists():
            facts_path = facts_file_for(article_path)
    try:
        text = read_document(name, data, current_app.config["MAX_ARTICLE_CHARS"]).text
        if facts_path is None:
            return text, None
        return text, read_with_facts_file(text, facts_path.read_text(encoding="utf-8"))
    except (DocumentError, FactsFileError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc


def _title_for(path: str) -> str:
    return "" if path == "-" else Path(path).stem.replace("_", " ").capitalize()


@bp.cli.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.LEARNER.value,
    show_default=True,
)
@click.password_option(help="Prompted for (twice) when not given.")
@database_errors
def users_create_command(email: str, name: str, role: str, password: str) -> None:
    """Create a teacher or learner account."""
    try:
        with write_transaction():
            user = create_user(email, name, password, Role(role))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")


@bp.cli.command("export-scores")
@click.option("--teacher", "teacher_email", required=True, help="The quiz's or class's owner.")
@click.option(
    "--quiz", "quiz_id", type=click.IntRange(1, MAX_ID), help="Export this quiz's attempts."
)
@click.option(
    "--class", "class_id", type=click.IntRange(1, MAX_ID), help="Export this class's scores."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.value for f in ExportFormat]),
    default=ExportFormat.SUMMARY.value,
    show_default=True,
    help="summary: a row per attempt; detailed: a row per answer.",
)
@click.option("--bom", is_flag=True, help="Start with a UTF-8 byte order mark, for Excel.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (default: the quiz's name and today's date; - for stdout).",
)
@database_errors
def export_scores_command(
    teacher_email: str,
    quiz_id: int | None,
    class_id: int | None,
    output_format: str,
    bom: bool,
    output: str | None,
) -> None:
    """Write scores as CSV, the same files the report page downloads, streamed to disk."""
    if quiz_id is None and class_id is None:
        raise click.UsageError("Give --quiz, --class, or both (a quiz's attempts by one class).")
    fmt = ExportFormat(output_format)
    try:
        teacher_id = find_teacher(teacher_email).id
        scope = (
            quiz_scope(quiz_id, teacher_id, class_id)
            if quiz_id is not None
            else class_scope(class_id or 0, teacher_id)
        )
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    header, rows = export(scope, fmt)
    target = output or filename(scope, fmt, utcnow().date())
    if target == "-":
        for chunk in csv_chunks(header, rows, bom=bom):
            click.echo(chunk, nl=False)
        return
    try:
        with (
            open(target, "w", encoding="utf-8", newline="") as stream,
            click.progressbar(
                rows, label="Rows written", show_pos=True, file=sys.stderr
            ) as counted,
        ):
            stream.writelines(csv_chunks(header, counted, bom=bom))
    except OSError as exc:
        raise click.ClickException(f"Could not write {target}: {exc.strerror or exc}.") from exc
    click.echo(f"Wrote {target}.", err=True)


@bp.cli.command("prune-attempts")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    help="Delete attempts older than this many days (default: ATTEMPT_RETENTION_DAYS; 0 keeps "
    "them for ever).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@database_errors
def prune_attempts_command(days: int | None, dry_run: bool) -> None:
    """Delete attempts submitted (or, unfinished, started) more than N days ago, with their
    answers. Run it daily, from cron or a systemd timer, to keep only what the school needs."""
    if days is None:
        days = int(current_app.config["ATTEMPT_RETENTION_DAYS"])
        if days < 0:
            raise click.UsageError(f"ATTEMPT_RETENTION_DAYS must be 0 or more (got {days}).")
    if days == 0:
        click.echo("Retention is off (0 days): attempts are kept for ever; nothing was deleted.")
        return
    if dry_run:
        counts = prunable(days, utcnow())
        verb = "Would delete"
    else:
        with write_transaction():
            counts = prune_attempts(days, utcnow())
        verb = "Deleted"
    click.echo(
        f"{verb} {_counted(counts.attempts, 'attempt')} older than {days} days, with "
        f"{_counted(counts.responses, 'answer')} "
        f"({_counted(counts.response_choices, 'choice')} picked)."
    )


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
