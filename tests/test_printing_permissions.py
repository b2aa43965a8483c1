"""The permission matrix over every ``printing.*`` route × the roles of the test world.

Every ``printing.*`` endpoint must appear in ``SCENARIOS``; a new route without an entry fails
:func:`test_every_printing_route_is_in_the_matrix`. The register is open to everyone logged in and
lists only their scope; printing meetings outside it is refused (400, with the message next to the
selection); a print job belongs to the person who asked for it: anyone else gets 404, even an
administrator.
"""
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable
from urllib.parse import urlsplit

import pytest

from tests.factories import World
from tests.printing_factories import meeting_in
from tracker.extensions import db
from tracker.meetings.models import Meeting
from tracker.printing.models import PrintFormat, PrintJob, PrintState

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep",
         "residents_member", "official", "official_out", "district_official", "admin")
TO_LOGIN = (302, r"/login")
TO_JOB = (302, r"/print-jobs/\d+")
EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRINT_JOBS_INLINE", True)


class Targets:
    """Built only when a scenario needs them (signing renders a PDF)."""

    def __init__(self, world: World):
        self.world = world

    @cached_property
    def signed(self) -> Meeting:
        """Signed minutes of 德富花园 (北湖街, 横堤社区)."""
        return meeting_in(self.world)

    @cached_property
    def job(self) -> PrintJob:
        """A finished job of the 北湖街 official (the record is what is checked here; preparing
        one is tested in test_printing.py)."""
        job = PrintJob(user_id=self.world.official.id, format=PrintFormat.zip, meeting_ids=[],
                       total=0, done=0, state=PrintState.finished, result=EMPTY_ZIP,
                       size=len(EMPTY_ZIP), filename="会议纪要-20261120-0份.zip")
        db.session.add(job)
        db.session.commit()
        return job


@dataclass(frozen=True)
class Scenario:
    endpoint: str
    method: str
    url: Callable[[Targets], str]
    expected: dict
    data: Callable[[Targets], dict] | None = None


def expect(*answers, **other_roles) -> dict:
    assert len(answers) == len(ROLES)
    return {**dict(zip(ROLES, answers)), **other_roles}


EVERYONE = expect(TO_LOGIN, *[200] * 9)
OWNER_ONLY = expect(TO_LOGIN, 404, 404, 404, 404, 404, 200, 404, 404, 404)

SCENARIOS: dict[str, Scenario] = {
    "minutes register": Scenario("printing.register", "GET", lambda t: "/minutes-register/",
                                 EVERYONE),
    "export as CSV": Scenario("printing.export", "GET",
                              lambda t: "/minutes-register/export.csv?month=2026-11", EVERYONE),
    "export as XLSX": Scenario("printing.export", "GET",
                               lambda t: "/minutes-register/export.xlsx", EVERYONE),
    # Whoever may read the signed minutes may print them; others' choice is refused.
    "print 德富花园's signed minutes": Scenario(
        "printing.create_job", "POST", lambda t: "/minutes-register/print",
        expect(TO_LOGIN, TO_JOB, 400, TO_JOB, TO_JOB, TO_JOB, TO_JOB, 400, TO_JOB, TO_JOB,
               property_rep_out=400, nobody=400),
        data=lambda t: {"meetings": [str(t.signed.id)], "format": "merged_pdf"}),
    "print job page": Scenario("printing.job", "GET", lambda t: f"/print-jobs/{t.job.id}",
                               OWNER_ONLY),
    "print job progress": Scenario("printing.progress", "GET",
                                   lambda t: f"/print-jobs/{t.job.id}/progress", OWNER_ONLY),
    "print job download": Scenario("printing.download", "GET",
                                   lambda t: f"/print-jobs/{t.job.id}/download", OWNER_ONLY),
}


def printing_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("printing.")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_printing_route_is_in_the_matrix(app):
    covered = {(s.endpoint, s.method) for s in SCENARIOS.values()}
    missing = sorted(printing_routes(app) - covered)
    assert not missing, f"add these routes to SCENARIOS in {__file__}: {missing}"
    assert not sorted(covered - printing_routes(app))


@pytest.mark.parametrize(("scenario", "role"), [
    pytest.param(name, role, id=f"{name}-{role}") for name in SCENARIOS for role in ROLES])
def test_status(app, client, login_as, world, scenario, role):
    spec = SCENARIOS[scenario]
    targets = Targets(world)
    url = spec.url(targets)
    endpoint, _ = app.url_map.bind("localhost").match(urlsplit(url).path, method=spec.method)
    assert endpoint == spec.endpoint
    data = spec.data(targets) if spec.data else None
    if role != "anonymous":
        login_as(getattr(world, role))
    response = client.open(url, method=spec.method, data=data)
    expected = spec.expected[role]
    status, location = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    if location is not None:
        assert re.fullmatch(location, urlsplit(response.location).path), response.location
