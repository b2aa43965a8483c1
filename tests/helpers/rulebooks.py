"""Rulebooks an administrator adds for a province or city, as the test world needs them."""
from tracker.extensions import db
from tracker.rulebooks import operations
from tracker.rulebooks.models import RulebookEdition

HUBEI = {"name": "湖北省（《湖北省物业服务和管理条例》）", "committee_quorum": "more_than_half",
         "committee_approval": "more_than_half", "citation": "《湖北省物业服务和管理条例》第X条",
         "notice_days_regular": 15, "notice_days_temporary": 15, "proxy_cap": None,
         "e_vote_min_days": None, "e_vote_max_days": None, "prevailing_ballot": None,
         "assembly_citation": ""}


def add_local_rulebook(actor, key: str = "hubei", **values) -> RulebookEdition:
    """Edition 1 of a local rulebook: Hubei's as the tests imagine it, with ``values`` changed."""
    edition = operations.add_rulebook(actor, key, {**HUBEI, **values})
    db.session.commit()
    return edition


def form_data(values: dict) -> dict:
    """``values`` as the rulebook form posts them: numbers as text, nothing as empty."""
    return {name: "" if value is None else str(value) for name, value in values.items()}
