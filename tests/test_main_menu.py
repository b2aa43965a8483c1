"""The logged-in menu: each person gets exactly their own entries, name and unread badge."""
import re

from tracker.extensions import db
from tracker.notifications.operations import notify


def _menu(client) -> str:
    page = client.get("/cases/").get_data(as_text=True)
    return re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)


def test_each_person_gets_their_own_entries_and_badge(world, login_as):
    official = _menu(login_as(world.official))
    assert "/oversight/" in official and "/admin/" not in official
    member = _menu(login_as(world.owners_member))  # drawn after the official's was kept
    assert "/oversight/" not in member and "/admin/" not in member
    assert 'class="count"' not in member
    assert "/admin/" in _menu(login_as(world.admin))

    notify([world.owners_member], "test:1", "一条提醒")
    db.session.commit()
    assert '<span class="count">1</span>' in _menu(login_as(world.owners_member))
    notify([world.owners_member], "test:2", "另一条提醒")
    db.session.commit()
    assert '<span class="count">2</span>' in _menu(login_as(world.owners_member))
    for n in range(3, 121):
        notify([world.owners_member], f"test:{n}", "提醒")
    db.session.commit()
    assert '<span class="count">99+</span>' in _menu(login_as(world.owners_member))


def test_the_menu_speaks_the_persons_language(world, login_as):
    client = login_as(world.liaison)
    assert '<a href="/cases/">议题</a>' in _menu(client)
    client.post("/language/en", data={"next": "/"})
    menu = _menu(client)
    assert '<a href="/cases/">Cases</a>' in menu and "议题" not in menu


def _top_bar(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'<header class="topbar">.*?</header>', page, re.S).group(0)


def test_each_person_gets_their_own_name_token_and_return_address(world, login_as, app):
    world.residents_member.name = '王丽<b>"'
    db.session.commit()
    member = _top_bar(login_as(world.residents_member), "/cases/?state=closed&q=<x>")
    # The same menu as the owners' member (kept once), but this person's name, escaped.
    assert "王丽&lt;b&gt;&#34;" in member and "陈国强" not in member
    assert 'name="next" value="/cases/?state=closed&amp;q=&lt;x&gt;"' in member
    other = _top_bar(login_as(world.owners_member), "/meetings/")
    assert "陈国强" in other and "王丽" not in other
    assert 'name="next" value="/meetings/?"' in other
    # The CSRF token is this session's: the language switch works with it.
    client = login_as(world.owners_member)
    token = re.search(r'name="csrf_token" value="([^"]+)"', _top_bar(client, "/cases/")).group(1)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        switched = client.post("/language/en", data={"csrf_token": token, "next": "/cases/"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert switched.status_code == 302
    assert "Log out" in _top_bar(client, "/cases/")


def test_the_login_page_has_the_language_switch_and_no_menu(client):
    bar = _top_bar(client, "/login")
    assert 'action="/language/en"' in bar
    assert "mainnav" not in bar and "/logout" not in bar
