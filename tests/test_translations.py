"""Every UI string has a Chinese translation, and the pages really are shown in Chinese.

The messages are extracted from the current source at test time, with the mapping of babel.cfg
and the keywords of ``make update-translations``, so adding a UI string without translating it
fails here. To fix such a failure, collect the new strings, translate them, compile::

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' \\
        --no-location --sort-output -o tracker/translations/messages.pot .
    .venv/bin/pybabel update -i tracker/translations/messages.pot -d tracker/translations \\
        --no-fuzzy-matching --ignore-obsolete
    # fill in the empty msgstr "" entries in tracker/translations/zh/LC_MESSAGES/messages.po
    .venv/bin/pybabel --quiet compile -d tracker/translations
"""
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import refresh

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "tracker" / "translations"
ZH_PO = TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po"
ZH_MO = ZH_PO.with_suffix(".mo")
PO_NAME = ZH_PO.relative_to(ROOT)

# The same keywords as the Makefile's ``pybabel extract -k _l -k lazy_gettext`` (on top of
# Babel's defaults: _, gettext, ngettext, pgettext, ...) and setup.cfg [extract_messages].
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def scanned(dirpath: str) -> bool:
    """Skip only hidden directories (.venv, .git), like ``pybabel extract --ignore-dirs '.*'``.

    Babel's default also skips directories starting with "_", which would leave out
    templates/_macros; its strings are on every form page.
    """
    return not Path(dirpath).name.startswith(".")


FIX_HINT = (f"Collect the new strings (commands at the top of {Path(__file__).name}), "
            f"translate them in {PO_NAME}, then run "
            "`.venv/bin/pybabel --quiet compile -d tracker/translations`.")

# A printf-style placeholder as Python's % operator reads it: %(name)s, %(n)d, %s, %.1f ...
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                         r"[hlL]?(?P<type>[diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> list[str]:
    """The placeholders in ``text`` (``%%`` is a literal percent sign, not a placeholder)."""
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group("type") != "%")


def source_messages() -> dict[tuple[str, str | None], dict]:
    """{(msgid, msgctxt): {"plural": msgid_plural or None, "where": ["file:line", ...]}}."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(ROOT / "babel.cfg"))
    messages: dict[tuple[str, str | None], dict] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=scanned):
        singular, plural = (message[0], message[1]) if isinstance(message, (tuple, list)) \
            else (message, None)
        if not singular:
            continue
        entry = messages.setdefault((singular, context), {"plural": plural, "where": []})
        entry["plural"] = entry["plural"] or plural
        entry["where"].append(f"{filename}:{lineno}")
    return messages


def load_zh_catalogue():
    with open(ZH_PO, "rb") as f:
        return read_po(f, locale="zh", abort_invalid=True)


def translation_problems(singular: str, plural: str | None, entry, num_plurals: int) -> list[str]:
    """What is wrong with the catalogue entry for one source message (empty list: nothing)."""
    if entry is None:
        return ["no translation"]
    if entry.fuzzy:
        return ["translation is marked fuzzy"]
    po_plural = entry.id[1] if isinstance(entry.id, (tuple, list)) else None
    if po_plural != plural:
        return [f"msgid_plural in the catalogue is {po_plural!r}, the source says {plural!r}"]
    forms = list(entry.string) if plural is not None else [entry.string]
    if plural is not None and len(forms) < num_plurals:
        return [f"{len(forms)} of {num_plurals} plural forms"]
    problems = []
    if any(not (form or "").strip() for form in forms):
        return ["translation is empty" if plural is None else "a plural form is empty"]
    if num_plurals == 1 or plural is None:
        # One Chinese form stands for every count, so it needs the placeholders of both.
        wanted = [set(placeholders(singular)) | set(placeholders(plural or ""))] * len(forms)
    else:
        wanted = [set(placeholders(singular))] + [set(placeholders(plural))] * (len(forms) - 1)
    allowed = set(placeholders(singular)) | set(placeholders(plural or ""))
    for form, need in zip(forms, wanted):
        have = set(placeholders(form))
        if missing := sorted(need - have):
            problems.append(f"translation {form!r} lacks {', '.join(missing)}")
        if unknown := sorted(have - allowed):
            problems.append(f"translation {form!r} has {', '.join(unknown)}, "
                            "which the msgid does not")
    return problems


def test_catalogue_header_is_chinese():
    catalogue = load_zh_catalogue()
    assert str(catalogue.locale) == "zh"
    assert not catalogue.fuzzy, f"the header of {PO_NAME} is marked fuzzy, so it would not compile"
    assert catalogue.num_plurals == 1, "Chinese has one plural form: nplurals=1; plural=0;"
    assert "nplurals=1" in (catalogue.plural_forms or "")


def test_every_ui_string_has_a_chinese_translation():
    messages = source_messages()
    files = {where.split(":")[0] for info in messages.values() for where in info["where"]}
    assert any(f.startswith("tracker/") for f in files), "no strings found in tracker/**.py"
    assert any(f.startswith("templates/_macros/") for f in files), \
        "no strings found in templates/_macros (or in templates/**.html at all)"
    catalogue = load_zh_catalogue()
    failures = []
    for (singular, context), info in sorted(messages.items(), key=lambda kv: kv[0][0]):
        entry = catalogue.get(singular, context=context)
        for problem in translation_problems(singular, info["plural"], entry,
                                            catalogue.num_plurals):
            label = repr(singular) + (f" (context {context!r})" if context else "")
            failures.append(f"  {label} [{info['where'][0]}]: {problem}")
    assert not failures, (f"{len(failures)} UI string problem(s) in {PO_NAME}:\n"
                          + "\n".join(failures) + "\n" + FIX_HINT)


def test_translation_problems_are_detected():
    """The checker itself: each kind of fault is reported."""
    from babel.messages.catalog import Catalog
    catalogue = Catalog(locale="zh")
    catalogue.add("Cases", "议题")
    catalogue.add("Empty", "")
    catalogue.add("Unsure", "不确定", flags=["fuzzy"])
    catalogue.add("%(n)d photos", "%(n)d 张照片")
    catalogue.add("Hello %(name)s", "你好")
    catalogue.add("Bye", "再见 %(name)s")
    catalogue.add(("One case", "%(num)d cases"), ("%(num)d 个议题",))
    catalogue.add(("One task", "%(num)d tasks"), ("一项",))
    catalogue.add(("One vote", "%(num)d votes"), ("",))

    def problems(singular, plural=None):
        return translation_problems(singular, plural, catalogue.get(singular), 1)

    assert problems("Cases") == []
    assert problems("%(n)d photos") == []
    assert problems("One case", "%(num)d cases") == []
    assert problems("Missing") == ["no translation"]
    assert problems("Empty") == ["translation is empty"]
    assert problems("Unsure") == ["translation is marked fuzzy"]
    assert problems("Hello %(name)s") == ["translation '你好' lacks %(name)s"]
    assert "which the msgid does not" in problems("Bye")[0]
    assert problems("One task", "%(num)d tasks") == ["translation '一项' lacks %(num)d"]
    assert problems("One vote", "%(num)d votes") == ["a plural form is empty"]
    assert problems("Cases", "Cases plural")[0].startswith("msgid_plural in the catalogue")


def test_compiled_catalogue_is_current():
    """The app reads the .mo file (git-ignored, compiled by ``make install``), not the .po."""
    assert ZH_MO.exists(), f"{ZH_MO.relative_to(ROOT)} is missing. {FIX_HINT}"
    with open(ZH_MO, "rb") as f:
        compiled = read_mo(f)

    def text(message):
        if message is None:
            return None
        string = message.string
        return tuple(string) if isinstance(string, (tuple, list)) else string

    stale = [message.id for message in load_zh_catalogue()
             if message.id and message.string and not message.fuzzy
             and text(compiled.get(message.id, context=message.context)) != text(message)]
    assert not stale, (f"{len(stale)} translation(s) in {PO_NAME} are not compiled, e.g. "
                       f"{stale[:3]!r}. Run `.venv/bin/pybabel --quiet compile -d "
                       "tracker/translations`.")


LOGIN_ZH = ["三方联动议事台", "登录", "手机号或用户名", "密码", 'lang="zh-CN"']
LOGIN_EN = ["Three-party joint desk", "Log in", "Phone number or username", "Password",
            'lang="en"']


def login_page(client, method="GET", **kwargs) -> str:
    # The ``db`` fixture keeps one app context (and so one ``g``) open for the whole test, and
    # Flask-Babel caches the locale on ``g``: forget it, as a new request in production would.
    refresh()
    response = client.open("/login", method=method, **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def switch_language(client, code: str) -> None:
    response = client.post(f"/language/{code}", data={"next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_login_page_in_chinese_by_default_and_in_english_on_request(client):
    html = login_page(client)
    for text in LOGIN_ZH:
        assert text in html
    for text in ["Log in", "Phone number or username", "Three-party joint desk"]:
        assert text not in html
    # Lazily translated strings (form validation messages) are translated at request time.
    html = login_page(client, "POST", data={"login": "", "password": ""})
    assert "请输入手机号或用户名。" in html

    switch_language(client, "en")
    html = login_page(client)
    for text in LOGIN_EN:
        assert text in html
    for text in ["登录", "手机号或用户名", "三方联动议事台"]:
        assert text not in html
    html = login_page(client, "POST", data={"login": "", "password": ""})
    assert "Please enter your phone number or username." in html
    assert "请输入手机号或用户名。" not in html

    switch_language(client, "zh")
    html = login_page(client)
    for text in LOGIN_ZH:
        assert text in html
    assert "Log in" not in html


@pytest.mark.parametrize("text, expected", [
    ("%(name)s is larger than %(mb)d MB.", ["%(mb)d", "%(name)s"]),
    ("100%% sure, %s and %.1f", ["%.1f", "%s"]),
    ("no placeholders", []),
])
def test_placeholders(text, expected):
    assert placeholders(text) == expected
