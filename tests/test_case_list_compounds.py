"""The case list's compound menu: offered for a community, replaced by drill-down for a district.

A district official sees hundreds of compounds; a menu that long was most of the page's size and
time, so beyond ``COMPOUND_CHOICES_MAX`` the menu goes and the dashboard's links (``?compound=``)
narrow the list instead. They must keep working, and must not reveal a compound out of scope.
"""
import re
from datetime import timedelta

import pytest
import time_machine
from flask_babel import force_locale, gettext

from tests.factories import make_case, make_compound
from tracker.auth.models import LiaisonAssignment, MemberRole, Membership
from tracker.cases import queries
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.places.models import Compound


def _menu(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="compound".*?</select>', html, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0)) if select else []


def _titles(html: str) -> set[str]:
    return set(re.findall(r'<td data-label="[^"]*"><a href="/cases/\d+">([^<]*)</a></td>',
                          html)[1::2])  # each row links its number, then its title


def test_a_community_liaison_gets_the_menu_of_their_compounds(world, login_as):
    html = login_as(world.liaison).get("/cases/").get_data(as_text=True)
    assert _menu(html)[1:] == ["德富花园", "邮电小区"]


@pytest.fixture
def crowded_street(world, monkeypatch):
    """The street official's street gets more compounds than the menu offers."""
    monkeypatch.setattr(queries, "COMPOUND_CHOICES_MAX", 3)
    for n in range(3):
        make_compound(world.community, f"新建小区{n}", f"XJ{n}")
    db.session.commit()
    make_case(world.compound, world.liaison, title="德富花园的水泵")
    make_case(world.neighbour_compound, world.liaison_out, title="正街花园的路灯")
    make_case(world.far_compound, world.admin, title="新华家园的电梯")
    return world


def test_beyond_the_limit_the_menu_gives_way_to_drill_down(crowded_street, login_as):
    world = crowded_street
    client = login_as(world.official)
    html = client.get("/cases/").get_data(as_text=True)
    assert _menu(html) == []
    assert _titles(html) == {"德富花园的水泵", "正街花园的路灯"}

    html = client.get(f"/cases/?compound={world.neighbour_compound.id}").get_data(as_text=True)
    assert _titles(html) == {"正街花园的路灯"}
    assert _menu(html)[1:] == ["正街花园"]  # the chosen compound stays named on the form


def test_a_menu_too_long_is_not_read_again_for_a_while(crowded_street, login_as):
    """Only the verdict "too many" is kept (tracker.cases.queries.MENU_RECHECK_SECONDS): the list
    still keeps to the person's scope meanwhile, and the menu comes back once it is asked again."""
    world = crowded_street
    client = login_as(world.official)
    assert _menu(client.get("/cases/").get_data(as_text=True)) == []
    # The three new compounds move to the other street: three are left, few enough for a menu.
    moved = db.session.scalars(db.select(Compound).where(Compound.name.like("新建小区%"))).all()
    assert len(moved) == 3
    for compound in moved:
        compound.community = world.far_compound.community
    db.session.commit()
    html = client.get("/cases/").get_data(as_text=True)
    assert _menu(html) == []  # not asked again yet
    assert _titles(html) == {"德富花园的水泵", "正街花园的路灯"}
    later = utcnow() + timedelta(seconds=queries.MENU_RECHECK_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        html = client.get("/cases/").get_data(as_text=True)
    assert _menu(html)[1:] == ["德富花园", "正街花园", "邮电小区"]


def test_beyond_the_limit_flags_and_exports_keep_to_the_persons_cases(crowded_street,
                                                                     login_as):
    """A flagged list and an export build their statement anew; beyond the menu they ask for
    the person's compounds in it (none were read with the menu)."""
    world = crowded_street
    client = login_as(world.official)
    assert client.get("/cases/?flag=overdue").status_code == 200
    export = client.get("/oversight/cases.csv").get_data(as_text=True)
    assert "德富花园的水泵" in export and "正街花园的路灯" in export
    assert "新华家园的电梯" not in export


def test_a_drill_down_link_to_another_street_neither_filters_nor_names_it(crowded_street,
                                                                         login_as):
    world = crowded_street
    html = login_as(world.official).get(f"/cases/?compound={world.far_compound.id}") \
        .get_data(as_text=True)
    assert "新华家园" not in html
    assert _titles(html) == {"德富花园的水泵", "正街花园的路灯"}  # the unfiltered list


@pytest.mark.parametrize("also", ["party member", "liaison"])
def test_beyond_the_limit_an_official_still_sees_where_else_they_work(crowded_street, login_as,
                                                                    also):
    """Beyond the menu the list asks for the person's compounds in its own statement, leaving
    out the parts of a scope the person has no role in: one they do have must stay in."""
    world = crowded_street
    far_party = world.far_compound.parties[0]
    db.session.add(Membership(user=world.official, party=far_party, role=MemberRole.member)
                   if also == "party member" else
                   LiaisonAssignment(user=world.official, compound=world.far_compound))
    db.session.commit()
    html = login_as(world.official).get("/cases/").get_data(as_text=True)
    assert _menu(html) == []
    assert _titles(html) == {"德富花园的水泵", "正街花园的路灯", "新华家园的电梯"}


def test_a_forced_language_inside_a_request_gets_its_own_catalogue(app, world):
    # Catalogues are remembered per request; mail and PDFs switch language inside one.
    with app.test_request_context("/"):
        from flask import session
        session["locale"] = "en"
        assert gettext("Cases") == "Cases"
        with force_locale("zh"):
            assert gettext("Cases") == "议题"
        assert gettext("Cases") == "Cases"


@pytest.mark.parametrize("who, offered", [
    ("liaison", True), ("owners_member", True), ("property_rep", True),
    ("official", False), ("district_official", False), ("nobody", False)])
def test_the_raise_button_is_offered_to_those_who_may_raise(world, login_as, who, offered):
    html = login_as(getattr(world, who)).get("/cases/").get_data(as_text=True)
    assert ('href="/cases/new"' in html) is offered


def test_a_liaison_of_a_community_without_compounds_is_not_offered_it(world, login_as):
    from tracker.auth.models import LiaisonAssignment
    from tracker.places.models import Community
    empty = Community(street=world.street, name="新建社区")
    db.session.add(LiaisonAssignment(user=world.nobody, community=empty))
    db.session.commit()
    html = login_as(world.nobody).get("/cases/").get_data(as_text=True)
    assert 'href="/cases/new"' not in html
    assert login_as(world.nobody).get("/cases/new").status_code == 403


# The filter menus: whatever differs between two looks of the list must show.

def test_a_renamed_compound_shows_its_new_name_in_the_menu(world, login_as):
    client = login_as(world.liaison)
    assert "德富花园" in _menu(client.get("/cases/?state=raised").get_data(as_text=True))
    world.compound.name = "德富新苑"
    db.session.commit()
    menu = _menu(client.get("/cases/?state=raised").get_data(as_text=True))
    assert "德富新苑" in menu and "德富花园" not in menu


def test_the_kept_menus_follow_the_language_and_the_choice(world, login_as):
    client = login_as(world.liaison)
    chinese = client.get("/cases/?state=closed").get_data(as_text=True)
    assert '<option selected value="closed">' in chinese
    client.post("/language/en")
    english = client.get("/cases/?state=closed").get_data(as_text=True)
    with force_locale("en"):
        assert f">{gettext('All compounds')}</option>" in english
    assert english != chinese
    raised = client.get("/cases/?state=raised&q=%E6%B0%B4").get_data(as_text=True)
    assert '<option selected value="raised">' in raised
    assert 'value="水"' in raised and '<option selected value="closed">' not in raised
