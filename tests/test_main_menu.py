"""The logged-in menu is drawn once per language and entries (tracker.core.templating
.main_menu): each person must still get exactly their own entries and unread badge."""
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
