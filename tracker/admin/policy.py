"""Who may use the administration pages."""
from tracker.auth.models import User


def can_administer(user: User) -> bool:
    """Places, parties and accounts are kept by administrators only."""
    return user.is_admin
