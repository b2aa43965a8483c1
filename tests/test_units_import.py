"""Importing a compound's units from the property register (CSV): all lines or none."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import shown
from tests.factories import row_counts
from tracker.extensions import db
from tracker.places.importing import UnitImportError
from tracker.places.models import Unit
from tracker.places.operations import import_units

GOOD = ("building,number,owner_name,area,owner_ref,developer_unsold\r\n"
        "1栋,101,刘小华,89.5,,\r\n"
        "1栋,102,吕娟,120.25,440100197001010011,\r\n"
        "2栋,201,开发商,76,,是\r\n")


def units(compound) -> list[tuple]:
    return [(u.building, u.number, u.owner_name, u.owner_ref, u.area, u.developer_unsold)
            for u in db.session.scalars(select(Unit).where(Unit.compound_id == compound.id)
                                        .order_by(Unit.building, Unit.number))]


EXPECTED = [("1栋", "101", "刘小华", "刘小华", Decimal("89.50"), False),
            ("1栋", "102", "吕娟", "440100197001010011", Decimal("120.25"), False),
            ("2栋", "201", "开发商", "开发商", Decimal("76.00"), True)]


@pytest.mark.parametrize("encoded", [
    GOOD.encode("utf-8"), b"\xef\xbb\xbf" + GOOD.encode("utf-8"), GOOD.encode("gb18030")],
    ids=["UTF-8", "UTF-8 with BOM (Excel)", "GB18030 (Excel on Chinese Windows)"])
def test_good_file(world, encoded):
    assert import_units(world.compound, encoded) == 3
    db.session.commit()

    assert units(world.compound) == EXPECTED


def test_good_file_through_the_command(app, world, tmp_path):
    path = tmp_path / "德富花园.csv"
    path.write_bytes(GOOD.encode("gb18030"))

    result = app.test_cli_runner().invoke(args=["units", "import", "DFHY", str(path)])

    assert result.exit_code == 0, result.output
    assert "imported 3 unit(s) into 德富花园" in result.output
    assert units(world.compound) == EXPECTED


# Line numbers count the header as line 1 and blank lines too, as an editor shows them.
BAD = ("building,number,owner_name,area\n"
       "1栋,101,刘小华,89.5\n"                       # 2 fine
       "1栋,102,,60\n"                              # 3 no owner
       "\n"                                         # 4 blank: skipped, but counted
       "1栋,103,王丽,-3\n"                           # 5 negative area
       "1栋,104,陈国强,abc\n"                        # 6 not a number
       ",105,赵强,50\n"                              # 7 no building
       "1栋,101,刘小华,89.5\n"                       # 8 the same unit as line 2
       f"{'楼' * 33},1,周敏,50\n"                    # 9 building too long
       "1栋,106,李宝红,NaN\n"                        # 10 not a finite number
       "1栋,107,胡绍移,0\n"                          # 11 zero area
       "1栋,108,王丽,0.004\n"                        # 12 finer than the register's 0.01 m²
       "1栋,109,王丽,99999999.999\n")                # 13 the same



def bad_area(value: str) -> str:
    return shown("area %(value)s is not a positive number of m²", value=repr(value))


def bad_lines() -> list[tuple[int, str]]:
    """What BAD's lines are refused for, in the language of the run."""
    return [
        (3, shown("owner_name is required")),
        (5, bad_area("-3")),
        (6, bad_area("abc")),
        (7, shown("building and number are required")),
        (8, shown("unit %(unit)s already exists", unit="1栋-101")),
        (9, shown("%(column)s is longer than %(n)d characters", column="building", n=32)),
        (10, bad_area("NaN")),
        (11, bad_area("0")),
        (12, shown("area %(value)s has more than two decimals", value=repr("0.004"))),
        (13, shown("area %(value)s has more than two decimals", value=repr("99999999.999"))),
    ]


def test_every_bad_line_is_reported_and_nothing_imported(world):
    before = row_counts()

    with pytest.raises(UnitImportError) as refused:
        import_units(world.compound, BAD.encode())

    assert refused.value.errors == bad_lines()
    assert row_counts() == before
    assert world.compound.units == []  # not even in memory: line 2 was good
    assert not [o for o in db.session.new if isinstance(o, Unit)]


def test_bad_lines_through_the_command(app, world, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(BAD.encode())

    result = app.test_cli_runner().invoke(args=["units", "import", "DFHY", str(path)])

    assert result.exit_code == 1
    for line, message in bad_lines():
        assert f"line {line}: {message}" in result.output
    assert "10 bad line(s); nothing was imported" in result.output
    assert units(world.compound) == []


def test_unit_already_in_the_register(world):
    import_units(world.compound, GOOD.encode())
    db.session.commit()

    with pytest.raises(UnitImportError) as refused:
        import_units(world.compound, "building,number,owner_name,area\n"
                                     "3栋,301,新业主,88\n1栋,102,吕娟,120.25\n".encode())

    assert refused.value.errors == [(3, shown("unit %(unit)s already exists", unit="1栋-102"))]
    # The session goes on as if the file had never been read (3栋 301 was a good line).
    assert len(units(world.compound)) == 3
    db.session.commit()
    assert row_counts()["units"] == 3


def test_same_unit_number_in_another_compound_is_fine(world):
    import_units(world.compound, GOOD.encode())

    assert import_units(world.mc_compound, GOOD.encode()) == 3


@pytest.mark.parametrize(("content", "message", "variables"), [
    ("building,number,area\n1栋,101,80\n".encode(), "Missing column(s): %(columns)s",
     {"columns": "owner_name"}),
    (b"", "Missing column(s): %(columns)s", {"columns": "building, number, owner_name, area"}),
    ("building,number,owner_name,area\n1,1,x,1\n".encode("utf-16"),
     "The file is neither UTF-8 nor GB18030 text.", {}),
], ids=["missing column", "empty file", "UTF-16"])
def test_unreadable_file(world, content, message, variables):
    with pytest.raises(UnitImportError) as refused:
        import_units(world.compound, content)

    assert refused.value.errors == [(1, shown(message, **variables))]
    assert row_counts()["units"] == 0


def test_unknown_compound_code(app, world, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(GOOD.encode())

    result = app.test_cli_runner().invoke(args=["units", "import", "NOPE", str(path)])

    assert result.exit_code == 1
    assert "no compound with code 'NOPE'" in result.output
    assert row_counts()["units"] == 0


NAMESAKES = ("building,number,owner_name,area,owner_ref\n"
             "1栋,101,王伟,80.00,\n"
             "1栋,102,王伟,90.00,\n")


def namesake(name: str) -> str:
    return shown("%(name)s is the name of the owner of another unit too: give owner_ref, the "
                 "owner's reference in the register (such as the last digits of the property "
                 "certificate or ID number) — the same one for the same person, so namesakes "
                 "are not counted as one owner", name=name)


def test_two_units_under_one_name_without_a_reference_are_refused(world):
    # Two owners called 王伟 would become one owner with both areas and one vote.
    with pytest.raises(UnitImportError) as refused:
        import_units(world.compound, NAMESAKES.encode())
    assert refused.value.errors == [(2, namesake("王伟")), (3, namesake("王伟"))]
    assert world.compound.units == []


def test_namesakes_with_references_are_two_owners_and_one_owner_keeps_one_reference(world):
    csv = ("building,number,owner_name,area,owner_ref\n"
           "1栋,101,王伟,80.00,0011\n"
           "1栋,102,王伟,90.00,0022\n"
           "2栋,201,王伟,70.00,0011\n")   # 0011 owns two units: one owner, one vote
    assert import_units(world.compound, csv.encode()) == 3
    db.session.commit()
    assert sorted(u.owner_ref for u in world.compound.units) == ["0011", "0011", "0022"]


def test_a_name_already_in_the_register_needs_a_reference(world):
    import_units(world.compound, "building,number,owner_name,area\n1栋,101,王伟,80.00\n".encode())
    db.session.commit()
    with pytest.raises(UnitImportError) as refused:
        import_units(world.compound,
                     "building,number,owner_name,area\n1栋,102,王伟,90.00\n".encode())
    assert refused.value.errors == [(2, namesake("王伟"))]
