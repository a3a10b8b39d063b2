"""Charts drawn on the server as SVG (no script), every number under disclosure control, each
with a table as its text alternative (the template shows both).

* ``monthly_by_area``: consultations per month by area over the last twelve months, as
  stacked bars; each month is a protected line, and what it hides is drawn as one grey
  "dolt" segment (its size is the month's total less what is shown, which the published
  total tells anyway), never as the hidden cells.
* ``bars``: one protected line (e.g. by sector) as horizontal bars; hidden cells get no bar.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from markupsafe import Markup, escape

from ..codes import AREAS, SECTORS
from . import counting
from .disclosure import protect_line

COLOURS = {"hrv": "#1d4f91", "vbe": "#b3541e", "both": "#4b7f52", "other": "#6b5b95"}
HIDDEN_COLOUR = "#b8b8b8"


@dataclass
class Month:
    first: date
    line: object  # disclosure.ProtectedLine


@dataclass
class MonthlyChart:
    months: list
    svg: Markup
    areas: dict  # code -> label


def _months_back(today, count):
    first = today.replace(day=1)
    months = [first]
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def monthly_by_area(today, threshold, months=12):
    firsts = _months_back(today, months)
    counts = counting.monthly_by_area(firsts[0], months)
    rows = []
    for first in firsts:
        by_area = counts.get((first.year, first.month), {})
        cells = {code: by_area.get(code, 0) for code in AREAS}
        rows.append(Month(first, protect_line(cells, total=sum(cells.values()), threshold=threshold)))
    labels = {code: str(AREAS.label(code)) for code in AREAS}
    return MonthlyChart(rows, _stacked_svg(rows, labels), labels)


def _stacked_svg(rows, labels, width=640, height=220):
    left, bottom, top = 36, 36, 12
    plot_height = height - bottom - top
    highest = max([m.line.total.shown or 0 for m in rows] + [1])
    slot = (width - left) / len(rows)
    bar = slot * 0.6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 24}" role="img" '
             f'aria-labelledby="chart-monthly-title" class="chart">',
             '<title id="chart-monthly-title">Rådfrågningar per månad och område, de senaste tolv månaderna</title>',
             f'<line x1="{left}" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" stroke="#333"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{highest}</text>',
             f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end" font-size="11">0</text>']
    for index, month in enumerate(rows):
        x = left + index * slot + (slot - bar) / 2
        y = top + plot_height
        total = month.line.total
        if total.hidden:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4}" text-anchor="middle" font-size="10">&lt;5</text>')
        else:
            shown = 0
            for cell in month.line.cells:
                if cell.hidden or not cell.shown:
                    continue
                h = plot_height * cell.shown / highest
                y -= h
                shown += cell.shown
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                             f'fill="{COLOURS[cell.key]}"><title>{escape(labels[cell.key])}: {cell.shown}</title></rect>')
            rest = total.shown - shown
            if rest > 0:
                h = plot_height * rest / highest
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{HIDDEN_COLOUR}">'
                             '<title>Dolda uppgifter</title></rect>')
        label = escape(format_date(month.first, "MMM"))
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_height + 14}" text-anchor="middle" '
                     f'font-size="11">{label}</text>')
    legend_y = height + 14
    x = left
    for code, label in list(labels.items()) + [("hidden", "Dolt")]:
        colour = COLOURS.get(code, HIDDEN_COLOUR)
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(label)}</text>')
        x += 14 + 7 * len(label) + 12
    parts.append("</svg>")
    return Markup("".join(parts))


def by_sector(today, threshold, months=12):
    """Consultations of the last twelve months by requesting sector, as a protected figure."""
    from .section import Figure

    period = counting.Period(_months_back(today, months)[0], today)
    counts = counting.by_column(period, "sector")
    cells = {code: counts.get(code, 0) for code in SECTORS}
    line = protect_line(cells, total=sum(cells.values()), threshold=threshold)
    return Figure("by_sector", "Rådfrågningar per frågande verksamhet, de senaste tolv månaderna", line,
                  {code: str(SECTORS.label(code)) for code in SECTORS})


def bars(figure, width=640):
    """A protected figure (section.Figure) as horizontal bars; hidden cells have none."""
    cells = [c for c in figure.line.cells if c.value or c.hidden]
    row, label_width = 22, 220
    height = row * max(len(cells), 1) + 8
    highest = max([c.shown or 0 for c in cells] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(figure.title)}" class="chart">']
    for index, cell in enumerate(cells):
        y = 4 + index * row
        label = escape(figure.labels.get(cell.key, cell.key))
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" font-size="11">{label}</text>')
        if cell.hidden:
            parts.append(f'<text x="{label_width + 4}" y="{y + 14}" font-size="11">{escape(figure.line.text(cell))}</text>')
        else:
            w = (width - label_width - 40) * cell.shown / highest
            parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="14" fill="#1d4f91"/>')
            parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 14}" font-size="11">{cell.shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
