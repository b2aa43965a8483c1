"""Raising a case: the form, photos (metadata removed), case numbers and the timeline."""
import io
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select

from tests.conftest import input_value, page_text, shown
from tests.factories import image_bytes, jpeg_with_gps, make_case
from tests.helpers.cases import newest_case, raise_form
from tracker.cases import operations
from tracker.cases.models import CasePhoto, CaseState
from tracker.cases.workflow import Action
from tracker.core.labels import label
from tracker.extensions import db

GPS_IFD = 0x8825


def test_raise_a_case(world, login_as):
    client = login_as(world.liaison)

    response = client.post("/cases/new", data=raise_form(
        world.compound, resident_name="刘小华", resident_phone="13800000001"))

    case = newest_case()
    assert response.status_code == 302
    assert response.location == f"/cases/{case.id}"
    page = page_text(client.get(response.location))
    assert shown("Case %(number)s has been raised.", number=case.number) in page
    for text in ("中心花园杂草丛生", "花园两年没有修剪，蚊虫多。", "德富花园（横堤社区）", "刘小华",
                 "13800000001", world.liaison.name,
                 f'<span class="badge state-raised">{shown(label(CaseState.raised))}</span>'):
        assert text in page
    assert (case.state, case.raised_by_id, case.compound_id) == \
        (CaseState.raised, world.liaison.id, world.compound.id)


def test_form_offers_only_the_compounds_one_may_raise_in(world, login_as):
    liaison_page = page_text(login_as(world.liaison).get("/cases/new"))
    options = re.findall(r'<option[^>]*value="(\d+)"', liaison_page)
    assert sorted(options) == sorted([str(world.compound.id), str(world.mc_compound.id)])

    # One compound only: it is chosen already.
    member_page = page_text(login_as(world.owners_member).get("/cases/new"))
    assert re.findall(r'<option[^>]*value="(\d+)"', member_page) == [str(world.compound.id)]
    assert f'<option selected value="{world.compound.id}">' in member_page


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_raise_with_a_photo(world, login_as, fmt):
    client = login_as(world.owners_member)
    name = f"garden.{fmt.lower()}"

    response = client.post("/cases/new", data=raise_form(
        world.compound, photos=[(io.BytesIO(image_bytes(fmt)), name)]))

    assert response.status_code == 302
    [photo] = newest_case().photos
    assert (photo.filename, photo.content_type) == (name, f"image/{fmt.lower()}")
    served = client.get(f"/cases/{photo.case_id}/photos/{photo.id}")
    assert served.status_code == 200
    assert served.mimetype == f"image/{fmt.lower()}"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(served.data)).format == fmt


def test_several_photos_at_once(world, login_as):
    client = login_as(world.owners_member)
    photos = [(io.BytesIO(image_bytes(fmt)), f"p{i}.{fmt.lower()}")
              for i, fmt in enumerate(["JPEG", "PNG", "WEBP"])]

    client.post("/cases/new", data=raise_form(world.compound, photos=photos))

    case = newest_case()
    assert [p.filename for p in case.photos] == ["p0.jpeg", "p1.png", "p2.webp"]
    assert page_text(client.get(f"/cases/{case.id}")).count("<img ") == 3


def test_gps_position_is_removed_from_photos(world, login_as):
    raw = jpeg_with_gps(size=(64, 48))
    assert dict(Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD))  # the test photo has it
    client = login_as(world.owners_member)

    client.post("/cases/new", data=raise_form(
        world.compound, photos=[(io.BytesIO(raw), "IMG_0001.jpg")]))

    [photo] = newest_case().photos
    served = client.get(f"/cases/{photo.case_id}/photos/{photo.id}").data
    for data in (served, db.session.scalar(select(CasePhoto.data))):
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert b"Exif" not in data and b"PhoneMaker" not in data
        assert image.size == (48, 64)  # turned upright before the orientation tag was dropped


def test_case_numbers_count_per_compound(world):
    first = make_case(world.compound, world.liaison)
    second = make_case(world.compound, world.liaison)
    other = make_case(world.mc_compound, world.liaison)

    year = first.raised_at.astimezone(ZoneInfo("Asia/Shanghai")).year
    assert [first.number, second.number, other.number] == \
        [f"DFHY-{year}-001", f"DFHY-{year}-002", f"YD-{year}-001"]
    for case in (first, second, other):
        assert re.fullmatch(r"[A-Z]+-\d{4}-\d{3}", case.number)


def test_case_numbers_start_again_each_year_in_beijing_time(world, monkeypatch):
    def at(moment):
        monkeypatch.setattr(operations, "utcnow", lambda: moment)

    at(datetime(2025, 12, 31, 15, 59, tzinfo=timezone.utc))   # 23:59 on 31 December in Wuhan
    late = make_case(world.compound, world.liaison)
    at(datetime(2025, 12, 31, 16, 1, tzinfo=timezone.utc))    # 00:01 on 1 January in Wuhan
    new_year = make_case(world.compound, world.liaison)
    again = make_case(world.compound, world.liaison)

    assert [late.number, new_year.number, again.number] == \
        ["DFHY-2025-001", "DFHY-2026-001", "DFHY-2026-002"]


def test_a_taken_number_is_skipped(world, monkeypatch):
    """Two people raising at the same moment read the same highest number; the second one
    takes the next free number instead of failing."""
    make_case(world.compound, world.liaison)
    calls = iter([1, 2])
    monkeypatch.setattr(operations, "_next_seq", lambda compound_id, year: next(calls))

    case = make_case(world.compound, world.liaison)

    assert case.number.endswith("-002")


def test_timeline_shows_every_event(world, login_as):
    case = make_case(world.compound, world.owners_member)
    client = login_as(world.liaison)
    client.post(f"/cases/{case.id}/edit", data={
        "title": "水泵老化", "category": "water_supply", "source": "evening_forum",
        "description": case.description, "version": str(case.version)})
    client.post(f"/cases/{case.id}/photos", data={"photos": (io.BytesIO(image_bytes()), "p.jpg")})
    db.session.refresh(case)
    client.post(f"/cases/{case.id}/actions/withdraw",
                data={"reason": "已由物业修好", "version": str(case.version)})

    page = page_text(client.get(f"/cases/{case.id}"))

    timeline = page[page.index('<ol class="timeline">'):]
    entries = re.findall(r"<li>(.*?)</li>", timeline, re.S)
    assert len(entries) == 4
    expected = [(world.owners_member.name, shown("raised the case")),
                (world.liaison.name, shown("edited the details")),
                (world.liaison.name, shown("added photos")),
                (world.liaison.name, shown(label(Action.withdraw)))]
    for entry, (who, what) in zip(entries, expected):
        assert f"<strong>{who}</strong>" in entry and what in entry
    assert f"— → {shown(label(CaseState.raised))}" in entries[0]
    assert f"{shown(label(CaseState.raised))} → {shown(label(CaseState.withdrawn))}" in entries[3]
    assert "已由物业修好" in entries[3]
    assert re.search(r"<time>\d{4}-\d\d-\d\d \d\d:\d\d</time>", entries[0])


def test_raise_form_keeps_a_resident_phone_without_name_and_says_why(world, login_as):
    response = login_as(world.liaison).post("/cases/new", data=raise_form(
        world.compound, resident_phone="13800000001"))

    page = page_text(response)
    assert response.status_code == 200
    assert shown("Give the resident's name as well.") in page
    assert input_value(page, "resident_phone") == "13800000001"
    assert newest_case() is None
