from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_remembered, login_required, login_user, logout_user

from tracker.auth import operations
from tracker.auth.forms import ChangePasswordForm, LoginForm, LogoutEverywhereForm
from tracker.auth.queries import account_with_password
from tracker.core.i18n import gettext as _
from tracker.core.i18n import is_safe_redirect
from tracker.extensions import db, limiter

bp = Blueprint("auth", __name__)

# Features above auth add reasons to refuse a correct login here (``refuse(user, password)``
# → True): the demo refuses its accounts and password on a production server.
LOGIN_REFUSALS: list = []


def _account_key() -> str:
    return "login-account:" + request.form.get("login", "").strip().lower()


def _failed(response) -> bool:
    # Only failed attempts count towards the limit; a successful login redirects.
    return response.status_code != 302


def _throttled(_limit):
    form = LoginForm()
    form.login.errors = [_("Too many failed logins. Please wait 15 minutes and try again, "
                           "or ask your administrator to reset your password.")]
    # Flask-Limiter uses what this returns only if it is a Response (a tuple would be ignored
    # and its bare English "429 Too Many Requests" page shown instead).
    return make_response(render_template("auth/login.html", form=form), 429)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed, on_breach=_throttled, scope="login-address")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed, on_breach=_throttled,
               scope="login-account")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = account_with_password(form.login.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong phone number, username or password."))
        elif not user.active:
            form.login.errors.append(_("This account has been deactivated. "
                                       "Ask your administrator."))
        elif any(refuse(user, form.password.data) for refuse in LOGIN_REFUSALS):
            form.login.errors.append(_("Demo accounts and the demo password cannot be used on "
                                       "this server. Ask your administrator for an account "
                                       "or a new password."))
        else:
            user.begin_login()
            login_user(user, remember=form.remember.data)
            operations.record_login(user, request.remote_addr, form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("core.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        operations.end_login(current_user._get_current_object())  # the user, not the proxy
        db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    form = LogoutEverywhereForm()
    if not form.validate_on_submit():
        return render_template("auth/change_password.html",
                               form=ChangePasswordForm(formdata=None), everywhere_form=form), 400
    operations.end_all_logins(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("auth.login"))


def account_page() -> dict:
    """What the password page shows besides the password form (the template asks for it, so
    that it reads the same when the token pages show it)."""
    return {"api_tokens": operations.API_TOKENS.active_count(current_user),
            "everywhere_form": LogoutEverywhereForm()}


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            revoked = operations.change_password(user, form.new_password.data,
                                                 revoke_api_tokens=form.revoke_api_tokens.data)
            db.session.commit()
            # Every login of the old epoch has ended; this device's goes on under the new one,
            # remembered as it was, until it would have expired anyway.
            login_user(user, remember=login_remembered(),
                       duration=user.current_login.remaining())
            flash(_("Your password has been changed. Other devices have been logged out."),
                  "success")
            if revoked:
                flash(_("API tokens revoked: %(n)d.", n=revoked), "success")
            return redirect(url_for("core.index"))
    return render_template("auth/change_password.html", form=form)
