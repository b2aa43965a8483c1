"""What a production start (``TRACKER_ENV=production``) refuses.

The demo's conveniences are the production's risks: a session key generated into the instance
folder (or a placeholder) differs between hosts and leaks with a copied folder; a self-signed demo
certificate signs minutes nobody can trust; demo accounts share a published password. A
production start without its own key and certificate stops with a message saying what to set.
A login limiter counting in one worker's memory is only logged: right for one process, too
lenient for several (docs/scaling.md).
"""
import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from tracker.documents.signing import SigningIdentity, check_identity

# Placeholders seen in example configurations; none is a secret.
PLACEHOLDER_KEYS = {"dev", "development", "secret", "secret-key", "changeme", "change-me",
                    "test", "test-secret", "demo", "demo2026", "please-change-me"}
MIN_KEY_LENGTH = 32


class ProductionConfigError(RuntimeError):
    """The configuration is not fit for production; the message says what to set."""


def is_production(app: Flask) -> bool:
    return app.config.get("TRACKER_ENV") == "production"


def problems(config: dict) -> list[str]:
    found = []
    key = config.get("SECRET_KEY") or ""
    if not key:
        found.append("SECRET_KEY is not set: set it to a long random value, the same on every "
                     "host (python -c 'import secrets; print(secrets.token_hex(32))')")
    elif key.lower() in PLACEHOLDER_KEYS or len(key) < MIN_KEY_LENGTH:
        found.append(f"SECRET_KEY is a placeholder or shorter than {MIN_KEY_LENGTH} characters: "
                     "set a long random value")
    cert, private_key = config.get("SIGNING_CERT"), config.get("SIGNING_KEY")
    if not cert or not private_key:
        found.append("SIGNING_CERT and SIGNING_KEY are not set: give the PEM files of the "
                     "certificate and key that sign the minutes PDFs")
    elif problem := check_identity(SigningIdentity(Path(cert), Path(private_key))):
        found.append(problem)
    if problem := public_address_problem(config):
        found.append(problem)
    return found


def public_address_problem(config: dict) -> str | None:
    """Why ``PUBLIC_BASE_URL`` cannot go into the minutes' QR code and printed address: unset,
    or this machine's own (loopback) address, which no phone scanning a printed page reaches.
    None when it is an address others can reach."""
    url = (config.get("PUBLIC_BASE_URL") or "").strip()
    host = urlsplit(url).hostname if url else None
    if not host:
        return ("PUBLIC_BASE_URL is not set: the minutes' QR code and verification address "
                "need the address people reach this app at (https://yishi.example.gov.cn)")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback \
            or ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a host name other than localhost
        loopback = False
    if loopback:
        return (f"PUBLIC_BASE_URL is {url}, this machine's own address: the QR code printed on "
                "the minutes cannot be scanned from a phone; set it to the address people reach "
                "this app at")
    return None


def warnings(config: dict) -> list[str]:
    """What a production start accepts but logs: it works on one process, not on several."""
    found = []
    if config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        found.append("RATELIMIT_STORAGE_URI is memory://: each worker process counts failed "
                     "logins on its own, so with several workers or hosts an account gets as many "
                     "times the allowed attempts; set it to a Redis all of them share "
                     "(redis://host:6379/0)")
    return found


def check(app: Flask) -> None:
    """:raise ProductionConfigError: with every problem found, one per line."""
    if not is_production(app):
        return
    if found := problems(app.config):
        raise ProductionConfigError(
            "TRACKER_ENV=production refuses to start:\n" + "\n".join(f"- {p}" for p in found))
    for warning in warnings(app.config):
        app.logger.warning("TRACKER_ENV=production: %s", warning)
