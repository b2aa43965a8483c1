"""Residents' phone numbers (个人信息保护法 art. 28, 51): shown in full only to whom calls back.

A resident's phone is personal information given for one purpose, that the case's liaison cadre
(联络员) can call them back. The liaison of the case's community sees it in full, and so does
the person who took it down and filed the case (they typed it in and correct it on the edit
form). Everyone else — the other parties' members, street and district officials (they oversee
cases, they do not call residents), administrators, API tokens of any of these — sees it masked
as 138****1234. The audit log records that it changed, masked, never the number.
"""
from tracker.auth.models import User
from tracker.cases.models import Case
from tracker.cases.policy import is_case_liaison


def mask_phone(phone: str) -> str:
    """``13812341234`` → ``138****1234``: the usual Chinese mask, enough to recognise a number.

    Shorter numbers (landlines) keep only their last four digits; four or fewer are all masked.
    """
    phone = phone or ""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def can_see_resident_phone(user: User, case: Case) -> bool:
    return user is not None and user.is_authenticated and (
        case.raised_by_id == user.id or is_case_liaison(user, case))


def resident_phone_for(user: User, case: Case) -> str:
    """The case's resident phone as ``user`` may see it ('' when none was given)."""
    if not case.resident_phone or can_see_resident_phone(user, case):
        return case.resident_phone
    return mask_phone(case.resident_phone)
