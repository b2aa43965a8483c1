"""三方联动议事台 — the joint-meeting case tracker."""
import os
import warnings

from cryptography.utils import CryptographyDeprecationWarning

from flask import Flask

from tracker.config import load_config

# pyHanko imports cryptography's DSA support whatever key signs; minutes are signed with RSA or
# ECDSA, so the deprecation says nothing the app can act on, on every command and worker.
warnings.filterwarnings("ignore", message="DSA is deprecated",
                        category=CryptographyDeprecationWarning)


def create_app(config: dict | None = None) -> Flask:
    """Build the application. ``config`` overrides settings (tests pass their database here)."""
    # TRACKER_INSTANCE_PATH: where this server keeps its own files (default: instance/ beside the
    # code). Several app servers each have their own; nothing in it may be needed by another.
    instance_path = os.environ.get("TRACKER_INSTANCE_PATH")
    app = Flask(__name__, template_folder="../templates", instance_relative_config=True,
                instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    from tracker.core.production import check as check_production
    check_production(app)

    from tracker.core.i18n import select_locale, select_timezone
    from tracker.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    from tracker.core.throttling import configure_limiter
    configure_limiter(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    from tracker.core.cache import configure_cache
    configure_cache(app)

    from tracker.core.database import enable_sqlite_foreign_keys, ping_idle_connections
    enable_sqlite_foreign_keys(app)
    ping_idle_connections(app)

    from tracker import (
        admin,
        api,
        audit,
        auth,
        backup,
        cases,
        core,
        demo,
        followup,
        meetings,
        notifications,
        oversight,
        places,
        printing,
        rulebooks,
        voting,
        workcalendar,
    )
    for feature in (core, audit, auth, places, rulebooks, notifications, workcalendar, cases,
                    meetings, voting, followup, oversight, printing, api, admin, backup, demo):
        feature.init_app(app)
    return app
