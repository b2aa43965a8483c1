"""The pure quorum rules at and around every boundary (民法典 art. 1259: 过半数 is strict)."""
import pytest

from tracker.meetings.rules import CommitteeQuorum, joint_meeting_quorum, more_than_half


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (2, 5, False), (3, 5, True), (3, 6, False), (4, 6, True), (0, 0, False), (1, 1, True)])
def test_more_than_half_is_strict(part, whole, expected):
    assert more_than_half(part, whole) is expected


def test_joint_quorum_needs_every_party():
    assert joint_meeting_quorum({"rc": 1, "oc": 3, "pc": 1})
    assert not joint_meeting_quorum({"rc": 1, "oc": 3, "pc": 0})
    assert not joint_meeting_quorum({})


@pytest.mark.parametrize(("members", "present", "reached"), [
    (5, 2, False), (5, 3, True), (7, 3, False), (7, 4, True), (6, 3, False), (6, 4, True)])
def test_owners_committee_quorum(members, present, reached):
    assert CommitteeQuorum(members, present).reached is reached


@pytest.mark.parametrize(("present", "reps_present", "reached"), [
    (3, 2, False),   # 3 of 5 members but only 2 of 4 owner representatives (exactly half)
    (4, 3, True),
    (2, 2, False),   # members not more than half
])
def test_management_committee_needs_both_majorities(present, reps_present, reached):
    quorum = CommitteeQuorum(members=5, present=present, owner_representatives=4,
                             owner_representatives_present=reps_present,
                             management_committee=True)
    assert quorum.reached is reached
