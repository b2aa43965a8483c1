"""Forms for places: districts, streets, communities, compounds, their units and parties."""
from decimal import Decimal

from flask_wtf.file import FileField, FileRequired, FileSize
from sqlalchemy import func
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from tracker.admin.fields import (
    Amount,
    RecordForm,
    enum_select,
    name_field,
    record_select,
    rows,
    strip,
)
from tracker.admin.queries import (
    communities_by_street,
    districts_by_name,
    streets_by_district,
    taken,
)
from tracker.auth.queries import find_account
from tracker.core.forms import Form
from tracker.core.i18n import lazy_gettext as _l
from tracker.extensions import db
from tracker.places.models import (
    Community,
    Compound,
    District,
    GovernanceMode,
    Party,
    PartyKind,
    Street,
    Unit,
)
from tracker.rulebooks import queries as rulebook_queries
from tracker.voting.rulebooks import NATIONAL, OFFERED, rulebook
from tracker.voting.thresholds import THRESHOLDS, Rule

DUPLICATE_NAME = _l("This name is already used here.")
MAX_HOUSEHOLDS = 1_000_000
MAX_CSV_BYTES = 2 * 1024 * 1024


class DistrictForm(RecordForm):
    name = name_field()
    rulebook = SelectField(
        _l("Regulation committees' votes follow"), default=NATIONAL.code,
        description=_l("The province's or city's regulation on property management: it sets the "
                       "owners' and management committees' quorum and majority and is cited with "
                       "every result. Votes already opened keep the one they were opened under."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A rulebook added for a province or city by its key: the district follows its current
        # edition, whichever that is when a vote opens.
        self.rulebook.choices = [(book.code, book.name_zh) for book in OFFERED] + \
            [(edition.key, edition.name) for edition in rulebook_queries.current_editions()]

    def validate_name(self, field):
        if taken(District, District.name == field.data, record=self.record):
            raise ValidationError(DUPLICATE_NAME)

    def values(self):
        return {"name": self.name.data, "rulebook": self.rulebook.data}


class StreetForm(RecordForm):
    district_id = record_select(_l("District"), _l("Please choose a district."))
    name = name_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = rows(districts_by_name())

    def validate_name(self, field):
        if self.district_id.data and taken(Street, Street.district_id == self.district_id.data,
                                           Street.name == field.data, record=self.record):
            raise ValidationError(_l("This district already has a street of this name."))

    def values(self):
        return {"district_id": self.district_id.data, "name": self.name.data}


class CommunityForm(RecordForm):
    street_id = record_select(_l("Street"), _l("Please choose a street."))
    name = name_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.street_id.choices = rows(streets_by_district(),
                                      lambda s: f"{s.district.name} · {s.name}")

    def validate_name(self, field):
        if self.street_id.data and taken(Community, Community.street_id == self.street_id.data,
                                         Community.name == field.data, record=self.record):
            raise ValidationError(_l("This street already has a community of this name."))

    def values(self):
        return {"street_id": self.street_id.data, "name": self.name.data}


class CompoundForm(RecordForm):
    community_id = record_select(_l("Community"), _l("Please choose a community."))
    name = name_field()
    code = StringField(_l("Code"), filters=[strip, lambda s: s.upper() if s else s],
                       description=_l("Letters and digits, printed in case numbers "
                                      "(DFHY-2026-007). Changing it does not renumber "
                                      "existing cases."),
                       validators=[InputRequired(_l("Please enter a code.")),
                                   Regexp(r"^[A-Z0-9]{1,16}$",
                                          message=_l("1 to 16 letters or digits."))])
    governance_mode = enum_select(_l("Governance mode"), GovernanceMode,
                                  _l("Please choose a governance mode."))
    households = IntegerField(_l("Households"), validators=[
        InputRequired(_l("Please enter the number of households.")),
        NumberRange(min=0, max=MAX_HOUSEHOLDS,
                    message=_l("Between 0 and %(n)d.", n=MAX_HOUSEHOLDS))])
    total_area = DecimalField(_l("Total exclusive area (m²)"), places=2, validators=[
        InputRequired(_l("Please enter the total area.")),
        Amount(Decimal(0), Decimal("1e10"), message=_l("Not a valid area: it may not be "
                                                         "negative."))])
    address = StringField(_l("Address"), filters=[strip],
                          validators=[Optional(), Length(max=200)])
    # The owners' assembly rules may ask more of the owners' committee than the district's
    # regulation, never less (tracker.voting.rulebooks.own_rules).
    committee_quorum = SelectField(
        _l("Owners' committee: members present (the compound's own rules)"), choices=[
            ("", _l("As the district's regulation requires")),
            ("more_than_half", _l("More than half of all members")),
            ("two_thirds_or_more", _l("Two thirds of all members or more")),
            ("three_quarters_or_more", _l("Three quarters of all members or more"))],
        default="")
    committee_approval = SelectField(
        _l("Owners' committee: members for a decision (the compound's own rules)"), choices=[
            ("", _l("As the district's regulation requires")),
            ("half_or_more", _l("Half of all members or more")),
            ("more_than_half", _l("More than half of all members")),
            ("two_thirds_or_more", _l("Two thirds of all members or more")),
            ("three_quarters_or_more", _l("Three quarters of all members or more"))],
        default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.community_id.choices = rows(communities_by_street(),
                                         lambda c: f"{c.street.name} · {c.name}")

    def _regulation(self) -> Rule | None:
        """The owners' committee rule of the chosen community's district (None while no valid
        community is chosen: that field says so)."""
        offered = {value for value, _label in self.community_id.choices if value}
        community = db.session.get(Community, self.community_id.data) \
            if str(self.community_id.data) in offered and not self.community_id.errors else None
        return rulebook(community.street.district.rulebook).owners_committee \
            if community else None

    def validate_committee_quorum(self, field):
        self._not_looser(field, "quorum")

    def validate_committee_approval(self, field):
        self._not_looser(field, "approval")

    def _not_looser(self, field, which: str) -> None:
        regulation = self._regulation()
        required = getattr(regulation, which) if regulation else None
        if field.data and required and not THRESHOLDS[field.data].at_least_as_strict_as(required):
            raise ValidationError(_l("The compound's own rules may ask more than the district's "
                                     "regulation, not less: at least %(required)s.",
                                     required=required.label_zh))

    def validate_name(self, field):
        if self.community_id.data and taken(
                Compound, Compound.community_id == self.community_id.data,
                Compound.name == field.data, record=self.record):
            raise ValidationError(_l("This community already has a compound of this name."))

    def validate_total_area(self, field):
        hundredths_of_a_m2(field)

    def validate_code(self, field):
        if taken(Compound, func.upper(Compound.code) == field.data, record=self.record):
            raise ValidationError(_l("Another compound already uses this code."))

    def values(self):
        return {"community_id": self.community_id.data, "name": self.name.data,
                "code": self.code.data, "governance_mode": self.governance_mode.data,
                "households": self.households.data,
                "total_area": self.total_area.data.quantize(Decimal("0.01")),
                "address": self.address.data or "",
                "committee_quorum": self.committee_quorum.data or None,
                "committee_approval": self.committee_approval.data or None}


def hundredths_of_a_m2(field) -> None:
    """The register gives areas to the hundredth of a m²: a finer one is refused, not rounded
    (0.004 would become 0.00 and fail as something else)."""
    if field.data is None or not field.data.is_finite() or abs(field.data) >= Decimal("1e10"):
        return  # out of range: the range check says so
    if field.data != field.data.quantize(Decimal("0.01")):
        raise ValidationError(_l("The area has at most two decimals, as in the register."))


class UnitForm(RecordForm):
    """One unit of the property register; ``record.compound_id`` is set before the form."""
    building = name_field(_l("Building"), 32, _l("Please enter the building."))
    number = name_field(_l("Unit number"), 32, _l("Please enter the unit number."))
    owner_name = name_field(_l("Owner"), 64, _l("Please enter the owner's name."))
    owner_ref = StringField(_l("Owner reference"), filters=[strip],
                            description=_l("The owner's reference in the register, such as the "
                                           "last digits of the property certificate or ID "
                                           "number; units with the same reference count as one "
                                           "owner. May stay empty only while no other owner "
                                           "here has this name."),
                            # No Optional(): an empty reference is checked against namesakes.
                            validators=[Length(max=64)])
    area = DecimalField(_l("Area (m²)"), places=2, validators=[
        InputRequired(_l("Please enter the area.")),
        Amount(Decimal(0), Decimal("1e8"), exclusive=True,
               message=_l("The area must be a positive number of m²."))])
    developer_unsold = BooleanField(_l("Unsold, held by the developer"))
    owner_account = StringField(_l("Owner's account (username or phone)"), filters=[strip],
                                description=_l("Optional: lets the owner vote online in "
                                               "owners' ballots."),
                                validators=[Optional(), Length(max=64)])

    def validate_area(self, field):
        hundredths_of_a_m2(field)

    def validate_owner_ref(self, field):
        # Two owners called 王伟 must never become one owner with both areas and one vote.
        if not field.data and self.owner_name.data and taken(
                Unit, Unit.compound_id == self.record.compound_id,
                Unit.owner_name == self.owner_name.data, record=self.record):
            raise ValidationError(_l("Another unit here has an owner of this name: give this "
                                     "owner's reference, the same one if it is the same "
                                     "person."))

    def validate_owner_account(self, field):
        if field.data and find_account(field.data) is None:
            raise ValidationError(_l("No account has this username or phone number."))

    def validate_number(self, field):
        if self.building.data and taken(
                Unit, Unit.compound_id == self.record.compound_id,
                Unit.building == self.building.data, Unit.number == field.data,
                record=self.record):
            raise ValidationError(_l("This building already has a unit with this number."))

    def values(self):
        # The compound is fixed by the page; named here so the audit event records it.
        return {"compound_id": self.record.compound_id, "building": self.building.data,
                "number": self.number.data, "owner_name": self.owner_name.data,
                "owner_ref": self.owner_ref.data or self.owner_name.data,
                "area": self.area.data.quantize(Decimal("0.01")),
                "developer_unsold": self.developer_unsold.data,
                "owner_user_id": find_account(self.owner_account.data).id
                if self.owner_account.data else None}


class ImportUnitsForm(Form):
    csv_file = FileField(_l("CSV file"), description=_l(
        "Columns: building, number, owner_name, area; optional owner_ref, developer_unsold. "
        "UTF-8 or GBK (as Excel saves it). If any line is wrong, nothing is imported."),
        validators=[FileRequired(_l("Please choose a CSV file.")),
                    FileSize(MAX_CSV_BYTES, message=_l("The file is larger than 2 MB."))])


class PartyForm(RecordForm):
    """A party at a compound's table; ``record.compound_id`` is set before the form."""
    kind = enum_select(_l("Kind"), PartyKind, _l("Please choose the kind of party."))
    name = name_field(max_length=100)

    def validate_kind(self, field):
        if field.data and taken(Party, Party.compound_id == self.record.compound_id,
                                Party.kind == field.data, record=self.record):
            raise ValidationError(_l("This compound already has a party of this kind."))

    def values(self):
        return {"compound_id": self.record.compound_id, "kind": self.kind.data,
                "name": self.name.data}
