"""Twenty people press the same button at the same moment (DESIGN §3, §4, §5).

Each client is its own thread with its own test client, application context and database
session, as twenty gunicorn workers would be. A barrier holds every request after it has loaded
what it acts on and checked the version it was shown, until all twenty are there; only then do
they write. Afterwards the database, read fresh, must satisfy the invariant:

- a case transition happens once (one audit event), the other nineteen are told it changed;
- one current ballot per voter, the tally counts exactly the ballots stored;
- no signature on content other than what the signer was shown, and no valid signature on
  anything but the final minutes;
- twenty saves from one base revision make one new revision; the others are told it is stale
  and keep their text.

PostgreSQL only: SQLite lets one writer at a time hold the whole database.
"""
import hashlib
import threading
import traceback

import pytest
from sqlalchemy import func, make_url, select

from tests.conftest import Client, input_value, page_text, shown
from tests.factories import PASSWORD, make_case
from tests.meeting_factories import MINUTES, SIGNERS, held_meeting
from tests.vote_factories import committee_vote
from tracker import create_app
from tracker.audit.models import AuditEvent
from tracker.cases import views as case_views
from tracker.cases.models import Case, CaseState
from tracker.extensions import db
from tracker.meetings import minutes as minutes_content
from tracker.meetings import operations as meeting_operations
from tracker.meetings.models import Meeting, MinutesRevision, Signature
from tracker.voting import operations as vote_operations
from tracker.voting import queries as vote_queries
from tracker.voting.models import BallotChange, CommitteeBallot, Vote

CLIENTS = 20
CASE_CHANGED = "This case was changed by someone else in the meantime. " \
               "Please look at its current state and try again."


@pytest.fixture(autouse=True)
def postgresql_only(app):
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer at a time hold the whole database, "
                    "so twenty transactions never overlap; set TEST_DATABASE_URL to run this")


@pytest.fixture(scope="module")
def crowd_app(app):
    """The same application with a connection pool wide enough for twenty requests that each
    hold a connection while they wait at the barrier (the default pool has 5 + 10)."""
    keep = ("SIGNING_CERT", "SIGNING_KEY", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
            "MAX_PHOTO_BYTES", "CASES_PER_PAGE")
    crowd = create_app({**{k: app.config[k] for k in keep}, "TESTING": True,
                        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": CLIENTS + 2,
                                                      "max_overflow": 0, "pool_timeout": 30}})
    crowd.test_client_class = Client
    yield crowd
    with crowd.app_context():
        db.engine.dispose()


def logged_in(app, user) -> Client:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def together(monkeypatch, module, name: str, barrier: threading.Barrier) -> None:
    """Make ``module.name`` wait at ``barrier`` before doing its work."""
    real = getattr(module, name)

    def waiting(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)


def run_all(requests: list) -> list:
    """Run each ``request()`` in a thread of its own, all at once; return their responses."""
    responses = [None] * len(requests)
    errors = []

    def run(i):
        try:
            responses[i] = requests[i]()
        except Exception as exc:  # noqa: BLE001 - reported below with the others
            traceback.print_exc()  # shown with the failure: where the request broke
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not errors, errors
    assert all(r is not None for r in responses)
    return responses


def fresh() -> None:
    db.session.rollback()
    db.session.expire_all()


# --- (a) the same case transition ------------------------------------------------------------

def test_twenty_withdrawals_of_one_case(crowd_app, world, monkeypatch):
    case = make_case(world.compound, world.liaison)
    case_id, version = case.id, case.version
    barrier = threading.Barrier(CLIENTS, timeout=30)
    real_transition = case_views.transition

    def transition_together(case, *args, **kwargs):
        assert case.version == version  # every request loaded the case before anyone wrote
        barrier.wait()
        return real_transition(case, *args, **kwargs)

    monkeypatch.setattr(case_views, "transition", transition_together)
    clients = [logged_in(crowd_app, world.liaison) for _ in range(CLIENTS)]

    responses = run_all([
        (lambda i=i: clients[i].post(f"/cases/{case_id}/actions/withdraw", data={
            "reason": f"第{i}位同事撤销", "version": str(version)}))
        for i in range(CLIENTS)])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [409] * (CLIENTS - 1)
    with crowd_app.test_request_context():
        for loser in (r for r in responses if r.status_code == 409):
            assert shown(CASE_CHANGED) in page_text(loser)
    fresh()
    stored = db.session.get(Case, case_id)
    assert stored.state == CaseState.withdrawn and stored.version == version + 1
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case_id,
        AuditEvent.action == "withdraw")))
    assert len(events) == 1
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    assert events[0].note == f"第{winner}位同事撤销"


# --- (b) ballots -------------------------------------------------------------------------------

def test_twenty_ballots_some_from_the_same_voter(crowd_app, world, monkeypatch):
    """Fourteen members; six of them submit from two devices at once with different choices."""
    vote = committee_vote(world, extra_members=13)
    vote_id, members = vote.id, list(vote.eligible["members"])
    assert len(members) == 14
    from tracker.auth.models import User
    users = {uid: db.session.get(User, uid) for uid in members}
    choices = ("for", "against", "abstain")
    plan = [(uid, choices[n % 3]) for n, uid in enumerate(members)]
    plan += [(uid, choices[(n + 1) % 3]) for n, uid in enumerate(members[:6])]
    assert len(plan) == CLIENTS
    db.session.commit()
    barrier = threading.Barrier(CLIENTS, timeout=30)
    together(monkeypatch, vote_operations, "cast_ballot", barrier)
    clients = [logged_in(crowd_app, users[uid]) for uid, _choice in plan]

    responses = run_all([
        (lambda i=i, choice=choice: clients[i].post(f"/votes/{vote_id}/ballot",
                                                    data={"choice": choice}))
        for i, (_uid, choice) in enumerate(plan)])

    assert all(r.status_code == 302 for r in responses)
    fresh()
    ballots = list(db.session.scalars(select(CommitteeBallot).where(
        CommitteeBallot.vote_id == vote_id)))
    assert sorted(b.voter_id for b in ballots) == sorted(members)  # one per voter, none lost
    for ballot in ballots:
        offered = {choice for uid, choice in plan if uid == ballot.voter_id}
        assert ballot.choice in offered
        # The history ends with the choice that stands, so nothing was applied twice unseen.
        history = list(db.session.scalars(select(BallotChange).where(
            BallotChange.vote_id == vote_id, BallotChange.voter_id == ballot.voter_id)
            .order_by(BallotChange.id)))
        assert history and history[-1].new_choice == ballot.choice
        assert history[0].old_choice is None
    changes = db.session.scalar(select(func.count()).select_from(BallotChange).where(
        BallotChange.vote_id == vote_id))
    audited = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.subject_type == "vote", AuditEvent.subject_id == vote_id,
        AuditEvent.action == "ballot"))
    assert changes == audited
    # The running tally counts exactly the stored ballots.
    outcome = vote_queries.tally(db.session.get(Vote, vote_id))
    counted = {c: sum(1 for b in ballots if b.choice == c) for c in choices}
    assert (outcome.votes_for, outcome.against, outcome.abstain) == \
        (counted["for"], counted["against"], counted["abstain"])


# --- (c) signatures while the minutes are saved ----------------------------------------------

def sha_of_revision(meeting: Meeting, revision: MinutesRevision) -> str:
    record = minutes_content.canonical_record(meeting, revision)
    return hashlib.sha256(minutes_content.canonical_bytes(record)).hexdigest()


def test_signing_while_minutes_are_saved(crowd_app, world, monkeypatch):
    """The three representatives sign from four devices each while eight people save a new
    minutes revision from the text all of them were shown."""
    meeting = held_meeting(world)
    meeting_id = meeting.id
    item_key = str(meeting.agenda[0].case_id)
    shown_sha = minutes_content.content_sha256(meeting)
    db.session.commit()
    barrier = threading.Barrier(CLIENTS, timeout=30)
    together(monkeypatch, meeting_operations, "sign_minutes", barrier)
    together(monkeypatch, meeting_operations, "save_minutes", barrier)
    requests = []
    for username in SIGNERS:
        for _device in range(4):
            client = logged_in(crowd_app, world.users[username])
            requests.append(lambda c=client: c.post(f"/meetings/{meeting_id}/sign", data={
                "password": PASSWORD, "drawing": "", "content_sha256": shown_sha}))
    for n in range(CLIENTS - len(requests)):
        client = logged_in(crowd_app, world.liaison)
        requests.append(lambda c=client, n=n: c.post(f"/meetings/{meeting_id}/minutes", data={
            "base_revision": "1", "other_business": f"补充第{n}条",
            **{f"item-{item_key}-{field}": value for field, value in MINUTES.items()}}))

    responses = run_all(requests)

    assert all(r.status_code in (302, 400, 409) for r in responses), \
        [r.status_code for r in responses]
    fresh()
    meeting = db.session.get(Meeting, meeting_id)
    revisions = {r.number: r for r in db.session.scalars(select(MinutesRevision).where(
        MinutesRevision.meeting_id == meeting_id))}
    signatures = list(db.session.scalars(select(Signature).where(
        Signature.meeting_id == meeting_id)))
    current = max(revisions)
    final_sha = minutes_content.content_sha256(meeting)
    # Every signature is on the text its signer was shown, and names that text's revision.
    for signature in signatures:
        assert signature.content_sha256 == shown_sha
        assert sha_of_revision(meeting, revisions[signature.revision_number]) == shown_sha
    # A signature still valid is on the final minutes; one per party at most.
    valid = [s for s in signatures if s.invalidated_at is None]
    for signature in valid:
        assert signature.revision_number == current
        assert signature.content_sha256 == final_sha
    assert len({s.party_id for s in valid}) == len(valid)
    # A new revision (a successful save) leaves no valid signature over the old text.
    if current > 1:
        assert not valid
    assert sorted(revisions) == list(range(1, current + 1)) and current <= 2
    saved = sum(1 for r in responses[len(SIGNERS) * 4:] if r.status_code == 302)
    assert saved == current - 1


# --- (d) minutes saves from one base revision --------------------------------------------------

def test_twenty_minutes_saves_from_one_revision(crowd_app, world, monkeypatch):
    meeting = held_meeting(world)
    meeting_id = meeting.id
    item_key = str(meeting.agenda[0].case_id)
    db.session.commit()
    barrier = threading.Barrier(CLIENTS, timeout=30)
    together(monkeypatch, meeting_operations, "save_minutes", barrier)
    clients = [logged_in(crowd_app, world.liaison) for _ in range(CLIENTS)]

    def save(i):
        return clients[i].post(f"/meetings/{meeting_id}/minutes", data={
            "base_revision": "1", "other_business": f"第{i}位记录人的补充",
            **{f"item-{item_key}-{field}": value for field, value in MINUTES.items()},
            f"item-{item_key}-decision": f"决定{i}"})

    responses = run_all([lambda i=i: save(i) for i in range(CLIENTS)])

    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [302] + [409] * (CLIENTS - 1), statuses
    winner = statuses.index(302)
    # Every stale save is told so and keeps what its author typed.
    for i, response in enumerate(responses):
        if i != winner:
            page = page_text(response)
            assert input_value(page, "other_business") == f"第{i}位记录人的补充"
            assert f"决定{i}" in page
    fresh()
    revisions = list(db.session.scalars(select(MinutesRevision).where(
        MinutesRevision.meeting_id == meeting_id).order_by(MinutesRevision.number)))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].content["other_business"] == f"第{winner}位记录人的补充"
    assert revisions[1].content["items"][item_key]["decision"] == f"决定{winner}"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.subject_type == "meeting", AuditEvent.subject_id == meeting_id,
        AuditEvent.action == "minutes_save")) == 2
