"""Entry point for gunicorn: ``gunicorn wsgi:app``."""
from tracker.serving import app_for_serving

app = app_for_serving()
