"""The route matrix's rows for the working calendar (tests/test_route_matrix.py): everyone
logged in reads it; district officials (of any district: the arrangement is national) and
administrators change it."""
import io

from tests.matrix import TO_LOGIN

TO_YEAR = (302, r"/calendar/2027(#m\d+)?")
READ = {"anonymous": TO_LOGIN, "others": 200}
EDIT = {"anonymous": TO_LOGIN, "district_official": TO_YEAR, "district_official_out": TO_YEAR,
        "admin": TO_YEAR, "others": 403}


class Targets:
    """Nothing to build: one calendar per deployment, filled as ``db upgrade`` fills it."""

    def __init__(self, world):
        self.world = world


# (endpoint, method, url(targets), expected, data(targets))
SCENARIOS = {
    "the calendar's years": ("workcalendar.index", "GET", lambda t: "/calendar/", READ, None),
    "a year's month grid": ("workcalendar.year_page", "GET", lambda t: "/calendar/2027", READ,
                            None),
    "mark a day off": ("workcalendar.toggle_day", "POST", lambda t: "/calendar/2027/day", EDIT,
                       lambda t: {"day": "2027-02-11"}),
    "confirm the year": ("workcalendar.confirm", "POST", lambda t: "/calendar/2027/confirm",
                         EDIT, lambda t: {"notice_title": "关于2027年部分节假日安排的通知",
                                          "notice_number": "国办发明电〔2026〕7号"}),
    "import the year": ("workcalendar.import_file", "POST", lambda t: "/calendar/2027/import",
                        EDIT, lambda t: {"notice_title": "通知",
                                         "file": (io.BytesIO(b"2027-02-11,off\n"), "2027.csv")}),
}
