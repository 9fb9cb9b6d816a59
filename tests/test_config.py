"""Settings layer: defaults, then instance/config.py, then the environment, then test settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.config import from_environment, normalise_database_url


def test_environment_overrides_instance_file_which_overrides_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-instance'\nMAX_ARTICLE_CHARS = 1000\n", encoding="utf-8"
    )
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.config["MAX_ARTICLE_CHARS"] == 1000  # instance file beats the default
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert app.config["QUESTIONS_PER_PAGE"] == 25  # default kept


def test_test_settings_win_over_everything(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    app = create_app(
        {"SECRET_KEY": "from-test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    assert app.config["SECRET_KEY"] == "from-test"


def test_environment_values_are_typed_and_blank_ones_ignored() -> None:
    settings = from_environment(
        {"MAX_ARTICLE_CHARS": "5000", "SESSION_COOKIE_SECURE": "true", "SECRET_KEY": ""}
    )
    assert settings == {"MAX_ARTICLE_CHARS": 5000, "SESSION_COOKIE_SECURE": True}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg_3(url: str, expected: str) -> None:
    assert normalise_database_url(url) == expected
