"""The case page reads its case as plain columns (tracker.cases.shown): the same as the ORM
case it replaced, photos in order, and nothing out of the person's sight."""
import pytest
from werkzeug.exceptions import NotFound

from tests.factories import image_bytes, make_case
from tracker.cases.shown import ShownCase, ShownPhoto, shown_case
from tracker.core.images import clean_image


def _photo(name):
    return (name, clean_image(image_bytes(), 10**6))


def test_the_shown_case_is_the_orm_case(world, app, db):
    case = make_case(world.compound, world.owners_member, resident_name="王阿姨",
                     resident_phone="13812341234",
                     photos=[_photo("first.jpg"), _photo("second.jpg")])
    with app.test_request_context():
        shown = shown_case(world.liaison, case.id)
    assert shown == ShownCase.of(case)
    assert shown.photos == [ShownPhoto(case.photos[0].id, "first.jpg"),
                            ShownPhoto(case.photos[1].id, "second.jpg")]
    assert (shown.compound_name, shown.community_name, shown.raiser_name) == (
        world.compound.name, world.community.name, world.owners_member.name)


def test_a_case_without_photos_is_one_case_with_none(world, app, db):
    case = make_case(world.compound, world.liaison)
    with app.test_request_context():
        assert shown_case(world.liaison, case.id).photos == []


def test_a_case_out_of_sight_is_not_found(world, app, db):
    case = make_case(world.far_compound, world.admin)
    with app.test_request_context():
        with pytest.raises(NotFound):
            shown_case(world.liaison, case.id)
        with pytest.raises(NotFound):
            shown_case(world.liaison, case.id + 1000)
        assert shown_case(world.admin, case.id).id == case.id


def test_the_page_shows_the_photos_and_names(world, login_as):
    case = make_case(world.compound, world.liaison, photos=[_photo("泵房.jpg")])
    html = login_as(world.liaison).get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'/cases/{case.id}/photos/{case.photos[0].id}' in html
    assert 'alt="泵房.jpg"' in html
    assert f"{world.compound.name}（{world.community.name}）" in html
    assert world.liaison.name in html
