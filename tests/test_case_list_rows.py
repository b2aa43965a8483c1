"""The case list's rows (templates/cases/_case_rows.html): every text from the database escaped,
each case's category and state shown by its label."""
import re
from datetime import datetime, timezone

from markupsafe import escape

from tests.factories import make_case
from tracker.cases.models import CaseCategory, CaseState
from tracker.extensions import db


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr><td data-label=.*?</tr>", html)


def test_texts_from_the_database_are_escaped_in_every_cell(world, login_as):
    hostile = """<b onmouseover="x">王'阿姨'</b> & 邻居"""
    world.compound.name = "东方<花园>&'一期'"
    db.session.commit()
    case = make_case(world.compound, world.liaison, title=hostile)
    html = login_as(world.liaison).get("/cases/").get_data(as_text=True)
    row, = [row for row in _rows(html) if f'href="/cases/{case.id}"' in row]
    assert f"<a href=\"/cases/{case.id}\">{escape(hostile)}</a>" in row
    assert f">{escape(world.compound.name)}</td>" in row
    assert "<b" not in row and "王'" not in row and 'onmouseover="' not in row
    assert "&#34;" in row and "&#39;" in row and "&amp;" in row and "&lt;" in row


def test_each_row_shows_its_own_category_and_state(world, login_as):
    water = make_case(world.compound, world.liaison)
    parking = make_case(world.compound, world.liaison, title="停车难",
                        category=CaseCategory.parking)
    parking.state = CaseState.closed
    db.session.commit()
    html = login_as(world.liaison).get("/cases/?lang=zh").get_data(as_text=True)
    shown = {case_id: row for row in _rows(html)
             for case_id in re.findall(r'href="/cases/(\d+)"', row)[:1]}
    assert "供水" in shown[str(water.id)] and "state-raised" in shown[str(water.id)]
    assert "停车" in shown[str(parking.id)] and "state-closed" in shown[str(parking.id)]
    assert "供水" not in shown[str(parking.id)]


def test_a_case_raised_late_in_the_evening_shows_the_beijing_day(world, login_as):
    # 17:30 UTC on 6 December is 01:30 on 7 December in Beijing: the liaison raised it on the 7th.
    late = make_case(world.compound, world.liaison, title="深夜报修")
    late.raised_at = datetime(2026, 12, 6, 17, 30, tzinfo=timezone.utc)
    early = make_case(world.compound, world.liaison, title="清晨报修")
    early.raised_at = datetime(2026, 12, 6, 15, 59, tzinfo=timezone.utc)  # 23:59 on the 6th
    db.session.commit()
    html = login_as(world.liaison).get("/cases/").get_data(as_text=True)
    shown = {case_id: row for row in _rows(html)
             for case_id in re.findall(r'href="/cases/(\d+)"', row)[:1]}
    assert ">2026-12-07</td>" in shown[str(late.id)]
    assert ">2026-12-06</td>" in shown[str(early.id)]
