"""The route matrix's rows for the ``printing.*`` routes (tests/test_route_matrix.py).

The register is open to everyone logged in and lists only their scope; printing meetings outside
it is refused (400, with the message next to the selection); a print job belongs to the person
who asked for it: anyone else gets 404, even an administrator.
"""
from functools import cached_property

from tests.factories import World
from tests.matrix import Scenario
from tests.printing_factories import meeting_in
from tracker.extensions import db
from tracker.meetings.models import Meeting
from tracker.printing.models import PrintFormat, PrintJob, PrintState

ROLES = ("anonymous", "liaison", "liaison_out", "owners_member", "property_rep",
         "residents_member", "official", "official_out", "district_official", "admin")
TO_LOGIN = (302, r"/login")
TO_JOB = (302, r"/print-jobs/\d+")
EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18


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
