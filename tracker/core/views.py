import functools

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from tracker.core import storage
from tracker.core.error_responders import answered_elsewhere
from tracker.core.i18n import gettext as _
from tracker.core.i18n import is_safe_redirect
from tracker.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("cases.case_list"))
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("core.index"))


@bp.route("/healthz")
def healthz():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}


def refuse_nul_characters() -> None:
    """PostgreSQL text cannot hold NUL, and nobody types one: such a request is malformed (400)
    rather than a database error (500) on the first query that uses it."""
    for values in (request.args, request.form):
        if any("\x00" in value for _key, value in values.items(multi=True)):
            abort(400)


def register_error_handlers(app: Flask) -> None:
    def page(code: int, title: str, message: str):
        return render_template("errors/error.html", code=code, title=title,
                               message=message), code

    def answered(handler):
        """Give the registered responders the first word on ``handler``'s error."""
        @functools.wraps(handler)
        def handle(error):
            return answered_elsewhere(error) or handler(error)
        return handle

    @app.errorhandler(400)
    @answered
    def bad_request(_e):
        return page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    @answered
    def csrf_error(_e):
        return page(400, _("Form expired"),
                    _("The form's security token is missing or invalid. Go back, reload the "
                      "page and submit again; what you typed may need to be entered again."))

    @app.errorhandler(403)
    @answered
    def forbidden(_e):
        return page(403, _("Not allowed"), _("You do not have permission to do this."))

    @app.errorhandler(404)
    @answered
    def not_found(_e):
        return page(404, _("Not found"),
                    _("The page does not exist, or it is outside your area of work."))

    @app.errorhandler(405)
    @answered
    def method_not_allowed(_e):
        return page(405, _("Not allowed"), _("This address does not accept that request."))

    @app.errorhandler(413)
    @answered
    def too_large(_e):
        return page(413, _("Upload too large"),
                    _("The files sent are larger than allowed. Choose fewer or smaller photos."))

    @app.errorhandler(429)
    @answered
    def too_many(e):
        # A route's own answer (the login page with its message) wins over the generic page.
        if getattr(e, "response", None) is not None:
            return e.response
        return page(429, _("Too many attempts"),
                    _("Too many attempts from here in a short time. Please wait a while and "
                      "try again."))

    @app.errorhandler(500)
    def server_error(e):
        db.session.rollback()
        return answered_elsewhere(e) or page(
            500, _("Something went wrong"),
            _("The server could not finish this request. Nothing was saved. "
              "Please try again; if it keeps happening, tell your administrator."))

    @app.errorhandler(OperationalError)
    def database_refused(e):
        """The database failed in the middle of the request (connection lost, disk full, a lock
        or statement timeout): everything the request wrote is rolled back, and the person is
        told so plainly instead of getting a bare "something went wrong"."""
        db.session.rollback()
        if storage.is_storage_full(e):
            return answered_elsewhere(storage.InsufficientStorage()) or page(
                507, _("Storage full"), storage.STORAGE_FULL_PAGE)
        return answered_elsewhere(ServiceUnavailable()) or page(
            503, _("Database unavailable"),
            _("The database could not complete this request just now, so nothing was saved. "
              "Please try again in a moment."))

    @app.errorhandler(OSError)
    def disk_full(e):
        if not storage.is_storage_full(e):
            raise e
        db.session.rollback()
        return answered_elsewhere(storage.InsufficientStorage()) or page(
            507, _("Storage full"), storage.STORAGE_FULL_PAGE)

    @app.errorhandler(HTTPException)
    @answered
    def other_http_error(error):
        return error  # Werkzeug's own page, as before, for codes without a page of their own
