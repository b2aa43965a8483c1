"""Forms for the rulebooks an administrator adds for a province or city: the owners' committee's
thresholds and citation, and how owners' assembly meetings are called."""
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from tracker.admin.fields import PLACEHOLDER, name_field, strip
from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.core.labels import choices
from tracker.rulebooks import queries
from tracker.rulebooks.models import E_VOTE_DAYS, KEY_LENGTH, NOTICE_DAYS, PROXY_CAP
from tracker.voting.rulebooks import RULEBOOKS, PrevailingBallot
from tracker.voting.thresholds import THRESHOLDS

# Every threshold offered lies within the law's bounds for a committee: at least half of the
# members present, at least half of all members for (业主大会和业主委员会指导规则 and 物业管理条例
# 第十八条 leave the rest to local rules).
_THRESHOLD_LABELS = {
    "half_or_more": _l("Half of all members or more"),
    "more_than_half": _l("More than half of all members"),
    "two_thirds_or_more": _l("Two thirds of all members or more"),
    "three_quarters_or_more": _l("Three quarters of all members or more"),
}
NOT_OFFERED = _l("Choose one of the thresholds offered: a committee decides with at least half "
                 "of all its members, as the law requires.")


def threshold_select(label) -> SelectField:
    # Any other value is refused by the form's own check, with a message that says why.
    return SelectField(label, choices=[PLACEHOLDER] + [(code, _THRESHOLD_LABELS[code])
                                                       for code in THRESHOLDS],
                       validators=[DataRequired(_l("Please choose a threshold."))],
                       validate_choice=False)


def days_field(label, low: int, high: int, *, required: bool, description=None) -> IntegerField:
    message = _l("A whole number of days from %(low)d to %(high)d.", low=low, high=high)
    first = InputRequired(_l("Please enter a number of days.")) if required else Optional()
    return IntegerField(label, description=description,
                        validators=[first, NumberRange(low, high, message=message)])


# Made before RulebookForm's fields so that the new-rulebook form shows it first (WTForms orders
# fields as they were made).
KEY = StringField(
    _l("Key"), filters=[strip, lambda s: s.lower() if s else s],
    description=_l("Letters, digits and underscores, e.g. hubei or wuhan: districts store it, "
                   "and each edition's code is the key and its number (hubei.2)."),
    validators=[InputRequired(_l("Please enter a key.")),
                Regexp(rf"^[a-z][a-z0-9_]{{0,{KEY_LENGTH - 1}}}\Z", message=_l(
                    "1 to %(n)d letters, digits or underscores, starting with a letter.",
                    n=KEY_LENGTH))])


class RulebookForm(Form):
    """A rulebook's edition as typed; saving adds an edition, it never changes one."""
    name = name_field(_l("Name"), 100)
    committee_quorum = threshold_select(_l("Owners' committee: members present"))
    committee_approval = threshold_select(_l("Owners' committee: members for a decision"))
    citation = StringField(
        _l("Citation printed with every result"), filters=[strip],
        description=_l("The articles the thresholds come from, as the regulation numbers "
                       "them: 《湖北省物业服务和管理条例》第X条."),
        validators=[DataRequired(_l("Please enter the citation.")),
                    Length(max=300, message=_l("At most %(n)d characters.", n=300))])
    notice_days_regular = days_field(_l("Notice before a regular owners' assembly meeting (days)"),
                                     *NOTICE_DAYS, required=True)
    notice_days_temporary = days_field(
        _l("Notice before a temporary owners' assembly meeting (days)"), *NOTICE_DAYS,
        required=True)
    proxy_cap = IntegerField(
        _l("Owners one proxy may represent"), description=_l("Empty: the text sets no cap."),
        validators=[Optional(), NumberRange(*PROXY_CAP, message=_l(
            "From %(low)d to %(high)d, or empty.", low=PROXY_CAP[0], high=PROXY_CAP[1]))])
    e_vote_min_days = days_field(_l("Electronic vote open at least (days)"), *E_VOTE_DAYS,
                                 required=False,
                                 description=_l("Empty, with the next one: the text sets none."))
    e_vote_max_days = days_field(_l("Electronic vote open at most (days)"), *E_VOTE_DAYS,
                                 required=False)
    prevailing_ballot = SelectField(
        _l("When an owner votes both on paper and online"),
        choices=[("", _l("The text does not say"))] + choices(PrevailingBallot), default="")
    assembly_citation = StringField(
        _l("Articles the owners' assembly parameters come from"), filters=[strip],
        validators=[Optional(), Length(max=300, message=_l("At most %(n)d characters.", n=300))])

    def validate_committee_quorum(self, field):
        if field.data not in THRESHOLDS:
            raise ValidationError(NOT_OFFERED)

    def validate_committee_approval(self, field):
        if field.data not in THRESHOLDS:
            raise ValidationError(NOT_OFFERED)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        shortest, longest = self.e_vote_min_days, self.e_vote_max_days
        if shortest.errors or longest.errors:
            return valid
        if (shortest.data is None) != (longest.data is None):
            longest.errors.append(_l("Enter both the shortest and the longest time, or "
                                     "neither."))
            return False
        if shortest.data is not None and shortest.data > longest.data:
            longest.errors.append(_l("At least the shortest time (%(n)d days).",
                                     n=shortest.data))
            return False
        return valid

    def values(self) -> dict:
        return {"name": self.name.data, "committee_quorum": self.committee_quorum.data,
                "committee_approval": self.committee_approval.data,
                "citation": self.citation.data,
                "notice_days_regular": self.notice_days_regular.data,
                "notice_days_temporary": self.notice_days_temporary.data,
                "proxy_cap": self.proxy_cap.data,
                "e_vote_min_days": self.e_vote_min_days.data,
                "e_vote_max_days": self.e_vote_max_days.data,
                "prevailing_ballot": PrevailingBallot(self.prevailing_ballot.data)
                if self.prevailing_ballot.data else None,
                "assembly_citation": self.assembly_citation.data or ""}


class NewRulebookForm(RulebookForm):
    """A new rulebook: its key as well, which its editions' codes carry (``hubei.1``)."""
    key = KEY

    def validate_key(self, field):
        if field.data in RULEBOOKS:
            raise ValidationError(_l("This is the code of a built-in rulebook."))
        if queries.key_taken(field.data):
            raise ValidationError(_l("Another rulebook already uses this key."))


class EditRulebookForm(RulebookForm):
    """The next edition of a rulebook, and the edition the form was drawn from: an edition
    saved by someone else meanwhile is not replaced unseen."""
    edition = HiddenField()
