"""A live quizapp server on a free port and a real headless Chromium, for browser tests."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.database import write_transaction
from quizapp.extensions import db, limiter
from quizapp.services.seeding import seed_directory

from .conftest import reset_database

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip only on a developer machine without Chromium; in CI a missing browser fails."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but {CHROMIUM} is not installed")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@contextmanager
def served_app(
    database_url: str, seeds: Path | None = None, settings: dict[str, Any] | None = None
) -> Iterator[Flask]:
    """The app as the README serves it: migrated (not create_all), CSRF on, optionally seeded,
    with any further ``settings`` (mail, proxy hops) on top.

    Skips (or fails in CI) first when there is no Chromium, before touching the database.
    """
    require_chromium()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "browser",
            # Rate limits stay on, counted apart from other processes sharing a Redis.
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4()}",
            **(settings or {}),
        }
    )
    with app.app_context():
        # The limiter is process-wide and keeps the first app's key prefix, so with a shared
        # Redis (CI) an earlier test's failed logins would still count here: start from zero.
        limiter.storage.reset()
        reset_database()
        upgrade()
        if seeds is not None:
            with write_transaction():
                seed_directory(seeds)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            reset_database()
            db.engine.dispose()


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def chromium_page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def assert_accessible(page: object) -> None:
    """Run the bundled axe-core on the page; fail listing every serious or critical violation.

    Minor and moderate findings are left to review so that the suite stays a hard gate only on
    what blocks people (contrast, missing labels, broken landmarks).
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    listed = "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"])
        for v in blocking
    )
    assert not blocking, f"axe found on {page.url}:\n{listed}"  # type: ignore[attr-defined]
