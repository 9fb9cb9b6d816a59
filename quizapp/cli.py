"""``flask --app quizapp ...`` commands. Each parses its options and calls a service."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Blueprint, current_app

from .core.facts import FactsFileError
from .core.text import split_sentences
from .database import write_transaction
from .models import Role
from .services import ServiceError
from .services.accounts import create_user
from .services.generation import gated_questions
from .services.seeding import facts_file_for, read_article_with_facts, seed_directory

bp = Blueprint("cli", __name__, cli_group=None)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@bp.cli.command("seed")
@click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=SEEDS_DIR,
    show_default=True,
    help="Folder of articles with facts files.",
)
def seed_command(directory: Path) -> None:
    """Load the seed articles, their questions and a published quiz (safe to run again)."""
    with write_transaction():
        reports = seed_directory(directory, current_app.config["GENERATION_SEED"])
    for report in reports:
        state = "added" if report.article_created else "already there"
        quiz = "quiz created" if report.quiz_created else "quiz already there"
        click.echo(
            f"{report.article_title}: article {state}, "
            f"{report.questions_added} questions added, {quiz}"
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
@click.option(
    "--facts",
    "facts_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Facts file to use (default: NAME.facts.json beside the article).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for choice order.")
def generate_command(path: str, output_format: str, facts_path: Path | None, seed: int) -> None:
    """Print the questions generated for an article (PATH, or - for stdin).

    Only drafts passing the quality gates are printed; dropped ones go to stderr with the
    reasons, so JSON on stdout stays machine-readable.
    """
    if path == "-":
        raise click.UsageError("Reading stdin needs --facts FILE until extraction lands.")
    article_path = Path(path)
    if not article_path.exists():
        raise click.BadParameter(f"{path} does not exist.", param_hint="PATH")
    if facts_path is None and not facts_file_for(article_path).exists():
        raise click.UsageError(
            f"No facts file beside {path} ({facts_file_for(article_path).name})."
        )
    try:
        text, facts = read_article_with_facts(article_path, facts_path)
    except (FactsFileError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    report = gated_questions(facts, split_sentences(text), seed)
    for dropped in report.dropped:
        click.echo(f"Dropped [{dropped.draft.generator}] {dropped.draft.stem}", err=True)
        for reason in dropped.reasons:
            click.echo(f"   - {reason}", err=True)
    drafts = report.kept
    if output_format == "json":
        json.dump([d.to_json() for d in drafts], sys.stdout, indent=2, ensure_ascii=False)
        click.echo()
        return
    for number, draft in enumerate(drafts, start=1):
        click.echo(f"{number}. [{draft.kind}, {draft.topic}] {draft.stem}")
        for index, choice in enumerate(draft.choices):
            click.echo(f"   {'*' if index in draft.answers else ' '} {choice}")
        click.echo(f"   Evidence: {draft.evidence}\n")


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
def users_create_command(email: str, name: str, role: str, password: str) -> None:
    """Create a teacher or learner account."""
    try:
        with write_transaction():
            user = create_user(email, name, password, Role(role))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")
