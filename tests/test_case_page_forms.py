"""The case page's forms: each page shows its own person's, language's and compound's fields,
never another's."""
import re

from tracker.extensions import db
from tracker.followup import operations
from tracker.places.models import PartyKind

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _page(client, case) -> str:
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _menu(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_each_session_gets_its_own_token_in_the_kept_forms(case_in_follow_up, world, app,
                                                          login_as):
    [task] = operations.tasks_of(case_in_follow_up)
    mine = login_as(world.liaison)
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = world.property_rep.get_id()
    my_tokens = set(TOKEN.findall(_page(mine, case_in_follow_up)))
    other_tokens = set(TOKEN.findall(_page(other, case_in_follow_up)))
    assert len(my_tokens) == 1 and len(other_tokens) == 1 and my_tokens != other_tokens
    url = f"/followup/tasks/{task.id}/progress"
    # The other session's token is refused in mine; my own page's token is taken.
    refused = mine.post(url, data={"note": "x", "progress": "10",
                                   "csrf_token": other_tokens.pop()})
    assert refused.status_code == 400 and not operations.tasks_of(case_in_follow_up)[0].reports
    taken = mine.post(url, data={"note": "已开工", "progress": "10",
                                 "csrf_token": my_tokens.pop()})
    assert taken.status_code == 302
    assert [r.note for r in operations.tasks_of(case_in_follow_up)[0].reports] == ["已开工"]


def test_the_task_menu_lists_each_compounds_own_parties_by_their_current_names(
        case_in_follow_up, world, login_as):
    client = login_as(world.liaison)
    parties = _menu(_page(client, case_in_follow_up), "responsible_party")
    assert parties[1:] == [p.name for p in world.compound.parties]
    world.compound.party_of(PartyKind.property_company).name = "新物业公司"
    db.session.commit()
    assert "新物业公司" in _menu(_page(client, case_in_follow_up), "responsible_party")


def test_the_kept_forms_speak_the_persons_language(case_in_follow_up, world, login_as):
    client = login_as(world.liaison)
    assert "进展说明" in _page(client, case_in_follow_up)
    client.post("/language/en", data={"next": "/"})
    page = _page(client, case_in_follow_up)
    assert "Progress note" in page and "进展说明" not in page
    assert _menu(page, "tier")[0] == "— a date below —"


def test_each_task_has_its_own_report_form_and_only_for_its_party(case_in_follow_up, world,
                                                                 login_as):
    case = case_in_follow_up
    [pump] = operations.tasks_of(case)
    gate = operations.create_task(case, world.liaison, description="修门禁",
                                  responsible_party=world.compound.party_of(
                                      PartyKind.owners_committee), tier="general")
    db.session.commit()
    liaison_page = _page(login_as(world.liaison), case)
    assert f'id="note-{pump.id}"' in liaison_page and f'id="note-{gate.id}"' in liaison_page
    assert f'<label for="note-{gate.id}">' in liaison_page
    property_page = _page(login_as(world.property_rep), case)
    assert f"/followup/tasks/{pump.id}/progress" in property_page
    assert f"/followup/tasks/{gate.id}/progress" not in property_page
    operations.report_progress(pump, world.property_rep, note="完成", progress=100)
    db.session.commit()
    assert f"/followup/tasks/{pump.id}/progress" not in _page(login_as(world.property_rep), case)


def test_a_refused_report_shows_what_was_typed_in_the_form(case_in_follow_up, world,
                                                         login_as):
    [task] = operations.tasks_of(case_in_follow_up)
    client = login_as(world.property_rep)
    response = client.post(f"/followup/tasks/{task.id}/progress",
                           data={"note": "水泵<已到货>", "progress": "120"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "水泵&lt;已到货&gt;</textarea>" in page and 'value="120"' in page
    # …and the next plain visit shows the form empty again.
    assert "水泵&lt;已到货&gt;" not in _page(client, case_in_follow_up)
