"""Reading minutes as people read them: the document's lines, the print view's first item, and
a vote closed with so many members for."""
import html
import re

from tracker.auth.models import User
from tracker.extensions import db
from tracker.meetings import operations as meetings
from tracker.meetings.minutes import current_revision
from tracker.voting import operations

TYPED = "暂缓，待下次会议继续讨论。"   # typed into the minutes, as in the walk that found it


def text_lines(document: str) -> list[str]:
    """The document's paragraphs and headings as text, up to the signatures' table."""
    body = document.split('<table class="signatures">')[0]
    return [re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", block)))
            for block in re.findall(r"<(?:p|h2|div)[^>]*>(.*?)</(?:p|h2|div)>", body, re.S)
            if re.sub(r"<[^>]+>", "", block).strip()]


def item_lines(page: str) -> list[str]:
    """The first agenda item's lines as the print view shows them (tags stripped)."""
    item = re.search(r'<div class="item">(.*?)</div>', page, re.S).group(1)
    return [html.unescape(re.sub(r"<[^>]+>", "", line)).strip()
            for line in re.findall(r"<p>.*?</p>", item, re.S)]


def typed_into_the_minutes(meeting, world):
    key = str(meeting.agenda[0].case_id)
    revision = current_revision(meeting)
    meetings.save_minutes(meeting, world.liaison, base_revision=revision.number if revision else 0,
                          content={"items": {key: {"background": "水泵老化。", "views": {},
                                                   "decision": TYPED, "responsible": "业委会",
                                                   "deadline": "三天"}},
                                   "other_business": ""})
    db.session.commit()


def close_with(vote, world, voting_for: int):
    for user_id in vote.eligible["members"][:voting_for]:
        operations.cast_ballot(vote, db.session.get(User, user_id), "for")
    operations.close_vote(vote, world.liaison)
    db.session.commit()


def print_view(login_as, world, meeting) -> list[str]:
    page = login_as(world.liaison).get(f"/meetings/{meeting.id}/print").get_data(as_text=True)
    return item_lines(page)
