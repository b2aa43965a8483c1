"""邮电三公司小区 (property management committee mode): the parking case of the seed story.

The 物管会 first rejects the proposal (two of four members for is not more than half of all
members), the case goes back to raised, is reworked, and passes at a second meeting. Pictures
go to youdian-*.png (docs/guide with `make guide`).
"""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_on_devices, flash, photo, screenshot
from tracker.core.time import utcnow

story: dict = {}
TITLE = "外来车辆在小区内乱停乱放"
RESIDENT_PHONE = "13900000013"
MEMBERS = {"zhangjianguo": "张建国", "hongzhaozhen": "洪昭珍", "wuguiying": "吴桂英",
           "zhenghai": "郑海"}


# --- what the liaison 周敏 does at each meeting ----------------------------------------------

def plan_meeting(page: Page, subject: str) -> str:
    page.goto("/meetings/new")
    expect(page.get_by_label("邮电三公司小区（北湖正街社区）")).to_be_checked()
    page.get_by_label("会议主题").fill(subject)
    # An hour ago: the meeting is entered once it has begun (it is marked held below).
    began = utcnow().astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)
    page.get_by_label("时间").fill(began.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("地点").fill("北湖正街社区居委会")
    page.locator("select#chair").select_option(label="张建国")
    page.get_by_role("button", name="安排会议").click()
    expect(flash(page)).to_contain_text("已安排")
    page.get_by_label("议题").select_option(label=f"{story['number']} {TITLE}")
    page.get_by_role("button", name="列入会议议程").click()
    expect(page.locator("#agenda")).to_contain_text(story["number"])
    return page.url


def roll_call_all_present(page: Page, picture: str | None = None) -> None:
    """张建国 sits for both the residents' committee and the 物管会: he has a row for each."""
    page.get_by_role("link", name="点名签到").click()
    rows = page.locator("table.rollcall tbody tr")
    expect(rows).to_have_count(5)
    for n in range(5):
        rows.nth(n).locator("input[value=present]").check()
    page.get_by_role("button", name="保存签到").click()
    quorum = page.locator(".quorum")
    expect(quorum).to_contain_text("各方到齐")  # two parties: 居委会 and 物管会
    expect(quorum).to_contain_text(
        "邮电三公司小区物业管理委员会 法定人数：4 / 4，业主代表 3 / 3 — 已达到")
    if picture:
        screenshot(page, picture)
    page.get_by_role("link", name="返回会议").click()
    page.get_by_role("button", name="标记为已召开").click()
    expect(page.locator(".page-head .badge")).to_have_text("已召开")


def propose_and_open_vote(page: Page, text: str) -> str:
    page.get_by_role("link", name="提出决议").click()
    page.get_by_label("拟议决议").fill(text)
    page.get_by_label("责任方", exact=True).select_option(label="邮电三公司小区物业管理委员会")
    page.get_by_label("完成时限").select_option("general")
    expect(page.get_by_label("表决主体")).to_have_value("management_committee")
    page.get_by_role("button", name="提出").click()
    page.get_by_role("button", name="开启表决").click()
    expect(page.locator(".page-head .badge")).to_have_text("表决中")
    return page.url


def members_vote(people, choices: dict[str, str], picture: str | None = None) -> None:
    for username, choice in choices.items():
        page = people.login(username, "phone")
        page.goto(story["vote_url"])
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="投票").click()
        expect(flash(page)).to_contain_text("您的表决意见已记录")
        expect(page.locator("tr", has_text=MEMBERS[username])).to_contain_text(choice)
    if picture:
        screenshot(page, picture)


def close_vote(page: Page, note: str = "") -> None:
    page.goto(story["vote_url"])
    if note:
        page.get_by_label("备注（可选）").fill(note)
    page.get_by_label("现在结束表决").check()
    page.get_by_role("button", name="结束表决并计算结果").click()


# --- the story -------------------------------------------------------------------------------

def test_building_party_group_leader_raises_the_parking_case(people, tmp_path):
    page = people.login("hongzhaozhen", "phone")
    page.get_by_role("link", name="新建议题").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("类别").select_option("parking")
    page.get_by_label("来源").select_option("building_party_group")
    page.get_by_label("情况描述").fill("小区车位本就少，外来车辆随意停放，行人走路难，车主间常因刮蹭扯皮。"
                                     "建议由物管会收取停车费、有序停车。")
    page.get_by_label("反映居民（姓名）").fill("洪昭珍")
    page.get_by_label("居民电话").fill(RESIDENT_PHONE)
    page.get_by_label("照片（JPEG、PNG 或 WebP）").set_input_files(
        photo(tmp_path / "乱停车.jpg", (180, 60, 50)))
    page.get_by_role("button", name="立案").click()
    expect(flash(page)).to_have_text(re.compile(r"议题 YDSG-\d{4}-\d{3} 已立案。"))
    story["number"] = re.search(r"YDSG-\d{4}-\d{3}", flash(page).inner_text()).group(0)
    story["case_url"] = page.url
    expect(page.locator(".page-head .badge")).to_have_text("已立案")
    screenshot(page, "youdian-01-raised-phone")


def test_first_meeting_the_management_committee_rejects_the_proposal(people):
    page = people.login("zhoumin", "tablet")
    story["meeting_url"] = plan_meeting(page, "邮电三公司小区停车秩序")
    roll_call_all_present(page, picture="youdian-02-roll-call-tablet")
    story["vote_url"] = propose_and_open_vote(
        page, "由物管会对所有在小区停放的车辆按月收取停车费，每车每月150元。")
    check_on_devices(people, "hongzhaozhen", story["vote_url"])
    members_vote(people, {"zhangjianguo": "赞成", "hongzhaozhen": "赞成", "wuguiying": "反对",
                          "zhenghai": "弃权"})
    close_vote(page, note="住户认为收费标准过高、未区分本小区住户和外来车辆，修改方案后再议。")
    expect(page.locator("p.verdict")).to_have_text("未通过")
    result = page.locator(".card", has_text="表决结果")
    expect(result).to_contain_text("赞成2票")
    expect(result).to_contain_text("未超过全体委员半数")
    screenshot(page, "youdian-03-vote-rejected")


def test_the_rejected_case_is_back_to_raised(people):
    page = people.login("zhoumin")
    page.goto(story["case_url"])
    expect(page.locator(".page-head .badge")).to_have_text("已立案")
    expect(page.locator(".timeline")).to_contain_text("结束表决：未通过")
    expect(page.locator(".timeline")).to_contain_text("修改方案后再议")
    screenshot(page, "youdian-04-back-to-raised")

    resident = people.anonymous("phone")
    resident.goto("/status/")
    resident.get_by_label("议题编号").fill(story["number"])
    resident.get_by_label("手机号后四位").fill(RESIDENT_PHONE[-4:])
    resident.get_by_role("button", name="查询").click()
    expect(resident.locator("#status .badge")).to_have_text("已立案")
    expect(resident.locator("#status .timeline")).to_contain_text("结束表决：未通过")


def test_liaison_reworks_the_case(people):
    page = people.login("zhoumin")
    page.goto(story["case_url"])
    page.get_by_role("link", name="编辑", exact=True).click()
    description = page.get_by_label("情况描述")
    description.fill(description.input_value() + "\n征求住户意见后修改：本小区住户每车每月60元，"
                     "外来车辆临时停放每小时5元、夜间禁入；停车费用于聘请清洁员和门房。")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("议题已更新。")
    expect(page.locator(".description")).to_contain_text("本小区住户每车每月60元")
    expect(page.locator(".timeline")).to_contain_text("修改了议题内容")
    screenshot(page, "youdian-05-reworked")


def test_second_meeting_the_revised_proposal_passes(people):
    page = people.login("zhoumin", "tablet")
    story["meeting_url"] = plan_meeting(page, "邮电三公司小区停车收费方案（复议）")
    roll_call_all_present(page)
    page.get_by_role("link", name="撰写纪要").click()
    page.get_by_label("背景").fill("上次会议停车收费方案未获通过，已征求住户意见并修改。")
    page.get_by_label("社区居委会意见").fill("居委会支持物管会自主管理，协助公示收费标准。")
    page.get_by_label("物业管理委员会意见").fill("物管会同意区分住户与外来车辆收费，收入用于聘请清洁员和门房。")
    page.get_by_label("补充说明").fill("物管会聘请门房登记外来车辆、聘请清洁员；收费标准公示七日后执行。")
    page.get_by_role("button", name="保存纪要").click()
    expect(flash(page)).to_have_text("纪要已保存为第 1 版。")
    story["vote_url"] = propose_and_open_vote(
        page, "本小区住户每车每月60元，外来车辆临时停放每小时5元、夜间禁入；"
              "停车费用于聘请清洁员和门房。")
    members_vote(people, {"zhangjianguo": "赞成", "hongzhaozhen": "赞成", "wuguiying": "赞成",
                          "zhenghai": "弃权"}, picture="youdian-06-voted-phone")
    close_vote(page)
    expect(page.locator("p.verdict")).to_have_text("通过")
    expect(page.locator(".card", has_text="表决结果")).to_contain_text("赞成3票")
    screenshot(page, "youdian-07-vote-passed")
    page.goto(story["case_url"])
    expect(page.locator(".page-head .badge")).to_have_text("落实中")


def test_the_chair_signs_for_both_parties(people):
    """张建国 chairs the residents' committee and the 物管会, so he signs once for each."""
    check_on_devices(people, "zhangjianguo", story["meeting_url"] + "/sign")
    page = people.login("zhangjianguo", "tablet")
    parties = {"北湖正街社区居委会", "邮电三公司小区物业管理委员会"}
    for _ in range(2):
        page.goto(story["meeting_url"])
        page.get_by_role("link", name="阅读并签署纪要").click()
        heading = page.get_by_role("heading", name=re.compile("^代表.+签署$")).inner_text()
        party = heading.removeprefix("代表").removesuffix("签署")
        assert party in parties, f"asked to sign for {party!r} again"
        parties.remove(party)
        page.get_by_label("您的密码").fill("demo2026")
        page.get_by_role("button", name="签署", exact=True).click()
        expect(page.locator("#signatures tr", has_text=party)).to_contain_text("✔")
    expect(flash(page)).to_have_text("已签署。各方签名已齐：纪要已锁定，PDF 已印发。")
    expect(page.locator(".page-head .badge")).to_have_text("纪要已签署")
    screenshot(page, "youdian-08-signed-tablet")


def test_management_committee_reports_progress_and_the_case_closes(people, tmp_path):
    page = people.login("zhangjianguo", "phone")
    page.goto(story["case_url"])
    follow_up = page.locator("#follow-up")
    follow_up.get_by_text("报告进度").click()
    follow_up.get_by_label("进展说明").fill("收费标准已公示；门房和清洁员已上岗，外来车辆登记后方可临时停放。")
    follow_up.get_by_label("进度（%）").fill("100")
    follow_up.get_by_label("照片（JPEG、PNG 或 WebP）").set_input_files(
        photo(tmp_path / "门房.jpg", (60, 120, 60)))
    follow_up.get_by_role("button", name="报告", exact=True).click()
    expect(flash(page)).to_have_text("进度已报告。")
    expect(follow_up.locator(".task .badge")).to_have_text("已完成")
    screenshot(page, "youdian-09-progress-phone")

    page = people.login("zhoumin", "phone")
    page.goto(story["case_url"])
    page.get_by_label("回访方式").select_option("phone")
    page.get_by_label("居民满意度").select_option("satisfied")
    page.get_by_label("居民意见").fill("洪昭珍：外面的车进不来了，走路不用绕，楼下也干净了。")
    page.get_by_role("button", name="记录回访").click()
    expect(flash(page)).to_have_text("回访已记录，议题已办结。")
    expect(page.locator(".page-head .badge")).to_have_text("已办结")
    screenshot(page, "youdian-10-closed-phone")


def test_street_official_sees_the_closed_cases(people):
    page = people.login("liujiuli")
    page.get_by_label("状态").select_option("closed")
    page.get_by_role("button", name="筛选").click()
    # With the 德富花园 story run first, its case is in this list too.
    rows = page.locator("table.list tbody tr")
    expect(rows.filter(has_text=story["number"])).to_contain_text("已办结")
    expect(rows.filter(has_not_text="已办结")).to_have_count(0)
    screenshot(page, "youdian-11-street-official-list", full_page=False)
