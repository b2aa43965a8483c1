"""Quorum rules for joint meetings — pure functions over integers, no Flask, no database.

"过半数"/"超过" are strictly greater than; "以上" includes the number itself (民法典 art. 1259).
"""
from dataclasses import dataclass


def more_than_half(part: int, whole: int) -> bool:
    """超过半数: 2·part > whole, exact in integers."""
    return 2 * part > whole


def joint_meeting_quorum(present_by_party: dict[str, int]) -> bool:
    """三方到齐: every party expected at the table has at least one representative present
    (DESIGN §4; 上海市居民委员会工作条例 art. 23 on the joint meeting of the three parties)."""
    return bool(present_by_party) and all(n >= 1 for n in present_by_party.values())


@dataclass(frozen=True)
class CommitteeQuorum:
    members: int
    present: int
    owner_representatives: int = 0
    owner_representatives_present: int = 0
    management_committee: bool = False

    @property
    def reached(self) -> bool:
        """Owners' committee: more than half of all members present (Beijing 物业管理条例 2024
        art. 45; Shanghai 住宅物业管理规定 art. 26). Management committee: also more than half of
        the owner-representative members (Beijing 2024 arts. 52–59)."""
        if self.members == 0 or not more_than_half(self.present, self.members):
            return False
        if self.management_committee:
            return more_than_half(self.owner_representatives_present, self.owner_representatives)
        return True
