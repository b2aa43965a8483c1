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

_STYLE = Style(
    background="transparent", plot_background="transparent",
    foreground="#1f2328", foreground_strong="#1f2328", foreground_subtle="#d8dde3",
    colors=("#1558a8", "#1b7f3b", "#b71c1c", "#a15c00", "#6a1b9a"),
    font_family='"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
    label_font_size=13, major_label_font_size=13, legend_font_size=14, title_font_size=16,
    value_font_size=12, tooltip_font_size=12)

_COMMON = dict(style=_STYLE, js=[], disable_xml_declaration=True, width=760, height=300,
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
    tree.set("role", "img")
    tree.set("aria-label", str(title))  # for screen readers; the page shows its own heading
    return Markup(etree.tostring(tree, encoding="unicode"))


def monthly(title: str, months: list[str], series: dict[str, dict[str, int]]) -> Markup:
    """Bars per month, one colour per series (opened/closed, held/signed)."""
    chart = Bar(x_labels=[m[2:] for m in months], x_label_rotation=0, min_scale=1,
                **_COMMON)
    for name, values in series.items():
        chart.add(name, [values.get(m, 0) for m in months])
    return _svg(chart, title)


def by_state(title: str, counts: list[tuple[str, int]]) -> Markup:
    chart = HorizontalBar(show_legend=False, **{**_COMMON, "height": 60 + 40 * len(counts)})
    chart.x_labels = [name for name, _count in counts]
    chart.add(title, [count for _name, count in counts])
    return _svg(chart, title)
