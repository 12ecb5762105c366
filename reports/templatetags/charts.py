"""A small server-side SVG bar chart: no script, nothing loaded from other hosts."""

from django import template
from django.utils.html import format_html, format_html_join

from reports.numbers import format_number

register = template.Library()

BAR, GAP, HEIGHT, TOP, BOTTOM = 44, 20, 120, 18, 22


@register.simple_tag
def bar_chart(trend):
    """Bars for (year, value) points; a missing value shows as 「无」, not as zero."""
    points = trend.points
    width = len(points) * (BAR + GAP) + GAP
    top = trend.maximum or 1
    parts = []
    for i, (year, value) in enumerate(points):
        x = GAP + i * (BAR + GAP)
        if value is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="na">无</text>', x + BAR / 2, TOP + HEIGHT - 4
                )
            )
        else:
            h = max(1.0, float(value) / float(top) * HEIGHT)
            y = TOP + HEIGHT - h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}"></rect>',
                    x,
                    f"{y:.1f}",
                    BAR,
                    f"{h:.1f}",
                )
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="value">{}</text>',
                    x + BAR / 2,
                    f"{y - 4:.1f}",
                    format_number(value),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="year">{}</text>', x + BAR / 2, TOP + HEIGHT + 16, year
            )
        )
    summary = "；".join(
        f"{year}年{format_number(v) if v is not None else '无数据'}" for year, v in points
    )
    return format_html(
        '<svg class="bar-chart" viewBox="0 0 {} {}" role="img" aria-label="{}：{}">{}</svg>',
        width,
        TOP + HEIGHT + BOTTOM,
        trend.indicator.label,
        summary,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
