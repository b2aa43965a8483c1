"""Resolution and vote pages. Thin: parse → check → operate → commit once → redirect."""
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.auth.models import User
from tracker.cases import queries as case_queries
from tracker.cases.workflow import TransitionRefused
from tracker.core.i18n import gettext as _
from tracker.extensions import db, limiter
from tracker.meetings import queries as meeting_queries
from tracker.voting import notices, operations, policy, queries
from tracker.voting.forms import (
    BallotForm,
    CloseForm,
    OpenVoteForm,
    PaperBallotForm,
    ProposeForm,
    UnitBallotsForm,
)
from tracker.voting.models import DeadlineTier, DecidingBody, Resolution, Vote

bp = Blueprint("voting", __name__, url_prefix="/votes")

# The category suggests the deciding body and the art. 278 matter (the liaison may change it).
SUGGESTED_MATTER = {"maintenance_fund": "use_fund",
                    "property_company_change": "hire_property_company",
                    "common_parts_use": "change_common_use",
                    "committee_election": "elect_committee"}


@bp.before_request
@login_required
def _require_login():
    pass


def _visible_vote(vote_id: int) -> Vote:
    vote = db.session.get(Vote, vote_id)
    if vote is None or not policy.can_view_vote(current_user, vote):
        abort(404)
    return vote


def _refused(exc, vote_id: int):
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(url_for("voting.vote_detail", vote_id=vote_id))


@bp.route("/propose/<int:meeting_id>/<int:case_id>", methods=["GET", "POST"])
def propose(meeting_id: int, case_id: int):
    meeting = meeting_queries.get_visible_meeting(current_user, meeting_id)
    case = case_queries.get_visible_case(current_user, case_id)
    if not policy.can_run_vote(current_user, case):
        abort(403)
    form = ProposeForm()
    parties = case.compound.parties
    form.responsible_party.choices = [(0, _("— none —"))] + [(p.id, p.name) for p in parties]
    mode = case.compound.governance_mode.value
    if request.method == "GET":
        form.version.data = str(case.version)
        form.matter.data = SUGGESTED_MATTER.get(case.category.value, "")
        form.body.data = "owners_assembly" if form.matter.data else mode
    if form.validate_on_submit():
        try:
            body = DecidingBody(form.body.data)
            party = next((p for p in parties if p.id == form.responsible_party.data), None)
            resolution = operations.propose_resolution(
                meeting, case, current_user, text=form.text.data.strip(),
                responsible_party=party, responsible_text=(form.responsible_text.data or "")
                .strip(), tier=DeadlineTier(form.deadline_tier.data), body=body,
                matter=form.matter.data or None,
                expected_version=int(form.version.data or -1))
            db.session.commit()
        except (operations.VoteRefused, TransitionRefused, ValueError) as exc:
            db.session.rollback()
            form.text.errors = [getattr(exc, "message", str(exc))]
        else:
            flash(_("The resolution is proposed. Open the vote next."), "success")
            return redirect(url_for("voting.open_vote", resolution_id=resolution.id))
    return render_template("voting/propose.html", form=form, meeting=meeting, case=case), \
        400 if form.errors else 200


@bp.route("/resolutions/<int:resolution_id>/open", methods=["GET", "POST"])
def open_vote(resolution_id: int):
    resolution = db.session.get(Resolution, resolution_id)
    if resolution is None:
        abort(404)
    case = case_queries.get_visible_case(current_user, resolution.case_id)
    if not policy.can_run_vote(current_user, case):
        abort(403)
    if resolution.vote is not None:
        return redirect(url_for("voting.vote_detail", vote_id=resolution.vote.id))
    form = OpenVoteForm()
    if form.validate_on_submit():
        closes_at = None
        if form.closes_at.data:
            zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
            closes_at = form.closes_at.data.replace(tzinfo=zone)
        try:
            vote = operations.open_vote(
                resolution, current_user, at_meeting=form.at_meeting.data == "1",
                closes_at=closes_at,
                non_voters_follow_majority=case.compound.non_voters_follow_majority)
            db.session.commit()
        except operations.VoteRefused as exc:
            db.session.rollback()
            form.closes_at.errors = [exc.message]
        else:
            return redirect(url_for("voting.vote_detail", vote_id=vote.id))
    return render_template("voting/open.html", form=form, resolution=resolution, case=case)


@bp.route("/<int:vote_id>")
def vote_detail(vote_id: int):
    vote = _visible_vote(vote_id)
    run = policy.can_run_vote(current_user, vote)
    try:
        outcome, problem = queries.tally(vote), None
    except queries.InconsistentEntries as exc:
        outcome, problem = None, exc.message
    ballots = {b.voter_id: b for b in queries.committee_ballots(vote)}
    paper = None
    if run and vote.body != DecidingBody.owners_assembly and vote.state.value == "open":
        paper = PaperBallotForm(prefix="paper")
        paper.voter.choices = [(int(i), n) for i, n in vote.eligible["names"].items()]
    return render_template(
        "voting/detail.html", vote=vote, resolution=vote.resolution, outcome=outcome,
        problem=problem, ballots=ballots, run=run, paper=paper,
        ballot_form=BallotForm() if policy.can_cast(current_user, vote) else None,
        mine=ballots.get(current_user.id), close_form=CloseForm() if run else None,
        owner_choices=queries.owner_ballots(vote)
        if vote.body == DecidingBody.owners_assembly else {},
        my_units=queries.units_of(vote, current_user),
        owner_form=BallotForm(prefix="owner") if policy.is_owner_voter(current_user, vote)
        else None)


def _own_vote(vote: Vote, form: BallotForm, record):
    """Validate the voter's own choice, record it with ``record(choice)``, commit, go back."""
    if not form.validate_on_submit():
        flash(_("Please choose for, against or abstain."), "error")
        return redirect(url_for("voting.vote_detail", vote_id=vote.id))
    try:
        record(form.choice.data)
        db.session.commit()
    except operations.VoteRefused as exc:
        return _refused(exc, vote.id)
    flash(_("Your vote has been recorded. You may change it until the vote closes."), "success")
    return redirect(url_for("voting.vote_detail", vote_id=vote.id))


@bp.route("/<int:vote_id>/ballot", methods=["POST"])
def cast(vote_id: int):
    """A committee member's own named ballot."""
    vote = _visible_vote(vote_id)
    if not policy.can_cast(current_user, vote):
        abort(403)
    return _own_vote(vote, BallotForm(),
                     lambda choice: operations.cast_ballot(vote, current_user, choice))


@bp.route("/<int:vote_id>/my-units", methods=["POST"])
def owner_cast(vote_id: int):
    """An owner with an account votes online for their units."""
    vote = _visible_vote(vote_id)
    if not policy.is_owner_voter(current_user, vote):
        abort(403)
    return _own_vote(vote, BallotForm(prefix="owner"),
                     lambda choice: operations.cast_owner_ballot(vote, current_user, choice))


@bp.route("/<int:vote_id>/paper", methods=["POST"])
@limiter.limit("20 per 15 minutes",
               key_func=lambda: f"paper-ballot:{getattr(current_user, 'id', None)}")
def paper_ballot(vote_id: int):
    """A paper ballot at the meeting, entered by the liaison, confirmed by the member."""
    vote = _visible_vote(vote_id)
    if not policy.can_run_vote(current_user, vote):
        abort(403)
    form = PaperBallotForm(prefix="paper")
    form.voter.choices = [(int(i), n) for i, n in vote.eligible.get("names", {}).items()]
    if not form.validate_on_submit():
        flash("；".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("voting.vote_detail", vote_id=vote.id))
    voter = db.session.get(User, form.voter.data)
    if voter is None or not voter.check_password(form.password.data):
        operations.record_wrong_paper_password(vote, current_user, form.voter.data)
        db.session.commit()
        flash(_("The member's password is wrong; nothing was recorded."), "error")
        return redirect(url_for("voting.vote_detail", vote_id=vote.id))
    try:
        operations.cast_ballot(vote, voter, form.choice.data, entered_by=current_user)
        db.session.commit()
    except operations.VoteRefused as exc:
        return _refused(exc, vote.id)
    flash(_("Recorded %(name)s's ballot.", name=voter.name), "success")
    return redirect(url_for("voting.vote_detail", vote_id=vote.id))


@bp.route("/<int:vote_id>/units", methods=["GET", "POST"])
def unit_ballots(vote_id: int):
    vote = _visible_vote(vote_id)
    if vote.body != DecidingBody.owners_assembly:
        abort(404)
    if not policy.can_run_vote(current_user, vote):
        abort(403)
    form = UnitBallotsForm()
    if form.validate_on_submit():
        choices = {}
        for unit in vote.eligible["units"]:
            value = request.form.get(f"unit-{unit['unit_id']}", "")
            choices[unit["unit_id"]] = value if value in ("for", "against", "abstain") else None
        try:
            changed = operations.enter_owner_ballots(vote, current_user, choices)
            db.session.commit()
        except operations.VoteRefused as exc:
            return _refused(exc, vote.id)
        flash(_("%(n)d ballot(s) entered or corrected.", n=changed), "success")
        return redirect(url_for("voting.vote_detail", vote_id=vote.id))
    return render_template("voting/units.html", vote=vote, form=form,
                           cast=queries.owner_ballots(vote))


@bp.route("/<int:vote_id>/close", methods=["POST"])
def close(vote_id: int):
    vote = _visible_vote(vote_id)
    if not policy.can_run_vote(current_user, vote):
        abort(403)
    form = CloseForm()
    # Refusals show the vote page again rather than redirecting to it, so that the note typed
    # stays in the form (vote_detail's CloseForm reads the posted values).
    if not form.validate_on_submit():
        flash(_("Tick to confirm."), "error")
        return vote_detail(vote.id), 400
    try:
        operations.close_vote(vote, current_user, reason=(form.reason.data or "").strip())
        db.session.commit()
    except (operations.VoteRefused, TransitionRefused) as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return vote_detail(vote.id), 409
    flash(vote.result["explanation_zh"], "success")
    for text in notices.after_closing(vote):
        flash(text, "warning")
    return redirect(url_for("voting.vote_detail", vote_id=vote.id))


@bp.route("/<int:vote_id>/history")
def history(vote_id: int):
    vote = _visible_vote(vote_id)
    # Who voted what is for the people of the compound; an owner who only votes does not see it.
    case_queries.get_visible_case(current_user, vote.resolution.case_id)
    return render_template("voting/history.html", vote=vote,
                           changes=queries.ballot_history(vote))


@bp.route("/<int:vote_id>/notice")
def notice(vote_id: int):
    """表决结果公告: a printable A4 notice of the result, for the compound's notice board."""
    vote = _visible_vote(vote_id)
    if vote.result is None:
        abort(404)
    return render_template("voting/notice.html", vote=vote, resolution=vote.resolution)
