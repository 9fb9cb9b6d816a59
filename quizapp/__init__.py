"""quizapp: a debate quiz and study web app. ``create_app`` is the only way to get an app."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from . import config
from .database import MAX_ID, configure_sqlite
from .extensions import csrf, db, limiter, login_manager, migrate
from .ratelimits import register_account_limits
from .security import register_security


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: only ids a database column can hold match, so
    /attempts/99999999999999999999 is a plain 404 instead of an overflow deep in SQLite."""

    def __init__(self, url_map: Map, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then test settings."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    config.check_production(app.config)
    trust_proxies(app, config.check_proxy_hops(app.config))
    os.makedirs(app.instance_path, exist_ok=True)

    app.url_map.converters["int"] = DatabaseId
    register_extensions(app)
    register_blueprints(app)
    register_account_limits(app)
    register_security(app)
    register_jobs(app)
    return app


def trust_proxies(app: Flask, hops: int) -> None:
    """Behind ``hops`` proxies, take the client's address and scheme from the headers they
    add, so rate limits count per pupil rather than once for the proxy, the request log shows
    who connected, and secure cookies and links see HTTPS. X-Forwarded-Host is not trusted:
    links built from it (a password-reset email) could then point at a host a client chose."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the models must be known before migrate/db use them)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_jobs(app: Flask) -> None:
    """The task queue, its worker command, and (development server only) its worker thread."""
    from . import jobs
    from .jobs.cli import jobs_cli

    jobs.init_app(app)
    app.cli.add_command(jobs_cli)


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .cli import bp as cli_bp
    from .errors import bp as errors_bp
    from .health import bp as health_bp
    from .learn import bp as learn_bp
    from .study import bp as study_bp
    from .teach import bp as teach_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(study_bp)
    app.register_blueprint(teach_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(cli_bp)
