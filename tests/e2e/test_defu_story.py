"""德富花园 (owners' committee mode): the water-pump case of the seed story, end to end.

Each test is one step by one person, in order; what a step creates is kept in ``story`` for the
next. Pictures go to defu-*.png (docs/guide with `make guide`).
"""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import assert_fits_and_labelled, check_on_devices, flash, photo, screenshot
from tracker.core.time import utcnow

story: dict = {}
TITLE = "供水系统故障，小区间歇性停水"
RESIDENT_PHONE = "13800001111"


def test_liaison_raises_the_case_on_behalf_of_a_resident(people, tmp_path):
    """胡绍移 raises the case at the evening forum, on his phone, with a photo of the pump."""
    page = people.login("hushaoyi", "phone")
    page.get_by_role("link", name="新建议题").click()
    expect(page.get_by_role("heading", name="新建议题")).to_be_visible()
    assert_fits_and_labelled(page)
    # His only compound is chosen for him.
    expect(page.get_by_label("小区")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("类别").select_option("water_supply")
    page.get_by_label("来源").select_option("evening_forum")
    page.get_by_label("情况描述").fill("邻里夜话上居民反映：小区供水泵老化，时不时停水，严重影响生活。"
                                     "物业公司认为是开发商遗留问题。需三方协商更换水泵。")
    page.get_by_label("反映居民（姓名）").fill("刘小华")
    page.get_by_label("居民电话").fill(RESIDENT_PHONE)
    page.get_by_label("照片（JPEG、PNG 或 WebP）").set_input_files(
        photo(tmp_path / "水泵房.jpg", (70, 110, 160)))
    screenshot(page, "defu-01-raise-phone")
    page.get_by_role("button", name="立案").click()

    expect(flash(page)).to_have_text(re.compile(r"议题 DFHY-\d{4}-\d{3} 已立案。"))
    story["number"] = re.search(r"DFHY-\d{4}-\d{3}", flash(page).inner_text()).group(0)
    story["case_url"] = page.url
    expect(page.locator(".page-head .badge")).to_have_text("已立案")
    expect(page.locator(".facts")).to_contain_text(f"刘小华（{RESIDENT_PHONE}）")
    expect(page.locator(".photos img")).to_have_count(1)
    assert_fits_and_labelled(page)
    screenshot(page, "defu-02-raised-phone")


def test_liaison_convenes_a_joint_meeting_and_puts_the_case_on_the_agenda(people):
    page = people.login("hushaoyi")
    page.get_by_role("link", name="联席会议").first.click()
    page.get_by_role("link", name="安排会议").click()
    # Entered at the meeting, which began an hour ago: a meeting is marked held only once it
    # has begun.
    began = (utcnow().astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M")
    expect(page.get_by_label("德富花园（横堤社区）")).to_be_checked()
    page.get_by_label("会议主题").fill("德富花园供水泵更换")
    page.get_by_label("时间").fill(began)
    page.get_by_label("地点").fill("横堤社区党群服务中心二楼会议室")
    screenshot(page, "defu-03-plan-meeting")
    page.get_by_role("button", name="安排会议").click()
    expect(flash(page)).to_have_text(re.compile(r"会议 〔\d{4}〕第\d+期 已安排。"))
    story["meeting_url"] = page.url

    page.get_by_label("议题").select_option(label=f"{story['number']} {TITLE}")
    page.get_by_role("button", name="列入会议议程").click()
    expect(flash(page)).to_have_text(f"{story['number']} 已列入议程。")
    agenda = page.locator("#agenda")
    expect(agenda).to_contain_text(f"{story['number']} {TITLE}")
    expect(agenda.locator(".badge")).to_have_text("待上会")
    screenshot(page, "defu-04-agenda")


def test_liaison_takes_the_roll_call_and_marks_the_meeting_held(people):
    """On the tablet at the meeting: six members present, one on leave, the resident attends."""
    page = people.login("hushaoyi", "tablet")
    page.goto(story["meeting_url"])
    page.get_by_role("link", name="点名签到").click()
    expect(page.locator(".quorum")).to_contain_text("三方未到齐")
    for name in ("王丽", "陈国强", "李桂芳", "张卫东", "孙建华", "吕娟"):
        page.locator("tr", has_text=name).locator("input[value=present]").check()
    page.locator("tr", has_text="赵秀英").locator("input[value=leave]").check()
    page.get_by_role("button", name="保存签到").click()
    expect(flash(page)).to_have_text("签到已保存。")
    expect(page.locator(".quorum")).to_contain_text("三方到齐")
    expect(page.locator(".quorum")).to_contain_text("德富花园业主委员会 法定人数：4 / 5 — 已达到")

    page.get_by_label("列席人员姓名").fill("刘小华")
    page.get_by_label("单位或身份").fill("德富花园居民代表")
    page.get_by_label("到会情况").select_option("non_voting")
    page.get_by_role("button", name="添加列席人员").click()
    expect(page.locator("section", has_text="列席人员").get_by_text("刘小华（德富花园居民代表）")) \
        .to_be_visible()
    screenshot(page, "defu-05-roll-call-tablet")

    page.get_by_role("link", name="返回会议").click()
    page.get_by_role("button", name="标记为已召开").click()
    expect(page.locator(".page-head .badge")).to_have_text("已召开")


def test_liaison_writes_the_minutes(people):
    page = people.login("hushaoyi")
    page.goto(story["meeting_url"])
    page.get_by_role("link", name="撰写纪要").click()
    page.get_by_label("背景").fill("小区供水泵老化，间歇性停水已持续数年，居民多次上访。")
    page.get_by_label("社区居委会意见").fill("居委会愿为新引进的物业公司提供担保，协调各方尽快解决停水问题。")
    page.get_by_label("业主委员会意见").fill("业委会同意由物业公司先行垫资更换水泵，业委会监督验收。")
    page.get_by_label("物业服务企业意见").fill("物业公司承诺投入资金更换水泵、改造中心花园，并加强保安巡查。")
    # The decision itself comes from the resolution voted on next; the minutes add a note.
    expect(page.locator(".outcome")).to_contain_text("尚未议定")
    page.get_by_label("补充说明").fill("完工后由居委会组织回访居民，回访结果报街道。")
    page.get_by_label("其他事项").fill("中心花园杂草清理及改造方案下次会议讨论。")
    screenshot(page, "defu-06-minutes")
    page.get_by_role("button", name="保存纪要").click()
    expect(flash(page)).to_have_text("纪要已保存为第 1 版。")
    expect(page.locator("#minutes")).to_contain_text("完工后由居委会组织回访居民")


def test_liaison_proposes_the_resolution_and_opens_the_vote(people):
    page = people.login("hushaoyi")
    page.goto(story["meeting_url"])
    page.get_by_role("link", name="提出决议").click()
    page.get_by_label("拟议决议").fill("由物业公司先行垫资更换小区二次供水泵，居委会担保，业委会监督验收。")
    page.get_by_label("责任方", exact=True).select_option(label="德富花园物业服务有限公司")
    page.get_by_label("完成时限").select_option("complex")
    expect(page.get_by_label("表决主体")).to_have_value("owners_committee")
    screenshot(page, "defu-07-propose")
    page.get_by_role("button", name="提出").click()
    expect(flash(page)).to_have_text("决议已提出，接下来请开启表决。")
    expect(page.get_by_label("现场表决")).to_be_checked()
    page.get_by_role("button", name="开启表决").click()
    expect(page.locator(".page-head .badge")).to_have_text("表决中")
    story["vote_url"] = page.url


def test_owners_committee_members_vote_on_their_phones(people):
    """Three of the five members vote for, one against, one is on leave."""
    check_on_devices(people, "chenguoqiang", story["vote_url"])
    for username, name, choice in (("chenguoqiang", "陈国强", "赞成"), ("yezhu2", "李桂芳", "赞成"),
                                   ("yezhu3", "张卫东", "赞成"), ("yezhu5", "孙建华", "反对")):
        page = people.login(username, "phone")
        # A member finds the vote from the meeting's agenda.
        page.get_by_role("link", name="联席会议").first.click()
        page.get_by_role("link", name="德富花园供水泵更换").click()
        page.locator("#agenda").get_by_role("link", name="表决").click()
        expect(page.get_by_role("heading", name=re.compile("表决"))).to_contain_text(TITLE)
        if username == "chenguoqiang":
            screenshot(page, "defu-08-vote-phone")
        page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="投票").click()
        expect(flash(page)).to_contain_text("您的表决意见已记录")
        expect(page.locator("tr", has_text=name)).to_contain_text(choice)
        if username == "chenguoqiang":
            screenshot(page, "defu-09-voted-phone")


def test_liaison_closes_the_vote_and_it_passes(people):
    page = people.login("hushaoyi")
    page.goto(story["vote_url"])
    page.get_by_label("现在结束表决").check()
    page.get_by_role("button", name="结束表决并计算结果").click()
    expect(page.locator("p.verdict")).to_have_text("通过")
    expect(page.locator(".card", has_text="表决结果")).to_contain_text("赞成3票")
    screenshot(page, "defu-10-vote-passed")
    page.get_by_role("link", name="议题", exact=True).last.click()
    expect(page.locator(".page-head .badge")).to_have_text("落实中")
    expect(page.locator("#follow-up")).to_contain_text("德富花园物业服务有限公司")


def test_representatives_sign_the_minutes(people):
    """王丽 draws her signature on the tablet with the mouse; 陈国强 and 吕娟 sign without."""
    sign_url = story["meeting_url"] + "/sign"
    check_on_devices(people, "wangli", sign_url)

    page = people.login("wangli", "tablet")
    page.goto(story["meeting_url"])
    page.get_by_role("link", name="阅读并签署纪要").click()
    expect(page.get_by_role("heading", name="代表横堤社区居委会签署")).to_be_visible()
    canvas = page.locator("#signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    # 王 and 丽, roughly: strokes drawn with the mouse button held down.
    strokes = [[(0.10, 0.30), (0.25, 0.30)], [(0.10, 0.50), (0.25, 0.50)],
               [(0.17, 0.30), (0.17, 0.75)], [(0.08, 0.75), (0.27, 0.75)],
               [(0.35, 0.25), (0.60, 0.25)], [(0.38, 0.40), (0.45, 0.55), (0.38, 0.80)],
               [(0.52, 0.40), (0.59, 0.55), (0.52, 0.80)], [(0.62, 0.35), (0.75, 0.70),
                                                             (0.85, 0.45)]]
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
        page.mouse.up()
    inked = page.evaluate("""() => {
        const c = document.getElementById('signature-pad');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }""")
    assert inked > 500, f"the drawing left only {inked} inked pixels on the canvas"
    page.get_by_label("您的密码").fill("demo2026")
    screenshot(page, "defu-11-sign-drawn-tablet")
    page.get_by_role("button", name="签署", exact=True).click()
    expect(flash(page)).to_have_text("已签署。")
    expect(page.locator("#signatures tr", has_text="王丽")).to_contain_text("✔")

    for username in ("chenguoqiang", "lvjuan"):
        page = people.login(username, "phone")
        page.goto(story["meeting_url"])
        page.get_by_role("link", name="阅读并签署纪要").click()
        page.get_by_label("您的密码").fill("demo2026")
        page.get_by_role("button", name="签署", exact=True).click()
    expect(flash(page)).to_have_text("已签署。各方签名已齐：纪要已锁定，PDF 已印发。")
    expect(page.locator(".page-head .badge")).to_have_text("纪要已签署")
    expect(page.get_by_role("link", name="已签署纪要（PDF）")).to_be_visible()
    screenshot(page, "defu-12-signed-phone")


def test_property_company_reports_progress_with_a_photo(people, tmp_path):
    def open_report_form(page):
        page.get_by_text("报告进度").click()

    check_on_devices(people, "lvjuan", story["case_url"], prepare=open_report_form)
    page = people.login("lvjuan", "phone")
    page.goto(story["case_url"])
    follow_up = page.locator("#follow-up")
    expect(follow_up).to_contain_text("0%")
    follow_up.get_by_text("报告进度").click()
    follow_up.get_by_label("进展说明").fill("二次供水泵更换完成，试运行一周未再停水；中央花园清理改造同步完成。")
    follow_up.get_by_label("进度（%）").fill("100")
    follow_up.get_by_label("照片（JPEG、PNG 或 WebP）").set_input_files(
        photo(tmp_path / "新水泵.jpg", (40, 150, 90)))
    screenshot(page, "defu-13-progress-phone")
    follow_up.get_by_role("button", name="报告", exact=True).click()
    expect(flash(page)).to_have_text("进度已报告。")
    expect(follow_up.locator(".task .badge")).to_have_text("已完成")
    expect(follow_up.locator(".reports li")).to_contain_text("100%")
    expect(follow_up.locator(".reports img.thumb")).to_have_count(1)


def test_liaison_records_a_satisfied_return_visit_and_the_case_closes(people):
    check_on_devices(people, "hushaoyi", story["case_url"])
    page = people.login("hushaoyi", "phone")
    page.goto(story["case_url"])
    visit = page.locator("form", has_text="回访")
    visit.get_by_label("回访方式").select_option("home_visit")
    visit.get_by_label("居民满意度").select_option("satisfied")
    visit.get_by_label("居民意见").fill("刘小华：再没停过水，花园也能散步了，满意。")
    page.get_by_role("button", name="记录回访").click()
    expect(flash(page)).to_have_text("回访已记录，议题已办结。")
    expect(page.locator(".page-head .badge")).to_have_text("已办结")
    screenshot(page, "defu-14-closed-phone")


def test_district_official_downloads_the_signed_minutes(people):
    page = people.login("libaohong")
    page.get_by_role("link", name="联席会议").first.click()
    page.get_by_role("link", name="德富花园供水泵更换").click()
    expect(page.locator(".page-head .badge")).to_have_text("纪要已签署")
    screenshot(page, "defu-15-official-meeting", full_page=False)
    link = page.get_by_role("link", name="已签署纪要（PDF）")
    # The official's browser shows the PDF in its viewer; the file saved is the same response,
    # fetched with the official's session.
    pdf = page.context.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    story["pdf"] = pdf.body()
    assert story["pdf"].startswith(b"%PDF-")
    link.click()
    page.wait_for_timeout(2000)  # the viewer draws the first page
    screenshot(page, "defu-16-official-pdf", full_page=False)


def test_anyone_verifies_the_pdf_on_the_public_page(people, tmp_path):
    page = people.anonymous()
    page.goto("/verify/")
    (tmp_path / "纪要.pdf").write_bytes(story["pdf"])
    page.get_by_label("会议纪要 PDF").set_input_files(tmp_path / "纪要.pdf")
    page.get_by_role("button", name="核验").click()
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("有效")
    expect(verdict).to_contain_text(re.compile(r"横堤社区三方联席会议 〔\d{4}〕第1期"))
    for signer in ("横堤社区居委会王丽", "德富花园业主委员会陈国强",
                   "德富花园物业服务有限公司吕娟"):
        expect(verdict).to_contain_text(signer)
    screenshot(page, "defu-17-verified")

    story["sha"] = verdict.locator("code.hash").inner_text()

    # On a phone: the same check, and the page the minutes' QR code leads to.
    phone = people.anonymous("phone")
    phone.goto("/verify/")
    phone.get_by_label("会议纪要 PDF").set_input_files(tmp_path / "纪要.pdf")
    phone.get_by_role("button", name="核验").click()
    expect(phone.locator(".verdict")).to_contain_text("有效")
    assert_fits_and_labelled(phone)
    phone.goto(f"/verify/{story['sha']}")
    expect(phone.locator(".verdict")).to_contain_text("存档中有这份纪要")
    assert_fits_and_labelled(phone)
    screenshot(phone, "defu-18-qr-record-phone")

    # One changed byte in the text and the same page says so.
    forged = bytearray(story["pdf"])
    forged[len(forged) // 3] ^= 0x01
    (tmp_path / "改过的纪要.pdf").write_bytes(bytes(forged))
    page.get_by_label("会议纪要 PDF").set_input_files(tmp_path / "改过的纪要.pdf")
    page.get_by_role("button", name="核验").click()
    expect(page.locator(".verdict")).to_contain_text("无效")


def test_resident_looks_up_the_case_status(people):
    page = people.anonymous("phone")
    page.goto("/status/")
    page.get_by_label("议题编号").fill(story["number"])
    page.get_by_label("手机号后四位").fill(RESIDENT_PHONE[-4:])
    assert_fits_and_labelled(page)
    page.get_by_role("button", name="查询").click()
    status = page.locator("#status")
    expect(status.locator(".badge")).to_have_text("已办结")
    expect(status).to_contain_text("由物业公司先行垫资更换小区二次供水泵")
    expect(status).not_to_contain_text("刘小华")
    assert_fits_and_labelled(page)
    screenshot(page, "defu-19-status-phone")
