"""Exports are files to save, sent with one Content-Type: a CSV names its charset once."""
import pytest


@pytest.mark.parametrize("url", ["/oversight/cases.csv", "/oversight/table.csv",
                                 "/minutes-register/export.csv"])
def test_a_csv_says_its_charset_once(client, login_as, world, url):
    login_as(world.official)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
