"""Who may keep the working calendar. There is one calendar per deployment (China's arrangement
is national); every logged-in person may read it (the pages ask for a login), district
officials and administrators keep it."""
from tracker.auth import scope
from tracker.auth.models import User


def can_edit_calendar(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or scope.is_district_official(user))
