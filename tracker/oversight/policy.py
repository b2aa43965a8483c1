"""Who may look at the oversight pages, and over which compounds."""
from sqlalchemy import Select, select, true

from tracker.auth import scope
from tracker.auth.models import User
from tracker.places.models import Compound


def can_oversee(user: User) -> bool:
    """Officials watch their street or district, liaisons their community (DESIGN §1, §6);
    a compound's own parties work on cases, they do not oversee."""
    return user.is_admin or scope.is_any_official(user) or scope.is_any_liaison(user)


def oversight_compound_ids(user: User) -> Select:
    if user.is_admin:
        return select(Compound.id).where(true())
    return scope.official_compound_ids(user).union(scope.liaison_compound_ids(user))
