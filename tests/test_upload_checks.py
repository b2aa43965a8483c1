"""Uploads: the type is decided by the content, sizes are limited, a decompression
bomb is refused with a clear message before anything is written, and photos come back re-encoded
without their metadata — through the pages and through the API alike.

The page side of type, size and GPS is in test_bad_input.py and test_cases_raise.py; this file adds
the bomb a phone would never send (30000 × 30000 pixels in a few hundred bytes) and the API side.
"""
import io

import pytest
from PIL import Image

from tests.conftest import field_errors, page_text, shown
from tests.factories import jpeg_with_gps, make_case, row_counts
from tests.fuzz_support import bomb_png
from tests.helpers.images import noise_jpeg
from tracker.core.images import ImageRejected, clean_image

BOMB = "%(name)s is too large a picture: at most %(n)d megapixels."


def test_the_bomb_is_small_and_claims_900_megapixels():
    data = bomb_png()
    assert len(data) < 200
    with pytest.raises(Image.DecompressionBombError, match="900000000 pixels"):
        Image.open(io.BytesIO(data))


def test_the_bomb_is_refused_before_decoding():
    with pytest.raises(ImageRejected) as refused:
        clean_image(bomb_png(), 10**6)
    assert refused.value.reason == "pixels"


def test_the_raise_form_refuses_the_bomb_and_writes_nothing(world, login_as):
    before = row_counts()

    response = login_as(world.liaison).post("/cases/new", data={
        "compound": str(world.compound.id), "title": "停车难", "category": "parking",
        "source": "walk_in", "description": "车位不够。",
        "photos": [(io.BytesIO(bomb_png()), "bomb.png")]})

    assert response.status_code == 200
    assert field_errors(page_text(response)) == {"photos-error": [shown(BOMB, name="bomb.png",
                                                                       n=40)]} \
        or field_errors(page_text(response)) == {"photos": [shown(BOMB, name="bomb.png", n=40)]}
    assert row_counts() == before


def _api_photos(client, headers, case, data: bytes, name: str):
    return client.post(f"/api/v1/cases/{case.id}/photos", headers=headers,
                       data={"photos": [(io.BytesIO(data), name)]},
                       content_type="multipart/form-data")


def test_the_api_refuses_the_bomb_with_a_clear_message(world, client, bearer):
    case = make_case(world.compound, world.liaison)
    headers = bearer(world.liaison)  # creating the token is audited
    before = row_counts()

    response = _api_photos(client, headers, case, bomb_png(), "bomb.png")

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == [
        {"parameter": "photos", "detail": shown(BOMB, name="bomb.png", n=40)}]
    assert row_counts() == before


@pytest.mark.parametrize(("data", "name"), [
    (b"<!doctype html><html><script>alert(1)</script></html>", "photo.jpg"),
    (b"GIF89a" + b"\x00" * 40, "photo.jpg"),
    (b"%PDF-1.4\n%%EOF\n", "photo.png"),
], ids=["html", "gif header", "pdf"])
def test_the_api_judges_the_type_by_content_not_name(world, client, bearer, data, name):
    case = make_case(world.compound, world.liaison)
    headers = bearer(world.liaison)  # creating the token is audited
    before = row_counts()

    response = _api_photos(client, headers, case, data, name)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert row_counts() == before


def test_the_api_refuses_a_photo_over_the_size_limit(world, client, bearer):
    case = make_case(world.compound, world.liaison)
    headers = bearer(world.liaison)  # creating the token is audited
    before = row_counts()

    response = _api_photos(client, headers, case, noise_jpeg(), "big.jpg")

    assert response.status_code == 422
    assert row_counts() == before


def test_the_api_strips_gps_from_photos(world, client, bearer):
    case = make_case(world.compound, world.liaison)
    headers = bearer(world.liaison)

    response = _api_photos(client, headers, case, jpeg_with_gps(), "IMG_0001.jpg")

    assert response.status_code == 200, response.get_json()
    [photo] = response.get_json()["photos"]
    served = client.get(f"/cases/{case.id}/photos/{photo['id']}", headers=headers)
    client_page = served.data if served.status_code == 200 else None
    from sqlalchemy import select

    from tracker.cases.models import CasePhoto
    from tracker.extensions import db
    stored = db.session.scalar(select(CasePhoto.data).where(CasePhoto.id == photo["id"]))
    for data in filter(None, (stored, client_page)):
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {}
        assert b"Exif" not in data and b"PhoneMaker" not in data
