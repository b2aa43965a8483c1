"""Password hashes: werkzeug's scrypt with a random salt (``PASSWORD_HASH_METHOD`` names another
method; the test suite configures a cheap one because it creates hundreds of accounts), and a
check that costs as much when no account has the name typed as when one has."""
import functools
import secrets

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash


def hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() \
        else "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=hash_method())


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@functools.cache
def _stand_in_hash(method: str) -> str:
    # A password nobody knows, hashed the way real ones are: once per process and method.
    return generate_password_hash(secrets.token_urlsafe(32), method=method)


def match_no_account(password: str) -> bool:
    """Check ``password`` against a stand-in hash made as real ones are, and say ``False``: a login
    naming no account takes as long as a wrong password for an existing one, so the answer's
    time does not tell who has an account."""
    password_matches(_stand_in_hash(hash_method()), password)
    return False
