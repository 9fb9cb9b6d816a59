"""The migrations build the whole schema, and the models have not drifted from them."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import check, upgrade
from sqlalchemy import inspect

from quizapp import create_app
from quizapp.extensions import db

from .conftest import database_url, reset_database


def test_upgrade_on_an_empty_database_then_check_finds_no_drift(tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(tmp_path)})
    with app.app_context():
        reset_database()
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        check()  # exits non-zero (SystemExit) when autogenerate finds any difference
        reset_database()
        db.engine.dispose()
