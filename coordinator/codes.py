"""Code lists, and the column types that store them.

A code is a stable identifier stored in the database ("girl_woman"); its label is
what people read ("Flicka/kvinna"), translated when it is shown. Every coded field
of every domain is declared with one of the two column types below, so the
database refuses an unknown code and the templates find the label from the field:

    sector: Mapped[str] = mapped_column(Code(SECTORS), nullable=False)
    hrv_forms = CodeSet(HRV_FORMS)      # many codes, stored as rows (see CodeSet)

Models to learn from: Indico's ``RichEnum`` (labels on the enum) and
``PyIntEnum`` (a column type that attaches its own CHECK constraint).
"""
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, String
from sqlalchemy.types import SchemaType, TypeDecorator
from wtforms import SelectChoice


class CodeList(Mapping):
    """An ordered mapping from stable code to lazily translated label."""

    def __init__(self, name, items):
        self.name = name
        self._labels = dict(items)
        self._texts = {}  # (locale, code) -> translated label, so a long list translates each label once

    def __getitem__(self, code):
        return self._labels[code]

    def __iter__(self):
        return iter(self._labels)

    def __len__(self):
        return len(self._labels)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __repr__(self):
        return f"CodeList({self.name!r})"

    def label(self, code):
        """The label of ``code``; an unknown code (never stored: the CHECK refuses it) as itself."""
        return self._labels.get(code, code)

    def labels(self, codes):
        """Labels of ``codes`` in the list's own order (not the order given)."""
        wanted = set(codes)
        return [label for code, label in self._labels.items() if code in wanted]

    def text(self, code):
        """The label of ``code`` translated for the current locale (cached per locale)."""
        from .i18n import ui_locale

        key = (ui_locale(), code)
        if key not in self._texts:
            self._texts[key] = str(self.label(code))
        return self._texts[key]

    def options(self, blank=None):
        """Choices for a WTForms select, radio or checkbox group, with a leading blank if given."""
        options = [SelectChoice(code, label) for code, label in self._labels.items()]
        return ([SelectChoice("", blank)] + options) if blank else options

    def sort_key(self, code):
        """Position of ``code`` in the list (unknown codes last)."""
        try:
            return list(self._labels).index(code)
        except ValueError:
            return len(self._labels)


class Code(TypeDecorator, SchemaType):
    """A string column holding one code of ``codelist``; adds its own CHECK constraint,
    named ``<column>_code`` unless ``check_name`` says otherwise (a NULL passes, so a
    nullable column stays nullable)."""

    impl = String
    cache_ok = True

    def __init__(self, codelist, length=30, check_name=None):
        if max(len(code) for code in codelist) > length:
            raise ValueError(f"a code of {codelist!r} is longer than {length}")
        self.codelist = codelist
        self.check_name = check_name
        super().__init__(length)

    def _set_table(self, column, table):
        constraint = CheckConstraint(
            column.in_(list(self.codelist)), name=self.check_name or f"{column.name}_code", _type_bound=True
        )
        if constraint.table is not table:
            table.append_constraint(constraint)


class CodeSet:
    """A multi-valued code field, read and written as a list of codes, stored as rows.

    The owning model has a relationship ``code_rows`` to a table of
    ``(owner_id, field, code)`` rows, indexed on ``(field, code)``, so that
    aggregates are an SQL ``GROUP BY`` on every database::

        class Consultation(db.Model):
            code_rows = relationship(ConsultationCode, cascade="all, delete-orphan", lazy="selectin")
            hrv_forms = CodeSet(HRV_FORMS)

    Reading gives the codes in the code list's order; assigning a list replaces the
    field's rows (unknown codes are refused with ``ValueError``).
    """

    rows_attribute = "code_rows"

    def __init__(self, codelist):
        self.codelist = codelist

    def __set_name__(self, owner, name):
        self.name = name
        registry = dict(getattr(owner, "__code_sets__", {}))
        registry[name] = self
        owner.__code_sets__ = registry

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        codes = {row.code for row in getattr(obj, self.rows_attribute) if row.field == self.name}
        return [code for code in self.codelist if code in codes]

    def __set__(self, obj, values):
        wanted = set(values or ())
        unknown = wanted - set(self.codelist)
        if unknown:
            raise ValueError(f"unknown codes for {self.name}: {sorted(unknown)}")
        rows = getattr(obj, self.rows_attribute)
        for row in [r for r in rows if r.field == self.name and r.code not in wanted]:
            rows.remove(row)
        present = {r.code for r in rows if r.field == self.name}
        row_class = getattr(type(obj), self.rows_attribute).property.mapper.class_
        for code in self.codelist:
            if code in wanted and code not in present:
                rows.append(row_class(field=self.name, code=code))


def in_running_text(label):
    """A label inside a sentence: "kontroll och begränsningar" but "HRV", "Länsstyrelsen"
    kept (only a capital followed by a lower-case letter is lowered)."""
    text = str(label)
    return text[0].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text


def codelist_of(model, field):
    """The code list behind a coded field of ``model`` (a ``Code`` column or a ``CodeSet``)."""
    code_sets = getattr(model, "__code_sets__", {})
    if field in code_sets:
        return code_sets[field].codelist
    column_type = model.__table__.columns[field].type
    if not isinstance(column_type, Code):
        raise KeyError(f"{model.__name__}.{field} is not a coded field")
    return column_type.codelist


class Coded:
    """Mixin for models with coded fields: their labels, for templates and exports."""

    def label(self, field):
        """The label of a single-code field ("" when it is empty)."""
        code = getattr(self, field)
        return codelist_of(type(self), field).text(code) if code else ""

    def labels(self, field):
        """The labels of a multi-code field, in the code list's order."""
        codelist = codelist_of(type(self), field)
        return [codelist.text(code) for code in getattr(self, field)]


# The lists every domain shares ----------------------------------------------------

SECTORS = CodeList("sectors", {
    "social_children": _l("Socialtjänst, barn och unga"),
    "social_adults": _l("Socialtjänst, vuxen"),
    "preschool": _l("Förskola"),
    "compulsory_school": _l("Grundskola"),
    "upper_secondary": _l("Gymnasium"),
    "student_health": _l("Elevhälsa"),
    "health_care": _l("Hälso- och sjukvård"),
    "police": _l("Polis"),
    "probation": _l("Frivård"),
    "leisure": _l("Fritid"),
    "civil_society": _l("Civilsamhälle/trossamfund"),
    "other": _l("Annan"),
})

AREAS = CodeList("areas", {
    "hrv": _l("Hedersrelaterat våld (HRV)"),
    "vbe": _l("Våldsbejakande extremism (VBE)"),
    "both": _l("Både HRV och VBE"),
    "other": _l("Annat"),
})

GENDERS = CodeList("genders", {
    "girl_woman": _l("Flicka/kvinna"),
    "boy_man": _l("Pojke/man"),
    "other": _l("Annat"),
    "unknown": _l("Okänt"),
})

AGE_BANDS = CodeList("age_bands", {
    "0-12": _l("0–12 år"),
    "13-17": _l("13–17 år"),
    "18-25": _l("18–25 år"),
    "26+": _l("26 år eller äldre"),
    "unknown": _l("Okänd ålder"),
})

# The areas of the coordinator's own work (activities, initiatives, partners): no "annat".
WORK_AREAS = CodeList("work_areas", {
    "hrv": _l("Hedersrelaterat våld (HRV)"),
    "vbe": _l("Våldsbejakande extremism (VBE)"),
    "both": _l("Både HRV och VBE"),
})

# Age bands wholly under 18 ("under 18" is derived, never stored).
UNDER_18 = frozenset({"0-12", "13-17"})
