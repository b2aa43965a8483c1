"""The dashboard's charts as inline SVG made on the server with pygal.

Inline SVG needs no script and no network (offline intranets), scales to a phone, and prints
sharply. pygal's optional tooltip script is off (``js=[]``): it would be fetched from the
internet.
"""
from __future__ import annotations

from lxml import etree
from markupsafe import Markup
from pygal import Bar, HorizontalBar
from pygal.style import Style

from tracker.core.security import csp_nonce

_STYLE = Style(
    background="transparent", plot_background="transparent",
    foreground="#1f2328", foreground_strong="#1f2328", foreground_subtle="#d8dde3",
    colors=("#1558a8", "#1b7f3b", "#b71c1c", "#a15c00", "#6a1b9a"),
    font_family='"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
    label_font_size=15, major_label_font_size=15, legend_font_size=16, title_font_size=16,
    value_font_size=14, tooltip_font_size=14)

# Drawn about the size it is shown (two charts side by side on a desktop), so its text stays
# readable after the browser scales the SVG to the column.
_COMMON = dict(style=_STYLE, js=[], disable_xml_declaration=True, width=540, height=300,
               legend_at_bottom=True, legend_at_bottom_columns=2, print_values=True,
               print_zeroes=False, show_y_guides=True, margin=10, truncate_label=-1,
               explicit_size=False)


def _svg(chart, title: str) -> Markup:
    tree = chart.render_tree()
    # pygal always writes its config as an inline script for the tooltips we do not load; a
    # chart is a picture, so drop scripts and comments.
    for node in list(tree.iter()):
        if not isinstance(node.tag, str) or node.tag.endswith("script"):
            node.getparent().remove(node)
            continue
        # The Content-Security-Policy admits pygal's <style> element by each response's nonce
        # (with_nonce); style="" attributes it refuses, so the one pygal writes (opacity: 0, on
        # the tooltip group) becomes the equivalent SVG presentation attribute.
        if (style := node.attrib.pop("style", None)) is not None:
            for declaration in filter(None, (d.strip() for d in style.split(";"))):
                name, _, value = declaration.partition(":")
                node.set(name.strip(), value.strip())
    tree.set("role", "img")
    tree.set("aria-label", str(title))  # for screen readers; the page shows its own heading
    # lxml serialises every label and title as escaped XML text: the markup is the chart's own.
    return Markup(etree.tostring(tree, encoding="unicode"))  # nosec B704


def with_nonce(chart: Markup) -> Markup:
    """The chart (drawn once per set of figures and cached, tracker.oversight.cache) with this
    response's Content-Security-Policy nonce on its <style> elements."""
    tree = etree.fromstring(str(chart))
    for node in tree.iter("{*}style"):
        node.set("nonce", csp_nonce() or "")
    # lxml serialises every text and attribute escaped: the markup is the chart's own.
    return Markup(etree.tostring(tree, encoding="unicode"))  # nosec B704


def monthly(title: str, months: list[str], series: dict[str, dict[str, int]]) -> Markup:
    """Bars per month, one colour per series (opened/closed, held/signed)."""
    rows = {name: [values.get(m, 0) for m in months] for name, values in series.items()}
    highest = max((max(values) for values in rows.values()), default=0)
    # Month numbers only ("12", "1" …); January shows its year so the turn of the year is clear.
    labels = [m[2:4] + "/1" if m.endswith("-01") else str(int(m[5:])) for m in months]
    chart = Bar(x_labels=labels, y_labels=_counts(highest), **_COMMON)
    for name, values in rows.items():
        chart.add(name, values)
    return _svg(chart, title)


def _counts(highest: int) -> list[int]:
    """Whole-number axis ticks: counts have no fractions."""
    step = max(1, -(-highest // 5))
    return list(range(0, max(highest, 1) + step, step))


def by_state(title: str, counts: list[tuple[str, int]]) -> Markup:
    highest = max((count for _name, count in counts), default=0)
    chart = HorizontalBar(show_legend=False, y_labels=_counts(highest),
                          **{**_COMMON, "height": 80 + 45 * len(counts)})
    chart.x_labels = [name for name, _count in counts]
    chart.add(title, [count for _name, count in counts])
    return _svg(chart, title)
