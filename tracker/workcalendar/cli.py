"""``flask --app tracker calendar …``: fill, import, show and check the working calendar."""
from datetime import date, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.auth.queries import account_by_username
from tracker.core.time import utcnow
from tracker.extensions import db
from tracker.workcalendar import operations, queries
from tracker.workcalendar.calendar_file import parse_year_file
from tracker.workcalendar.rules import BEIJING, DayKind, library_covers

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@click.group(help="The working calendar: each year's days off (放假) and make-up working days "
                  "(调休上班).")
def calendar():
    pass


@calendar.command("fill")
@with_appcontext
def fill_command():
    """Enter every year the holidays library carries that nobody entered (db upgrade does too)."""
    years = operations.fill_from_library(None)
    db.session.commit()
    click.echo(f"从 holidays 库填入：{'、'.join(map(str, years)) or '无新增年度'}")


@calendar.command("import")
@click.argument("year", type=click.IntRange(operations.FIRST_YEAR, operations.LAST_YEAR))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--notice", default="", help="The notice's title and number, e.g. "
              "\"国务院办公厅关于2027年部分节假日安排的通知 国办发明电〔2026〕7号\".")
@click.option("--by", "username", default=None, help="The login of the person entering it "
              "(recorded as who entered the year); without it, the system.")
@with_appcontext
def import_command(year, file, notice, username):
    """Enter YEAR's arrangement from FILE (CSV lines "date,kind", kind off or work) and confirm
    it. A bad file is refused whole, with its line numbers, and nothing is written."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException("文件不是 UTF-8 编码的文本，未写入任何内容。") from None
    actor = None
    if username:
        actor = account_by_username(username)
        if actor is None:
            raise click.ClickException(f"没有登录名为 {username} 的账号，未写入任何内容。")
    parsed = parse_year_file(text, year)
    if parsed.errors:
        raise click.ClickException("文件有误，未写入任何内容：\n" + "\n".join(
            str(error) for error in parsed.errors))
    title, number = split_notice(notice)
    operations.import_year(actor, year, parsed.days, notice_title=title, notice_number=number)
    db.session.commit()
    off = sum(kind is DayKind.off for kind in parsed.days.values())
    work = len(parsed.days) - off
    click.echo(f"{year}年放假安排已录入并确认：放假 {off} 天，调休上班 {work} 天。")


def split_notice(notice: str) -> tuple[str, str]:
    """``"title 国办发明电〔2026〕7号"`` → (title, number); without a number, all is title."""
    notice = notice.strip()
    head, _sep, tail = notice.rpartition(" ")
    if head and tail.endswith("号"):
        return head.strip(), tail
    return notice, ""


@calendar.command("show")
@click.argument("year", type=click.IntRange(operations.FIRST_YEAR, operations.LAST_YEAR))
@with_appcontext
def show_command(year):
    """Print YEAR's days off and make-up working days, and where they come from."""
    record = queries.year_record(year)
    click.echo(f"{year}: {status_of(year)}")
    if record is not None and (record.notice_title or record.notice_number):
        click.echo(f"通知：{record.notice_title} {record.notice_number}".rstrip())
    calendar_ = queries.working_calendar([year, year + 1])
    day = date(year, 1, 1)
    while day.year == year:
        kind = calendar_.kind_of(day)
        if kind is DayKind.off and day.weekday() < 5:
            click.echo(f"{day.isoformat()} off   {WEEKDAYS[day.weekday()]}")
        elif kind is DayKind.work and day.weekday() >= 5:
            click.echo(f"{day.isoformat()} work  {WEEKDAYS[day.weekday()]}（调休上班）")
        day += timedelta(days=1)


def status_of(year: int) -> str:
    record = queries.year_record(year)
    if record is not None and record.confirmed:
        if record.source.value == "library":
            return f"已确认（取自 holidays {record.library_version}）"
        return "已确认（人工录入）"
    if record is not None:
        return "草稿，未确认：期限暂按周末和法定节日推算（暂定）"
    guess = "，holidays 库有该年安排，可运行 calendar fill" if library_covers(year) else ""
    return f"未录入：期限暂按周末和法定节日推算（暂定）{guess}"


@calendar.command("status")
@with_appcontext
def status_command():
    """Which years are confirmed, and whether next year's arrangement is still awaited."""
    today = utcnow().astimezone(BEIJING).date()
    years = {record.year for record in queries.all_years()} | {today.year, today.year + 1}
    for year in sorted(years, reverse=True):
        click.echo(f"{year}: {status_of(year)}")
    awaited = queries.awaited_year(today)
    if awaited:
        click.echo(f"\n请在{awaited}年放假安排公布后录入：flask --app tracker calendar import "
                   f"{awaited} FILE --notice \"…\"")
