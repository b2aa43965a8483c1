"""What a meeting decided on an agenda item, in one record the minutes, the meeting page and the
case timeline all say it from. The resolution kinds are filled in by the votes
(tracker.voting.labels.item_outcome); this module knows the ones recorded on the item itself."""
from __future__ import annotations

from dataclasses import dataclass

from tracker.meetings.models import AgendaItem


@dataclass(frozen=True)
class ItemOutcome:
    """What the meeting decided on an agenda item: its resolution and vote, or what the liaison
    recorded on the item (deferred, no decision needed), or nothing — and then the item goes to
    the next meeting when the minutes issue. The minutes' 议定 line (:meth:`decision_zh`), the
    case timeline and the meeting page are written from this, never typed beside it; what the
    recorder typed is printed as a note that cannot stand in for it."""
    kind: str          # passed, failed, voting (vote open), proposed (none opened yet),
    #                    deferred, no_decision, undecided
    resolution: str = ""   # the resolution's full text
    responsible: str = ""
    deadline: str = ""
    note: str = ""         # why it was deferred, or why no decision is needed

    def decision_zh(self) -> str:
        """The 议定 line as the issued minutes print it (always Chinese: a government record)."""
        if self.kind == "passed":
            return self.resolution
        if self.kind == "failed":
            return f"决议“{self.resolution}”未获通过。"
        if self.kind == "voting":
            return f"提出决议“{self.resolution}”，表决进行中，结果另行公布。"
        if self.kind == "proposed":
            return f"提出决议“{self.resolution}”，待表决。"
        if self.kind == "deferred":
            return "暂缓，转下次会议审议。"
        if self.kind == "no_decision":
            return "本议题无需作出决议。"
        return "本次会议未作决定，转下次会议审议。"

    def note_heading_zh(self) -> str:
        return "暂缓理由" if self.kind == "deferred" else "说明"

    def said_zh(self) -> str:
        """The decision with its note, as the case timeline records it."""
        return self.decision_zh() + (f"{self.note_heading_zh()}：{self.note}" if self.note else "")


def recorded_outcome(item: AgendaItem) -> ItemOutcome:
    """The outcome of an item without a resolution: what the liaison recorded, else undecided."""
    if item.disposal is not None:
        return ItemOutcome(item.disposal.value, note=item.disposal_note)
    return ItemOutcome("undecided")
