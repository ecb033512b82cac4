"""The application factory: ``create_app()`` built from small ``configure_*`` steps."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, g
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from registry import models  # noqa: F401  (complete metadata before anything queries)
from registry.config import PROJECT_ROOT, build_config
from registry.db import Database, get_session
from registry.web.edge import RegistryFlask

csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``config`` (tests pass overrides here)."""
    settings = build_config(config)
    app = RegistryFlask(
        "registry",
        root_path=str(PROJECT_ROOT / "registry"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "registry" / "static"),
        instance_path=settings["INSTANCE_PATH"],
    )
    app.config.update(settings)
    configure_logging(app)
    configure_db(app)
    configure_auth(app)
    configure_templates(app)
    register_blueprints(app)
    register_error_handlers(app)
    configure_worker(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("weasyprint").setLevel(logging.WARNING)  # page-by-page progress is noise in a server log
        logging.getLogger("fontTools").setLevel(logging.WARNING)


def configure_db(app: Flask) -> None:
    Database(app.config["DATABASE_URL"]).init_app(app)


def configure_auth(app: Flask) -> None:
    from registry.auth.models import User

    csrf.init_app(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        user_id, _, session_token = token.partition(":")
        if not user_id.isdigit():
            return None
        user = get_session().get(User, int(user_id))
        if user is None or not user.is_active or user.session_token != session_token:
            return None
        return user


def configure_templates(app: Flask) -> None:
    from registry.web import context

    context.init_app(app)

    @app.template_filter("localtime")
    def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
        """A UTC time shown in the current organization's time zone."""
        if value is None:
            return "—"
        org = g.get("organization")
        zone = ZoneInfo(org.timezone) if org else ZoneInfo("UTC")
        return value.astimezone(zone).strftime(fmt)

    @app.template_filter("utc")
    def utc(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def register_blueprints(app: Flask) -> None:
    from registry.web import converters

    converters.init_app(app)
    from registry.api.views import bp as api_bp
    from registry.audit.views import bp as audit_bp
    from registry.auth.views import bp as auth_bp
    from registry.brands.views import bp as brands_bp
    from registry.campaigns.views import bp as campaigns_bp
    from registry.dashboard.views import bp as dashboard_bp
    from registry.numbers.views import bp as numbers_bp
    from registry.provider_accounts.views import bp as provider_accounts_bp
    from registry.reviews.views import bp as reviews_bp
    from registry.rules_page import bp as rules_bp

    for bp in (auth_bp, dashboard_bp, brands_bp, campaigns_bp, numbers_bp, reviews_bp, rules_bp, audit_bp, api_bp,
               provider_accounts_bp):
        app.register_blueprint(bp)

    from registry.webhooks.views import bp as webhooks_bp

    csrf.exempt(webhooks_bp)  # providers authenticate with their signature, not a session
    app.register_blueprint(webhooks_bp)

    from registry.consent.inbound_views import bp as consent_inbound_bp
    from registry.consent.views import bp as consent_bp

    app.register_blueprint(consent_bp)
    csrf.exempt(consent_inbound_bp)  # inbound messages authenticate with a provider signature or a bearer key
    app.register_blueprint(consent_inbound_bp)

    from registry.reports import tasks as _report_tasks  # noqa: F401  (registers the report task with Huey)
    from registry.reports.views import bp as reports_bp

    app.register_blueprint(reports_bp)

    @app.route("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}


def configure_worker(app: Flask) -> None:
    """The background task queue (Huey): storage from the config; tasks of this process use this app."""
    from registry.tasks import configure_worker as configure

    configure(app)


def register_error_handlers(app: Flask) -> None:
    from registry.web.errors import register_error_handlers as register

    register(app)
