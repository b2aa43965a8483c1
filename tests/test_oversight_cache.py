"""The dashboard keeps its figures a few minutes for every worker, per area, and says since
when; older figures are still shown at once while fresh ones are computed behind the page."""
import re
from datetime import timedelta

import pytest
import time_machine

from tests.factories import make_case
from tracker.core.time import utcnow
from tracker.oversight import views


def _open_cases(html: str) -> int:
    return int(re.search(r'<span class="figure">(\d+)</span>', html).group(1))


@pytest.fixture
def clock(app, monkeypatch):
    """Figures cached 300 s, on a clock the test moves (``clock.shift(seconds)``)."""
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 300)
    with time_machine.travel(utcnow(), tick=False) as traveller:
        yield traveller


def test_figures_are_kept_for_the_configured_time_then_recomputed(world, login_as, clock):
    make_case(world.compound, world.liaison)
    client = login_as(world.official)
    assert _open_cases(client.get("/oversight/").get_data(as_text=True)) == 1

    make_case(world.compound, world.liaison, title="楼道灯不亮")
    clock.shift(timedelta(seconds=299))
    html = client.get("/oversight/").get_data(as_text=True)
    assert _open_cases(html) == 1  # still the cached figures …
    assert re.search(r"\d\d:\d\d", html.split('class="muted">')[1])  # … and their time shown

    clock.shift(timedelta(seconds=2))  # now older than 300 s: served at once, refreshed behind the page
    assert _open_cases(client.get("/oversight/").get_data(as_text=True)) == 1
    views._figures.wait()
    assert _open_cases(client.get("/oversight/").get_data(as_text=True)) == 2


def test_each_area_has_its_own_figures(world, login_as, clock):
    make_case(world.compound, world.liaison)
    make_case(world.far_compound, world.admin)
    make_case(world.far_compound, world.admin, title="电梯停运")
    assert _open_cases(login_as(world.official).get("/oversight/").get_data(as_text=True)) == 1
    assert _open_cases(login_as(world.official_out).get("/oversight/")
                       .get_data(as_text=True)) == 2
    assert _open_cases(login_as(world.district_official).get("/oversight/")
                       .get_data(as_text=True)) == 3


def test_turned_off_every_view_counts_afresh(world, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 0)
    client = login_as(world.official)
    make_case(world.compound, world.liaison)
    assert _open_cases(client.get("/oversight/").get_data(as_text=True)) == 1
    make_case(world.compound, world.liaison, title="楼道灯不亮")
    assert _open_cases(client.get("/oversight/").get_data(as_text=True)) == 2
