"""Bad input gets a clear message, writes nothing, keeps what was typed — and is never a 500."""
import io

import pytest
from PIL import Image

from tests.conftest import field_errors, input_value, page_text, shown
from tests.factories import image_bytes, make_case, row_counts, set_state
from tests.helpers.images import noise_jpeg
from tracker.cases.models import CaseState
from tracker.extensions import db
from tracker.places.importing import UnitImportError
from tracker.places.operations import import_units

TITLE = "外来车辆乱停，消防通道被堵"
DESCRIPTION = "晚上八点以后小区里停满外来车辆。"
CHANGED = "This case was changed by someone else in the meantime. " \
          "Please look at its current state and try again."
CSRF = "The form's security token is missing or invalid. Go back, reload the page and submit " \
       "again; what you typed may need to be entered again."


def huge_png() -> bytes:
    """A small file that decodes to 48 megapixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    return out.getvalue()


def form(place, **changes):
    """The raise form's fields; ``photos`` as [(bytes, file name)], opened afresh each call."""
    values = {"compound": str(place.id), "title": TITLE, "category": "parking",
              "source": "hotline_12345", "description": DESCRIPTION}
    values.update(changes)
    if "photos" in values:
        values["photos"] = [(io.BytesIO(data), name) for data, name in values["photos"]]
    return values


def photo(data: bytes, name: str):
    return {"photos": [(data, name)]}


# (what is wrong, form changes, field, message, message variables)
RAISE_REFUSALS = [
    ("empty title", {"title": ""}, "title", "Please give the case a title.", {}),
    ("blank title", {"title": "   "}, "title", "Please give the case a title.", {}),
    ("title of 121 characters", {"title": "停" * 121}, "title",
     "The title may have at most %(n)d characters.", {"n": 120}),
    ("no description", {"description": ""}, "description", "Please describe the problem.", {}),
    ("description of 5001 characters", {"description": "长" * 5001}, "description",
     "The description may have at most %(n)d characters.", {"n": 5000}),
    ("no category", {"category": ""}, "category", "Please choose a category.", {}),
    ("unknown category", {"category": "fireworks"}, "category", None, {}),
    ("unknown source", {"source": "rumour"}, "source", None, {}),
    ("compound out of scope", {"compound": "far"}, "compound", None, {}),
    ("resident phone with letters", {"resident_name": "刘小华", "resident_phone": "call me"},
     "resident_phone", "Please enter a valid phone number.", {}),
    ("text file named .jpg", photo(b"just some notes\n" * 20, "notes.jpg"), "photos",
     "%(name)s is not a JPEG, PNG or WebP photo.", {"name": "notes.jpg"}),
    ("half a JPEG", photo(image_bytes()[:200], "cut.jpg"), "photos",
     "%(name)s is not a JPEG, PNG or WebP photo.", {"name": "cut.jpg"}),
    ("GIF", photo(image_bytes("GIF"), "anim.gif"), "photos",
     "%(name)s is not a JPEG, PNG or WebP photo.", {"name": "anim.gif"}),
    ("48 megapixels", photo(huge_png(), "bomb.png"), "photos",
     "%(name)s is too large a picture: at most %(n)d megapixels.", {"name": "bomb.png", "n": 40}),
    ("photo over 200 KB", photo(noise_jpeg(), "big.jpg"), "photos",
     "%(name)s is larger than %(mb)d MB.", {"name": "big.jpg", "mb": 200 * 1024 // 1048576}),
    ("seven photos", {"photos": [(image_bytes(), f"{i}.jpg") for i in range(7)]},
     "photos", "At most %(n)d photos at a time.", {"n": 6}),
]


@pytest.mark.parametrize(("changes", "field", "message", "variables"),
                         [r[1:] for r in RAISE_REFUSALS], ids=[r[0] for r in RAISE_REFUSALS])
def test_raise_form_refuses(world, login_as, changes, field, message, variables):
    if changes.get("compound") == "far":
        changes = dict(changes, compound=str(world.far_compound.id))
    before = row_counts()

    response = login_as(world.liaison).post("/cases/new", data=form(world.compound, **changes))

    assert response.status_code == 200
    page = page_text(response)
    errors = field_errors(page)
    assert list(errors) == [field]  # next to the field at fault, and only there
    if message is not None:
        assert errors[field] == [shown(message, **variables)]
    assert row_counts() == before
    # What was typed is still there to correct.
    if field != "title":
        assert input_value(page, "title") == TITLE
    else:
        assert input_value(page, "title") == changes["title"]
    if field != "description":
        assert input_value(page, "description") == DESCRIPTION


def test_request_over_the_size_limit(app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 150 * 1024)
    before = row_counts()

    response = login_as(world.liaison).post("/cases/new", data=form(
        world.compound, **photo(noise_jpeg(), "big.jpg")))

    assert response.status_code == 413
    page = page_text(response)
    assert shown("Upload too large") in page
    assert shown("The files sent are larger than allowed. Choose fewer or smaller photos.") in page
    assert row_counts() == before


@pytest.mark.parametrize("token", ["", "forged"], ids=["missing", "forged"])
@pytest.mark.parametrize("where", ["raise", "edit", "withdraw", "photos", "login", "logout"])
def test_csrf_token_missing_or_forged(world, client, login_as, token, where):
    case = make_case(world.compound, world.liaison)
    if where != "login":
        login_as(world.liaison)
    url, data = {
        "raise": ("/cases/new", form(world.compound)),
        "edit": (f"/cases/{case.id}/edit", form(world.compound, version="1")),
        "withdraw": (f"/cases/{case.id}/actions/withdraw", {"reason": "重复", "version": "1"}),
        "photos": (f"/cases/{case.id}/photos", {"photos": (io.BytesIO(image_bytes()), "p.jpg")}),
        "login": ("/login", {"login": "liaison", "password": "correct horse 1"}),
        "logout": ("/logout", {}),
    }[where]
    before = row_counts()

    response = client.post(url, data={**data, "csrf_token": token})

    assert response.status_code == 400
    assert shown(CSRF) in page_text(response)
    assert row_counts() == before
    assert (client.get("/cases/").status_code == 200) is (where != "login")


def test_stale_version_on_edit(world, login_as):
    case = make_case(world.compound, world.liaison)
    seen = case.version
    case.description = "物业已到场查看。"  # someone saved meanwhile: the version moved on
    db.session.commit()
    before = row_counts()

    response = login_as(world.liaison).post(f"/cases/{case.id}/edit", data=form(
        world.compound, title="我的修改", version=str(seen)))

    page = page_text(response)
    assert response.status_code == 409
    assert shown(CHANGED) in page
    assert input_value(page, "title") == "我的修改"
    assert row_counts() == before


@pytest.mark.parametrize("version", ["1", "-1", "abc"], ids=["old", "negative", "text"])
def test_stale_or_forged_version_on_withdraw(world, login_as, version):
    case = set_state(make_case(world.compound, world.liaison), CaseState.meeting)
    before = row_counts()

    response = login_as(world.liaison).post(f"/cases/{case.id}/actions/withdraw",
                                            data={"reason": "重复立案", "version": version})

    page = page_text(response)
    assert response.status_code == 409
    assert shown(CHANGED) in page
    assert input_value(page, "reason") == "重复立案"
    assert row_counts() == before


def test_add_photos_refuses_a_text_file(world, login_as):
    case = make_case(world.compound, world.liaison)
    before = row_counts()

    response = login_as(world.liaison).post(f"/cases/{case.id}/photos", data={
        "photos": (io.BytesIO(b"%PDF-1.4 not a photo"), "scan.jpg")})

    assert response.status_code == 400
    assert shown("%(name)s is not a JPEG, PNG or WebP photo.", name="scan.jpg") \
        in page_text(response)
    assert row_counts() == before


def test_add_photos_without_a_photo(world, login_as):
    case = make_case(world.compound, world.liaison)

    response = login_as(world.liaison).post(f"/cases/{case.id}/photos", data={})

    assert response.status_code == 400
    assert shown("Please choose at least one photo.") in page_text(response)


BAD_CSV = "building,number,owner_name,area\n1,101,张三,89.5\n1,102,李四,很大\n".encode()


def bad_area_message() -> str:
    return shown("area %(value)s is not a positive number of m²", value=repr("很大"))


def test_csv_with_a_bad_line_imports_nothing(world):
    before = row_counts()

    with pytest.raises(UnitImportError) as refused:
        import_units(world.compound, BAD_CSV)

    assert refused.value.errors == [(3, bad_area_message())]
    assert row_counts() == before


def test_csv_with_a_bad_line_through_the_command(app, world, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(BAD_CSV)
    before = row_counts()

    result = app.test_cli_runner().invoke(args=["units", "import", "DFHY", str(path)])

    assert result.exit_code == 1
    assert f"line 3: {bad_area_message()}" in result.output
    assert "1 bad line(s); nothing was imported" in result.output
    assert row_counts() == before


@pytest.mark.parametrize("url", [
    "/cases/2147483648", "/cases/99999999999999999999", "/cases/9223372036854775808/edit",
    "/cases/{case}/photos/99999999999999999999", "/cases/99999999999999999999/actions/withdraw",
], ids=["just over 32 bits", "20 digits", "edit", "photo", "withdraw"])
def test_huge_number_in_the_address_is_not_found(world, login_as, url):
    case = make_case(world.compound, world.liaison)

    response = login_as(world.liaison).get(url.format(case=case.id))

    assert response.status_code == 404
    assert shown("The page does not exist, or it is outside your area of work.") \
        in page_text(response)


def test_page_far_beyond_the_last(world, login_as):
    make_case(world.compound, world.liaison)

    response = login_as(world.liaison).get("/cases/?page=99999999999999999999&state=raised")

    assert response.status_code == 200
    assert shown("No cases match these filters.") in page_text(response)


@pytest.mark.parametrize("url", ["/meetings/", "/minutes-register/", "/notifications/"])
def test_other_lists_far_beyond_the_last_page(world, login_as, url):
    response = login_as(world.liaison).get(url + "?page=99999999999999999999999")

    assert response.status_code == 200


@pytest.mark.parametrize("where", ["raise", "search", "login"])
def test_nul_character_is_a_bad_request(world, client, login_as, where):
    """PostgreSQL cannot store NUL in text; nobody types one, so such a request is malformed."""
    if where != "login":
        login_as(world.liaison)
    before = row_counts()

    response = {
        "raise": lambda: client.post("/cases/new", data=form(world.compound, title="水泵\x00")),
        "search": lambda: client.get("/cases/?q=%00"),
        "login": lambda: client.post("/login", data={"login": "liaison\x00", "password": "x"}),
    }[where]()

    assert response.status_code == 400
    assert shown("The request could not be understood.") in page_text(response)
    assert row_counts() == before
