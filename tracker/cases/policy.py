"""Who may do what with a case: named questions the views and the workflow ask."""
from tracker.auth import scope
from tracker.auth.models import User
from tracker.cases.models import Case, CaseState


def can_view_case(user: User, case: Case) -> bool:
    return scope.can_see_compound(user, case.compound_id)


def can_raise_in(user: User, compound_id: int) -> bool:
    """Any party member of the compound and its liaison cadre may raise (DESIGN §3)."""
    return scope.is_party_member(user, compound_id) or scope.is_liaison(user, compound_id)


def can_edit_case(user: User, case: Case) -> bool:
    """Details may be corrected while the case is still only raised, by its liaison or raiser."""
    if case.state != CaseState.raised:
        return False
    return case.raised_by_id == user.id or scope.is_liaison(user, case.compound_id)


def is_case_liaison(user: User, case: Case) -> bool:
    return scope.is_liaison(user, case.compound_id)


def is_liaison_or_official(user: User, case: Case) -> bool:
    return scope.is_liaison(user, case.compound_id) or scope.is_official(user, case.compound_id)


def can_add_photos(user: User, case: Case) -> bool:
    if case.state in (CaseState.closed, CaseState.withdrawn):
        return False
    return can_raise_in(user, case.compound_id)
