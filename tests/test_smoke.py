from tests.factories import make_case


def test_liaison_sees_case_list(world, login_as):
    make_case(world.compound, world.liaison)
    response = login_as(world.liaison).get("/cases/")
    assert response.status_code == 200
    assert "水泵老化" in response.get_data(as_text=True)
