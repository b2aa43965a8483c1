"""Stored votes: the snapshot of a vote's inputs, and the check that its stored record is what the
rules give for them today (DESIGN §5.4).

A closed vote keeps two JSON documents: the snapshot (:func:`committee_snapshot`,
:func:`assembly_snapshot`) — the member list or property register and every ballot, as plain
data — and the outcome's record (``Outcome.to_record()`` in :mod:`tracker.voting.rules`).
:func:`outcome_from_snapshot` decides the snapshot again with the same rules and :func:`verify`
compares. Snapshots and records already stored must keep verifying, so neither changes shape.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from tracker.voting.rulebooks import LEGACY, NATIONAL
from tracker.voting.rulebooks import rulebook as rulebook_of
from tracker.voting.rules import (
    COUNTING_EDITION,
    AssemblyOutcome,
    CommitteeKind,
    Matter,
    MemberBallot,
    Outcome,
    UnitBallot,
    area_decimal,
    assembly_result,
    committee_result_from_ballots,
    parse_area,
    parse_choice,
    parse_vote,
)

SNAPSHOT_VERSION = 1


def committee_snapshot(kind: CommitteeKind | str, members: Iterable[int | str],
                       present: Iterable[int | str], ballots: Iterable[MemberBallot],
                       owner_representatives: Iterable[int | str] = (),
                       rulebook: str = NATIONAL.code, own_quorum: str | None = None,
                       own_approval: str | None = None) -> dict[str, Any]:
    """The inputs of a committee vote as plain JSON data: the member list when the vote opened,
    who among them are owner representatives, who was present, each named ballot, and the
    rulebook the vote is decided by (the place's when it opened) with the compound's own stricter
    thresholds, if any.

    :raise ValueError: an unknown committee kind, or a ballot without a choice.
    """
    return {
        "version": SNAPSHOT_VERSION, "type": "committee", "kind": CommitteeKind(kind).value,
        "members": list(members), "owner_representatives": list(owner_representatives),
        "present": list(present),
        "ballots": [{"voter_id": b.voter_id, "choice": parse_vote(b.choice).value}
                    for b in ballots],
        "rulebook": rulebook_of(rulebook).code,
        "own_quorum": own_quorum, "own_approval": own_approval,
    }


def assembly_snapshot(ballots: Iterable[UnitBallot], total_area: Decimal, matter: Matter | str,
                      *, non_voters_follow_majority: bool = False) -> dict[str, Any]:
    """The inputs of an owners' ballot as plain JSON data (areas as decimal strings).

    :raise ValueError: an unknown matter or choice, or an area that is not a positive number of
        m² with at most two decimals. :raise TypeError: an area given as a float.
    """
    return {
        "version": SNAPSHOT_VERSION, "type": "owners_assembly", "matter": Matter(matter).value,
        "edition": COUNTING_EDITION,
        "total_area": _area_text(total_area, "total_area"),
        "non_voters_follow_majority": non_voters_follow_majority,
        "units": [{"unit_id": b.unit_id, "owner_ref": b.owner_ref,
                   "developer_unsold": b.developer_unsold,
                   "area": _area_text(b.area, f"area of unit {b.unit_id!r}"),
                   "choice": None if b.choice is None else parse_choice(b.choice).value}
                  for b in ballots],
    }


def outcome_from_snapshot(snapshot: Mapping[str, Any]) -> Outcome | AssemblyOutcome:
    """Recompute an outcome from a stored snapshot (plain dicts and lists of ints, strings,
    Decimals or decimal strings) — the same rules, so the same outcome.

    :raise ValueError: an unknown snapshot version or type, or inconsistent contents.
    """
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"unknown snapshot version {snapshot.get('version')!r}")
    if snapshot.get("type") == "committee":
        return _committee_from_snapshot(snapshot)
    if snapshot.get("type") == "owners_assembly":
        return assembly_result(
            [UnitBallot(unit["unit_id"], unit.get("owner_ref"), unit["developer_unsold"],
                        unit["area"], parse_choice(unit["choice"]))
             for unit in snapshot["units"]],
            snapshot["total_area"], Matter(snapshot["matter"]),
            non_voters_follow_majority=snapshot["non_voters_follow_majority"],
            # Votes closed before editions were recorded were counted by the first.
            edition=snapshot.get("edition", 1))
    raise ValueError(f"unknown snapshot type {snapshot.get('type')!r}")


def verify(snapshot: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Whether a stored record is what its snapshot gives today."""
    return outcome_from_snapshot(snapshot).to_record() == dict(record)


def _committee_from_snapshot(snapshot: Mapping[str, Any]) -> Outcome:
    """The named member list, roll call and ballots of a committee snapshot, decided again."""
    ballots = [MemberBallot(b["voter_id"], parse_choice(b["choice"]))
               for b in snapshot["ballots"]]
    # A snapshot from before places had rulebooks was decided by the rules then applied to all.
    return committee_result_from_ballots(
        snapshot["kind"], snapshot["members"], snapshot["present"], ballots,
        snapshot["owner_representatives"],
        rulebook=rulebook_of(snapshot.get("rulebook", LEGACY.code)),
        own_quorum=snapshot.get("own_quorum"), own_approval=snapshot.get("own_approval"))


def _area_text(value: object, what: str) -> str:
    """An area as a snapshot stores it: a decimal string with two decimals."""
    return str(area_decimal(parse_area(value, what)))
