"""Flask extensions, created unbound and initialised in :func:`tracker.create_app`."""
from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from tracker.core.session import TrackerSession

# Named constraints let Alembic drop and alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"class_": TrackerSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the views that need them (login); nothing is limited by default, and
# nothing that only reads (below).
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _reading() -> bool:
    """Every limit counts attempts to write (logins, signatures, ballots, public feedback), so
    a request that only reads is not checked: looking up a view's limits on every page cost a
    twentieth of a logged-in page."""
    return request.method in ("GET", "HEAD", "OPTIONS")
