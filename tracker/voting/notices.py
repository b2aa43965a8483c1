"""What the person who closed a vote should know once it is closed, from the features that act
on the result (follow-up: a provisional deadline). Voting does not import them; they register
here, and the HTML view shows the notices after the close is committed."""
from collections.abc import Callable

from tracker.voting.models import Vote

_AFTER_CLOSING: list[Callable[[Vote], str | None]] = []


def register_after_closing(notice: Callable[[Vote], str | None]) -> None:
    if notice not in _AFTER_CLOSING:
        _AFTER_CLOSING.append(notice)


def after_closing(vote: Vote) -> list[str]:
    """The registered notices that have something to say about ``vote``."""
    return [str(text) for notice in _AFTER_CLOSING if (text := notice(vote))]
