"""Who sees which cases (DESIGN §1), and the case list: filters, sorting, pages, queries.

One case in each of the world's four compounds:

    北湖街 / 横堤社区: 德富花园 (DFHY), 邮电小区 (YD);  北湖街 / 北湖正街社区: 正街花园 (ZJ)
    唐家墩街 / 新华西社区: 新华家园 (XH)
"""
import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import page_text, shown
from tests.factories import image_bytes, make_case, set_state
from tracker.auth.models import LiaisonAssignment, User
from tracker.cases.models import CaseCategory, CaseSource, CaseState
from tracker.core.images import clean_image
from tracker.extensions import db
from tracker.places.models import Compound

EVERYWHERE = {"DFHY", "YD", "ZJ", "XH"}
SEES = {
    "liaison": {"DFHY", "YD"},              # their community 横堤社区
    "liaison_out": {"ZJ"},                  # their community 北湖正街社区
    "owners_member": {"DFHY"},              # their party's compound
    "property_rep": {"DFHY"},
    "residents_member": {"DFHY"},
    "official": {"DFHY", "YD", "ZJ"},       # their street 北湖街
    "official_out": {"XH"},                 # their street 唐家墩街
    "district_official": EVERYWHERE,        # their district 江汉区
    "admin": EVERYWHERE,
    "nobody": set(),
}


@pytest.fixture
def cases(world):
    """One case per compound, titled after the compound's code."""
    return {compound.code: make_case(compound, world.liaison if compound.code in {"DFHY", "YD"}
                                     else world.admin, title=f"{compound.code} 的议题")
            for compound in (world.compound, world.mc_compound, world.neighbour_compound,
                             world.far_compound)}


def listed_titles(response) -> list[str]:
    return re.findall(r'<a href="/cases/\d+">([^<]*的议题[^<]*)</a>', page_text(response))


def listed_codes(response) -> set[str]:
    return {title.split()[0] for title in listed_titles(response)}


@pytest.mark.parametrize(("who", "codes"), SEES.items(), ids=list(SEES))
def test_each_person_sees_exactly_their_cases(world, cases, login_as, who, codes):
    client = login_as(getattr(world, who))

    assert listed_codes(client.get("/cases/")) == codes
    for code, case in cases.items():
        assert client.get(f"/cases/{case.id}").status_code == (200 if code in codes else 404)


@pytest.mark.parametrize(("who", "codes"), SEES.items(), ids=list(SEES))
def test_compound_filter_offers_only_visible_compounds(world, cases, login_as, who, codes):
    page = page_text(login_as(getattr(world, who)).get("/cases/"))

    select_box = re.search(r'<select[^>]*name="compound".*?</select>', page, re.S).group(0)
    offered = set(re.findall(r'<option[^>]*value="(\d+)"', select_box))
    assert offered == {str(cases[code].compound_id) for code in codes}


def test_filtering_by_a_compound_out_of_scope_shows_nothing_more(world, cases, login_as):
    client = login_as(world.liaison)

    response = client.get(f"/cases/?compound={world.far_compound.id}")

    # An out-of-scope compound is not a valid choice: the whole (own) list is shown instead.
    assert response.status_code == 200
    assert listed_codes(response) == SEES["liaison"]


def test_liaison_for_one_compound(world, cases, login_as):
    db.session.add(LiaisonAssignment(user=world.nobody, compound=world.mc_compound))
    db.session.commit()
    client = login_as(world.nobody)

    assert listed_codes(client.get("/cases/")) == {"YD"}
    assert client.get(f"/cases/{cases['DFHY'].id}").status_code == 404
    assert client.get("/cases/new").status_code == 200


def test_nobody_may_raise_without_a_compound(world, login_as):
    client = login_as(world.nobody)

    assert client.get("/cases/new").status_code == 403
    assert 'href="/cases/new"' not in page_text(client.get("/cases/"))


def test_photo_of_another_case_is_not_served_through_a_visible_one(world, login_as):
    hidden = make_case(world.far_compound, world.admin,
                       photos=[("x.jpg", clean_image(image_bytes(), 10**6))])
    visible = make_case(world.compound, world.liaison)

    response = login_as(world.liaison).get(f"/cases/{visible.id}/photos/{hidden.photos[0].id}")

    assert response.status_code == 404


# --- the list: filters, sorting, pages ------------------------------------------------------

@pytest.fixture
def many(world):
    """Cases in 德富花园 with distinct states, categories and sources, oldest first."""
    specs = [
        ("水泵老化", CaseCategory.water_supply, CaseSource.evening_forum, CaseState.raised),
        ("外来车辆乱停", CaseCategory.parking, CaseSource.hotline_12345, CaseState.meeting),
        ("高空抛物", CaseCategory.sanitation, CaseSource.building_party_group, CaseState.raised),
        ("物业费收缴率仅20%", CaseCategory.property_fees, CaseSource.survey, CaseState.closed),
        ("楼道灯_不亮", CaseCategory.facilities, CaseSource.walk_in, CaseState.withdrawn),
        ("花园杂草", CaseCategory.greenery, CaseSource.evening_forum, CaseState.follow_up),
        ("水管漏水", CaseCategory.water_supply, CaseSource.other, CaseState.raised),
    ]
    made = []
    for i, (title, category, source, state) in enumerate(specs):
        case = make_case(world.compound, world.liaison, title=title, category=category,
                         source=source, description=f"第{i}个")
        # One minute apart, so the order is certain on every database.
        case.raised_at = case.raised_at.replace(microsecond=0) + timedelta(minutes=i)
        made.append(set_state(case, state))
    return made


def titles(client, query="") -> list[str]:
    response = client.get(f"/cases/{query}")
    assert response.status_code == 200
    return re.findall(r'<td data-label="[^"]*"><a href="/cases/\d+">([^<]*)</a></td>',
                      page_text(response))[1::2]


@pytest.mark.parametrize(("query", "expected"), [
    ("?state=raised", {"水泵老化", "高空抛物", "水管漏水"}),
    ("?state=withdrawn", {"楼道灯_不亮"}),
    ("?category=water_supply", {"水泵老化", "水管漏水"}),
    ("?source=evening_forum", {"水泵老化", "花园杂草"}),
    ("?category=water_supply&state=raised&source=other", {"水管漏水"}),
    ("?q=水", {"水泵老化", "水管漏水"}),
    ("?q=%25", {"物业费收缴率仅20%"}),        # % is a literal, not a wildcard
    ("?q=_", {"楼道灯_不亮"}),               # so is _
    ("?q=20%25", {"物业费收缴率仅20%"}),
    ("?q=第3个", {"物业费收缴率仅20%"}),      # the description is searched
    ("?q=DFHY-", None),                     # the number is searched: all of them
    ("?q=nothing+like+this", set()),
    ("?state=nonsense", None),              # an edited URL shows the whole list, not an error
    ("?page=abc", None),
], ids=lambda v: v if isinstance(v, str) else None)
def test_filters(app, world, many, login_as, monkeypatch, query, expected):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 20)  # every match on one page

    found = set(titles(login_as(world.liaison), query))

    assert found == (expected if expected is not None else {case.title for case in many})


def test_filter_by_compound(world, many, cases, login_as):
    client = login_as(world.liaison)

    assert titles(client, f"?compound={world.mc_compound.id}") == ["YD 的议题"]


def test_sorting_and_pages(world, many, login_as):
    client = login_as(world.liaison)
    newest = ["水管漏水", "花园杂草", "楼道灯_不亮", "物业费收缴率仅20%", "高空抛物"]

    assert titles(client) == newest
    assert titles(client, "?sort=newest&page=2") == ["外来车辆乱停", "水泵老化"]
    assert titles(client, "?sort=oldest") == ["水泵老化", "外来车辆乱停", "高空抛物",
                                               "物业费收缴率仅20%", "楼道灯_不亮"]
    assert titles(client, "?sort=oldest&page=3") == []
    assert titles(client, "?page=0") == newest  # out of range means the first page
    page = page_text(client.get("/cases/?state=raised&sort=oldest"))
    assert 'href="/cases/?page=2' not in page  # three cases: no next page


def test_pager_keeps_the_filters(world, many, login_as):
    client = login_as(world.liaison)

    first = page_text(client.get("/cases/?q=DFHY&sort=oldest"))
    next_link = html.unescape(re.search(r'href="(/cases/\?[^"]*page=2[^"]*)"', first).group(1))

    query = parse_qs(urlsplit(next_link).query)
    assert query.pop("after")  # where page 2 starts (see test_paging_by_anchor)
    assert query == {"q": ["DFHY"], "sort": ["oldest"], "page": ["2"]}
    assert titles(client, next_link.removeprefix("/cases/")) == ["花园杂草", "水管漏水"]


def _link(page: str, label: str) -> str:
    match = re.search(r'<a href="(/cases/\?[^"]*)">[^<]*' + re.escape(shown(label)), page)
    return html.unescape(match.group(1)).removeprefix("/cases/") if match else ""


@pytest.mark.parametrize("sort", ["newest", "oldest", "updated"])
def test_paging_by_anchor_forwards_and_back(world, many, login_as, app, monkeypatch, sort):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 3)
    client = login_as(world.liaison)
    everything = titles(client, f"?sort={sort}&page=1") + titles(client, f"?sort={sort}&page=2") \
        + titles(client, f"?sort={sort}&page=3")
    assert sorted(everything) == sorted(c.title for c in many)

    first = page_text(client.get(f"/cases/?sort={sort}"))
    second_link = _link(first, "Next")
    assert "after=" in second_link
    second = page_text(client.get(f"/cases/{second_link}"))
    assert titles(client, second_link) == everything[3:6]
    third_link = _link(second, "Next")
    assert titles(client, third_link) == everything[6:]
    assert _link(page_text(client.get(f"/cases/{third_link}")), "Next") == ""  # the last page

    back_link = _link(page_text(client.get(f"/cases/{third_link}")), "Previous")
    assert "before=" in back_link and "page=2" in back_link
    assert titles(client, back_link) == everything[3:6]
    assert _link(second, "Previous") == f"?sort={sort}"  # page 1 is the start, no anchor


def test_a_case_raised_meanwhile_does_not_repeat_a_row_on_the_next_page(world, many, login_as,
                                                                         app, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 3)
    client = login_as(world.liaison)
    first = page_text(client.get("/cases/"))
    shown_first = titles(client)
    newcomer = make_case(world.compound, world.liaison, title="新来的诉求")
    newcomer.raised_at = many[-1].raised_at + timedelta(minutes=1)  # now the newest
    db.session.commit()
    second = titles(client, _link(first, "Next"))
    assert not set(second) & set(shown_first)
    assert second == ["物业费收缴率仅20%", "高空抛物", "外来车辆乱停"]
    assert titles(client, "?page=2") == ["楼道灯_不亮", "物业费收缴率仅20%", "高空抛物"]  # offset


@pytest.mark.parametrize("anchor", ["x", "1.2.3", "-", "99999999999999999999999.1", "1." + "9" * 40])
def test_an_edited_anchor_falls_back_to_the_page_number(world, many, login_as, anchor):
    client = login_as(world.liaison)
    assert titles(client, f"?after={anchor}") == titles(client)
    assert titles(client, f"?before={anchor}&page=2") == titles(client, "?page=2")


def test_recently_changed_first(world, many, login_as):
    oldest = many[0]
    oldest.description = "又停水了"
    db.session.commit()

    assert titles(login_as(world.liaison), "?sort=updated")[0] == oldest.title


def test_list_never_counts_and_does_not_grow_with_rows(world, login_as, statements):
    # The district official sees all four compounds: each row shows a different compound's name.
    client = login_as(world.district_official)
    compound_ids = [c.id for c in (world.compound, world.mc_compound, world.neighbour_compound,
                                   world.far_compound)]
    # …and each row was raised by someone else, so per-row loading of people would show too.
    raiser_ids = [u.id for u in (world.admin, world.liaison, world.liaison_out, world.official,
                                 world.owners_member)]

    def queries_for_a_page_with(rows: int) -> list[str]:
        while (shown_rows := len(titles(client))) < rows:
            make_case(db.session.get(Compound, compound_ids[shown_rows % 4]),
                      db.session.get(User, raiser_ids[shown_rows]))
        db.session.expunge_all()  # the page must load what it shows by itself
        statements.clear()
        assert len(titles(client)) == rows
        return list(statements)

    one, five = queries_for_a_page_with(1), queries_for_a_page_with(5)

    # (The unread badge counts at most a hundred of the person's own notifications.)
    assert not [s for s in one + five if "count(" in s.lower() and "notifications" not in s]
    assert len(five) == len(one), "\n\n".join(five)
