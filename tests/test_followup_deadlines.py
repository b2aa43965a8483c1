"""Follow-up deadlines: working days with China's 2026 official holiday arrangement, read from
the working calendar as `db upgrade` fills it from the holidays library.

The 2026 dates below are copied from the State Council notice (国办发明电〔2025〕7号), not from
the library, so a wrong or missing library entry makes these tests fail.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from tracker.followup.deadlines import (
    TZ,
    add_working_days,
    deadline_for,
    is_working_day,
    working_days_between,
)

# 2026: (first day off, last day off, make-up working days)
OFFICIAL_2026 = {
    "元旦": (date(2026, 1, 1), date(2026, 1, 3), [date(2026, 1, 4)]),
    "春节": (date(2026, 2, 15), date(2026, 2, 23), [date(2026, 2, 14), date(2026, 2, 28)]),
    "清明节": (date(2026, 4, 4), date(2026, 4, 6), []),
    "劳动节": (date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)]),
    "端午节": (date(2026, 6, 19), date(2026, 6, 21), []),
    "中秋节": (date(2026, 9, 25), date(2026, 9, 27), []),
    "国庆节": (date(2026, 10, 1), date(2026, 10, 7), [date(2026, 9, 20), date(2026, 10, 10)]),
}

pytestmark = pytest.mark.usefixtures("db")


def bj(*args):
    return datetime(*args, tzinfo=TZ)


def end_of(y, m, d):
    return bj(y, m, d, 23, 59, 59, 999999)


@pytest.mark.parametrize("name", OFFICIAL_2026)
def test_2026_official_arrangement(name):
    first, last, makeup = OFFICIAL_2026[name]
    d = first
    while d <= last:
        assert not is_working_day(d), (name, d)
        d += timedelta(days=1)
    for d in makeup:
        assert d.weekday() >= 5 and is_working_day(d), (name, d)
    # The days around the holiday are ordinary working days or ordinary weekends.
    for d in (first - timedelta(days=1), last + timedelta(days=1)):
        assert is_working_day(d) == (d.weekday() < 5 or d in makeup), (name, d)


def test_2026_has_exactly_the_official_days_off_and_makeup_days():
    off = {
        d
        for first, last, _ in OFFICIAL_2026.values()
        for d in (first + timedelta(days=n) for n in range((last - first).days + 1))
    }
    makeup = {d for _, _, days in OFFICIAL_2026.values() for d in days}
    d = date(2026, 1, 1)
    while d <= date(2026, 12, 24):
        expected = d in makeup or (d.weekday() < 5 and d not in off)
        assert is_working_day(d) == expected, d
        d += timedelta(days=1)


def test_plain_days():
    assert is_working_day(date(2026, 3, 11))  # Wednesday
    assert not is_working_day(date(2026, 3, 14))  # Saturday
    assert not is_working_day(date(2026, 3, 15))  # Sunday


def test_spring_festival_start_on_last_friday_before_holiday():
    # Fri 13 Feb; working: Sat 14 (调休), 24, 25, 26, 27, Sat 28 (调休), Mon 2 Mar.
    assert deadline_for("general", bj(2026, 2, 13, 16, 0)).at == end_of(2026, 3, 2)


def test_spring_festival_start_on_makeup_saturday():
    # Sat 14 Feb is the last working day before the holiday: 24, 25, 26, 27, 28, 2 Mar, 3 Mar.
    assert deadline_for("general", bj(2026, 2, 14, 9, 0)).at == end_of(2026, 3, 3)
    assert add_working_days(bj(2026, 2, 14, 9, 0), 1) == end_of(2026, 2, 24)


def test_makeup_sunday_counts():
    # Sat 19 Sep -> the next working day is Sun 20 Sep (调休 for National Day).
    assert add_working_days(bj(2026, 9, 19, 10, 0), 1) == end_of(2026, 9, 20)


def test_national_day_and_mid_autumn_general():
    # Thu 24 Sep: 28, 29, 30 Sep, 8, 9, Sat 10 (调休), Mon 12 Oct.
    assert deadline_for("general", bj(2026, 9, 24, 11, 0)).at == end_of(2026, 10, 12)


def test_seven_working_days_from_30_september():
    # Wed 30 Sep (start not counted): 1–7 Oct off; Thu 8, Fri 9, Sat 10 (调休), Mon 12–Thu 15.
    assert deadline_for("general", bj(2026, 9, 30, 16, 0)).at == end_of(2026, 10, 15)


def test_national_day_complex():
    # Wed 30 Sep: Oct 8, 9, 10, 12–16, 19–23, 26, 27.
    assert deadline_for("complex", bj(2026, 9, 30, 11, 0)).at == end_of(2026, 10, 27)


def test_labour_day_and_new_year():
    # Thu 30 Apr: 1–5 May off -> Wed 6 May.
    assert add_working_days(bj(2026, 4, 30, 12, 0), 1) == end_of(2026, 5, 6)
    # Wed 31 Dec 2025 is outside 2026 but 2025 is covered: Fri 2 Jan off, Sun 4 Jan 调休.
    assert add_working_days(bj(2025, 12, 30, 12, 0), 2) == end_of(2026, 1, 4)


def test_start_day_not_counted():
    # Mon 9 Mar, whether set at midnight or late evening: 1 working day ends Tue 10 Mar.
    assert add_working_days(bj(2026, 3, 9, 0, 0), 1) == end_of(2026, 3, 10)
    assert add_working_days(bj(2026, 3, 9, 23, 59), 1) == end_of(2026, 3, 10)
    assert deadline_for("general", bj(2026, 3, 9, 8, 0)).at == end_of(2026, 3, 18)


def test_friday_start_one_working_day():
    assert add_working_days(bj(2026, 3, 13, 15, 0), 1) == end_of(2026, 3, 16)  # -> Monday
    assert add_working_days(bj(2026, 4, 3, 15, 0), 1) == end_of(2026, 4, 7)  # 清明 Mon 6 off
    assert add_working_days(bj(2026, 6, 18, 15, 0), 1) == end_of(2026, 6, 22)  # 端午 Fri 19 off


def test_urgent_and_one_day_by_the_clock():
    # Hours run through nights, weekends and holidays (民法典 art. 201 para. 2).
    assert deadline_for("urgent", bj(2026, 2, 16, 23, 0)).at == bj(2026, 2, 17, 1, 0)
    assert deadline_for("one_day", bj(2026, 10, 3, 10, 30)).at == bj(2026, 10, 4, 10, 30)
    assert deadline_for("one_day", bj(2026, 3, 13, 18, 0)).at == bj(2026, 3, 14, 18, 0)


def test_aware_in_and_out():
    # 17:00 UTC on 9 Mar is 01:00 on 10 Mar in Beijing, so 10 Mar is the (uncounted) start day.
    out = add_working_days(datetime(2026, 3, 9, 17, 0, tzinfo=timezone.utc), 1)
    assert out.utcoffset() == timedelta(hours=8)
    assert out == end_of(2026, 3, 11)
    assert out == datetime(2026, 3, 11, 15, 59, 59, 999999, tzinfo=timezone.utc)
    urgent = deadline_for("urgent", datetime(2026, 3, 9, 17, 0, tzinfo=timezone.utc)).at
    assert urgent == datetime(2026, 3, 9, 19, 0, tzinfo=timezone.utc)
    assert urgent.utcoffset() == timedelta(hours=8)
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 9, 9, 0), 1)
    with pytest.raises(ValueError):
        deadline_for("urgent", datetime(2026, 3, 9, 9, 0))


def test_bad_arguments():
    with pytest.raises(ValueError):
        deadline_for("someday", bj(2026, 3, 9, 9, 0))
    with pytest.raises(ValueError):
        add_working_days(bj(2026, 3, 9, 9, 0), 0)


def test_working_days_between():
    assert working_days_between(date(2026, 2, 13), date(2026, 3, 2)) == 7
    assert working_days_between(date(2026, 3, 2), date(2026, 2, 13)) == -7
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 9, 19), date(2026, 9, 20)) == 1  # 调休 Sunday


def test_deadline_and_between_agree_through_2026():
    start = date(2026, 1, 1)
    while start < date(2026, 11, 20):
        for n in (1, 7, 15):
            end = add_working_days(bj(start.year, start.month, start.day, 12, 0), n)
            assert is_working_day(end.date())
            assert working_days_between(start, end.date()) == n
            assert working_days_between(start, end.date() - timedelta(days=1)) == n - 1
        start += timedelta(days=1)
