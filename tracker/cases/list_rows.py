"""The case list's table rows, drawn in Python.

The list shows fifty rows of six cells; drawn by a Jinja loop they were a fifth of the page's
time (a dozen escaped expressions, a filter and a function call per row). Here the labels of
the header cells, the categories and the state badges are made once per list, and each row is
one format string whose every text from the database is escaped.
"""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from tracker.cases.labels import state_badge
from tracker.core.labels import label
from tracker.core.templating import link_to_each

_ROW = ('<tr><td data-label="{l_number}"><a href="{url}">{number}</a></td>'
        '<td data-label="{l_title}"><a href="{url}">{title}</a></td>'
        '<td data-label="{l_compound}">{compound}</td>'
        '<td data-label="{l_category}">{category}</td>'
        '<td data-label="{l_state}">{state}</td>'
        '<td data-label="{l_raised}">{raised}</td></tr>\n')


def case_rows(cases) -> Markup:
    """``<tr>`` rows for rows of ``tracker.cases.queries.LIST_COLUMNS``."""
    # The header texts again, for the phone layout (each cell says what it is).
    cell_labels = {
        "l_number": escape(_("Number")), "l_title": escape(_("Title")),
        "l_compound": escape(_("Compound")), "l_category": escape(_("Category")),
        "l_state": escape(_("State")), "l_raised": escape(_("Raised on"))}
    link = link_to_each("cases.case_detail", "case_id")
    zone = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    categories, badges = {}, {}
    html = []
    for case in cases:
        if case.category not in categories:
            categories[case.category] = escape(label(case.category))
        if case.state not in badges:
            badges[case.state] = state_badge(case.state)
        html.append(_ROW.format(
            url=link(case.id), number=escape(case.number), title=escape(case.title),
            compound=escape(case.compound_name), category=categories[case.category],
            state=badges[case.state], raised=case.raised_at.astimezone(zone).strftime("%Y-%m-%d"),
            **cell_labels))
    # Every text above is escaped, a translated label, a badge (escaped) or a digit string.
    return Markup("".join(html))  # nosec B704
