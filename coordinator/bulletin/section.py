"""The section "Hedersvåld och våldsbejakande extremism" for a period, as structured data:
protected figures (disclosure.py) and the Swedish bullet lines drawn from them, in the
register of the bulletin ("Under perioden har … rådfrågningar inkommit", "Utbildning för …
har genomförts.", "… är inplanerade.").

The activities' and initiatives' bulletin lines are used as written; an activity without one
gets a plain line of its kind and title.
"""
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import format_date

from ..activities.choices import MEETING_KINDS, TRAINING_KINDS
from ..codes import AREAS, SECTORS, in_running_text
from ..consultations.choices import ADVICE_GIVEN, HRV_FORMS, VBE_CONCERNS
from . import counting
from .disclosure import ACROSS, COMPLEMENTARY, CONTAINS, OVERLAPS, SMALL, WITHIN, protect_line

TITLE = "Hedersvåld och våldsbejakande extremism"
FOOTNOTE = ("Siffrorna beskriver samordnarens kontakter och rådfrågningar, inte hur vanligt våldet är. "
            "Antal från 1 till {small} redovisas som ”färre än {threshold}”; ”–” betyder att uppgiften inte "
            "redovisas, så att ett litet antal inte kan räknas fram.")
WITHHELD_HEADLINE = ("Antalet rådfrågningar under perioden redovisas inte, eftersom ett litet antal annars "
                     "skulle kunna räknas fram ur ett tidigare fastställt nyhetsbrev.")
MULTIPLE_NOTE = "en rådfrågning som gäller flera {what} räknas en gång per {one}"


@dataclass
class Figure:
    """One protected line of figures with the labels of its keys."""

    name: str
    title: str
    line: object  # disclosure.ProtectedLine
    labels: dict

    def items(self):
        """(label, text) per cell, leaving out true zeros (none when the line is withheld)."""
        if self.line.withheld:
            return []
        return [(self.labels.get(c.key, c.key), self.line.text(c)) for c in self.line.cells if c.value or c.hidden]

    def published(self):
        """What this figure publishes (its texts): the snapshot kept with a fastställd bulletin."""
        return self.line.published()


@dataclass
class Section:
    period: counting.Period
    figures: dict
    lines: list  # the bullet lines of what happened
    planned: list  # the bullet lines of what is planned
    footnote: str
    explanations: list = field(default_factory=list)  # why cells are hidden (the preview)

    @property
    def title(self):
        return TITLE

    def published(self):
        return {name: figure.published() for name, figure in self.figures.items()}


def threshold():
    return current_app.config.get("BULLETIN_SUPPRESS_BELOW", 5)


def _published_for(name, period, earlier):
    """(relation, cells, total) of figure ``name`` in the overlapping fastställda bulletins
    (``earlier``: (period, figures) pairs)."""
    out = []
    for before, figures in earlier:
        figure = figures.get(name)
        if figure and not figure.get("withheld"):
            out.append((_relation(before, period), figure.get("cells", {}), figure.get("total")))
    return out


def _relation(before, period):
    if before.start <= period.start and period.end <= before.end:
        return CONTAINS
    if period.start <= before.start and before.end <= period.end:
        return WITHIN
    return OVERLAPS


def build(period, earlier=()):
    """The section for ``period``; ``earlier``: (period, published figures) of the fastställda
    bulletins whose period overlaps it (for the across-bulletin rule)."""
    t = threshold()
    figures = {}

    def protect(name, title, counts, labels, total=None, additive=True, fixed=False):
        line = protect_line(counts, total=total, additive=additive, threshold=t, total_fixed=fixed,
                            published=_published_for(name, period, earlier))
        figures[name] = Figure(name, title, line, labels)
        return figures[name]

    total, new, follow_ups = counting.consultation_totals(period)
    headline = protect("consultations", "Rådfrågningar", {"new": new, "follow_up": follow_ups},
                       {"new": "nya ärenden", "follow_up": "uppföljningar"}, total=total, fixed=True)
    headline_fixed = not headline.line.total.hidden and not headline.line.withheld
    areas = protect("by_area", "Per område", _ordered(counting.by_column(period, "area"), AREAS), _labels(AREAS),
                    total=total, fixed=headline_fixed)
    sectors = protect("by_sector", "Per frågande verksamhet", _ordered(counting.by_column(period, "sector"), SECTORS),
                      _labels(SECTORS), total=total, fixed=headline_fixed)
    persons, minors = counting.persons(period)
    people = protect("persons", "Berörda personer (nya ärenden)", {"persons": persons}, {"persons": "personer"},
                     additive=False)
    under_18 = protect("minors", "Rådfrågningar som gäller någon under 18 år",
                       {"minor": minors, "other": total - minors},
                       {"minor": "under 18 år", "other": "18 år eller äldre, eller okänd ålder"},
                       total=total, fixed=headline_fixed)
    codes = counting.codes_by_field(period, ("hrv_forms", "vbe_concerns", "advice_given"))
    hrv = protect("hrv_forms", "Former av hedersrelaterat våld", _ordered(codes.get("hrv_forms", {}), HRV_FORMS),
                  _labels(HRV_FORMS), additive=False)
    vbe = protect("vbe_concerns", "Oro gällande våldsbejakande extremism",
                  _ordered(codes.get("vbe_concerns", {}), VBE_CONCERNS), _labels(VBE_CONCERNS), additive=False)
    advice = protect("advice_given", "Råd och åtgärder", _ordered(codes.get("advice_given", {}), ADVICE_GIVEN),
                     _labels(ADVICE_GIVEN), additive=False)
    referred = counting.referrals(period)
    referrals = protect("referrals", "Hänvisningar till samverkanspartner", referred, {k: k for k in referred},
                        additive=False)
    previous_total = counting.consultation_totals(period.previous())[0]
    previous = protect("previous_period", "Föregående period av samma längd", {"total": previous_total},
                       {"total": "rådfrågningar"}, additive=False)

    lines = _consultation_lines(headline, areas, sectors, people, under_18, hrv, vbe, advice, referrals, previous)
    lines += _activity_lines(period)
    lines += [note.bulletin_line for _initiative, note in counting.progress_lines(period)]
    lines += _partner_lines(period)
    planned = _planned_lines(period)
    section = Section(period, figures, lines, planned, FOOTNOTE.format(small=t - 1, threshold=t))
    section.explanations = _explanations(figures)
    return section


def _ordered(counts, codelist):
    """The counts of every code of ``codelist`` in its order (absent codes as 0)."""
    return {code: counts.get(code, 0) for code in codelist}


def _labels(codelist):
    return {code: str(codelist.label(code)) for code in codelist}


def _listing(figure, lower=True):
    items = [f"{in_running_text(label) if lower else label} ({text})" for label, text in figure.items()]
    return ", ".join(items)


def _consultation_lines(headline, areas, sectors, people, under_18, hrv, vbe, advice, referrals, previous):
    line = headline.line
    total = line.text(line.total)
    if line.total.value == 0:
        return ["Inga rådfrågningar har inkommit under perioden."]
    if line.withheld:
        return [WITHHELD_HEADLINE]
    lines = []
    first = f"Under perioden har {total} rådfrågningar inkommit"
    new, follow_up = line.cell("new"), line.cell("follow_up")
    if follow_up.value and new.hidden and follow_up.hidden:
        first += " (nya ärenden och uppföljningar av tidigare ärenden)"
    elif follow_up.value and new.hidden:
        first += f", varav {line.text(follow_up)} uppföljningar av tidigare ärenden"
    elif follow_up.value:
        first += f", varav {line.text(new)} nya ärenden och {line.text(follow_up)} uppföljningar av tidigare ärenden"
    first += "."
    current, before = line.total, previous.line.cell("total")
    if not current.hidden and not before.hidden:
        if current.shown > before.shown:
            first += f" Det är fler än under föregående period av samma längd ({before.shown})."
        elif current.shown < before.shown:
            first += f" Det är färre än under föregående period av samma längd ({before.shown})."
        else:
            first += " Det är lika många som under föregående period av samma längd."
    lines.append(first)
    if areas.items():
        lines.append(f"Rådfrågningarna gällde {_listing(areas)}.")
    if sectors.items():
        lines.append(f"Frågorna kom från {_listing(sectors)}.")
    persons = people.line.cell("persons")
    minors = under_18.line.cell("minor")
    about_minors = None if under_18.line.withheld else (
        f"{under_18.line.text(minors)} av rådfrågningarna gällde någon under 18 år")
    if new.value and not people.line.withheld:
        lines.append(f"De nya ärendena berörde minst {people.line.text(persons)} personer"
                     + (f"; {about_minors}." if about_minors else "."))
    elif about_minors:
        lines.append(f"{about_minors[0].upper()}{about_minors[1:]}.")
    if hrv.items():
        lines.append(f"Former av hedersrelaterat våld som tagits upp: {_listing(hrv)} "
                     f"({MULTIPLE_NOTE.format(what='former', one='form')}).")
    if vbe.items():
        lines.append(f"Oro gällande våldsbejakande extremism: {_listing(vbe)} "
                     f"({MULTIPLE_NOTE.format(what='slag av oro', one='slag')}).")
    if advice.items():
        lines.append(f"Råd och åtgärder: {_listing(advice)}.")
    if referrals.items():
        lines.append(f"Hänvisningar till samverkanspartner: {_listing(referrals, lower=False)}.")
    return lines


def _activity_line(activity):
    if activity.bulletin_line:
        return activity.bulletin_line
    partners = ", ".join(p.name for p in activity.partners)
    with_partners = f" med {partners}" if partners else ""
    if activity.our_role == "participant":
        return f"Samordnaren har deltagit i {activity.title}" + (f" ({partners})." if partners else ".")
    if activity.kind in TRAINING_KINDS and activity.audience:
        return f"{activity.label('kind')} för {activity.audience} har genomförts."
    return f"{activity.title}{with_partners} har genomförts."


def _activity_lines(period):
    done = counting.activities_done(period)
    lines = [_activity_line(a) for a in done]
    trainings = [a for a in done if a.kind in TRAINING_KINDS]
    counted = [a for a in trainings if a.participants is not None]
    if counted:
        participants = sum(a.participants for a in counted)
        known = "" if len(counted) == len(trainings) else " (där antalet är känt)"
        lines.append(f"Totalt har {participants} personer deltagit i utbildningar och informationsträffar "
                     f"under perioden{known}.")
    meetings = counting.meetings_by_partner(period, MEETING_KINDS)
    if meetings:
        items = ", ".join(f"{name} ({n})" for name, n in meetings.items())
        lines.append(f"Möten med samverkanspartner under perioden: {items}.")
    return lines


def _partner_lines(period):
    lines = []
    added = counting.new_partners(period)
    if added:
        lines.append(f"Nya samverkanspartner: {', '.join(added)}.")
    for name in counting.dialogues_started(period):
        lines.append(f"Dialog med {name} har inletts.")
    return lines


def _when(activity):
    if activity.day_fixed:
        return format_date(activity.starts_on, "d MMMM")
    return format_date(activity.starts_on, "MMMM y")


def _planned_lines(period):
    lines = []
    for activity in counting.activities_planned(period):
        if activity.bulletin_line:
            lines.append(activity.bulletin_line)
        else:
            lines.append(f"{activity.title} är inplanerad ({_when(activity)}).")
    return lines


EXPLAINED = {
    SMALL: "ett antal mellan 1 och {small} redovisas som ”färre än {threshold}”",
    COMPLEMENTARY: "döljs (”–”) så att ett litet antal inte kan räknas fram ur de andra siffrorna och summan",
    ACROSS: "döljs (”–”) eftersom skillnaden mot ett redan fastställt nyhetsbrev för en överlappande period "
            "skulle vara ett litet antal",
}


def _explanations(figures):
    t = threshold()
    out = []
    for figure in figures.values():
        if figure.line.withheld:
            out.append(f"{figure.title}: redovisas inte alls, eftersom ett litet antal annars skulle kunna räknas fram.")
            continue
        for cell in figure.line.suppressed:
            label = "summan" if cell.key == "total" else figure.labels.get(cell.key, cell.key)
            out.append(f"{figure.title}, {label}: " + EXPLAINED[cell.reason].format(small=t - 1, threshold=t))
    return out
