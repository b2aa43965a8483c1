"""The case list's table rows, drawn in Python.

The list shows fifty rows of six cells; drawn by a Jinja loop they were a fifth of the page's
time (a dozen escaped expressions, a filter and a function call per row). Here the labels of
the header cells, the categories and the state badges are made once per list, and each row is
one %-format whose every text from the database is escaped.
"""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from tracker.cases.labels import state_badge
from tracker.cases.models import CaseCategory, CaseState
from tracker.core.labels import label
from tracker.core.templating import link_to_each

# The row, with the header texts for the phone layout (each cell says what it is) filled in
# once per list; then per row: link, number, title, compound, category, state badge, date.
_ROW = ('<tr><td data-label="{l_number}"><a href="%s">%s</a></td>'
        '<td data-label="{l_title}"><a href="%s">%s</a></td>'
        '<td data-label="{l_compound}">%s</td>'
        '<td data-label="{l_category}">%s</td>'
        '<td data-label="{l_state}">%s</td>'
        '<td data-label="{l_raised}">%s</td></tr>\n')


def case_rows(cases) -> Markup:
    """``<tr>`` rows for rows of ``tracker.cases.queries.LIST_COLUMNS`` (category and state as
    stored: their members' names)."""
    row = _ROW.format(
        l_number=_attribute(_("Number")), l_title=_attribute(_("Title")),
        l_compound=_attribute(_("Compound")), l_category=_attribute(_("Category")),
        l_state=_attribute(_("State")), l_raised=_attribute(_("Raised on")))
    link = link_to_each("cases.case_detail", "case_id")
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    categories, badges = {}, {}
    html = []
    for case in cases:
        category, state = case.category, case.state  # as stored: the members' names
        shown_category = categories.get(category)
        if shown_category is None:
            shown_category = categories[category] = escape(label(CaseCategory[category]))
        badge = badges.get(state)
        if badge is None:
            badge = badges[state] = state_badge(CaseState[state])
        url = link(case.id)
        html.append(row % (url, _escaped(case.number), url, _escaped(case.title),
                           _escaped(case.compound_name), shown_category, badge,
                           # The date as strftime("%Y-%m-%d") writes it, in a third of the time.
                           case.raised_at.astimezone(zone).date().isoformat()))
    # Every text above is escaped, a translated label, a badge (escaped) or a digit string.
    return Markup("".join(html))  # nosec B704


def _escaped(text: str) -> str:
    """``str(markupsafe.escape(text))``, the same characters the same way, without making a
    ``Markup`` of each of the list's hundred and fifty texts."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def _attribute(text: str) -> str:
    # Escaped, and a "%" doubled: the row is a %-format once the labels are in.
    return str(escape(text)).replace("%", "%%")
