"""Code lists and the column types that store them (coordinator/codes.py)."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coordinator.codes import AREAS, SECTORS, CodeList, codelist_of
from coordinator.consultations import choices
from coordinator.consultations.models import Consultation, ConsultationCode
from coordinator.extensions import db

from ..factories import make_consultation, make_user


def test_codelist_is_an_ordered_mapping_with_labels_and_options():
    """Codes keep their declared order; labels are translated strings; options carry a blank."""
    assert list(AREAS) == ["hrv", "vbe", "both", "other"]
    assert "hrv" in AREAS and "nope" not in AREAS
    assert str(AREAS["vbe"]) == "Våldsbejakande extremism (VBE)"
    assert AREAS.label("unknown-code") == "unknown-code"
    options = SECTORS.options(blank="Alla")
    assert options[0].value == "" and str(options[0].label) == "Alla"
    assert [o.value for o in options[1:]] == list(SECTORS)
    assert [o.value for o in SECTORS.options()] == list(SECTORS)


def test_codelist_labels_follow_the_list_order_not_the_given_order():
    lst = CodeList("test", {"a": "A", "b": "B", "c": "C"})
    assert lst.labels(["c", "a", "x"]) == ["A", "C"]


def test_consultation_only_lists_are_codelists_and_shared_ones_come_from_codes():
    assert choices.SECTORS is SECTORS and choices.AREAS is AREAS
    for name in ("CHANNELS", "HRV_FORMS", "PERPETRATORS", "VBE_MILIEUS", "VBE_CONCERNS",
                 "URGENCIES", "ADVICE_GIVEN", "STATUSES", "PERSON_COUNTS"):
        assert isinstance(getattr(choices, name), CodeList), name


def test_codelist_of_finds_the_list_of_single_and_multi_fields():
    assert codelist_of(Consultation, "sector") is SECTORS
    assert codelist_of(Consultation, "hrv_forms") is choices.HRV_FORMS
    with pytest.raises(KeyError):
        codelist_of(Consultation, "received_on")


def test_code_column_refuses_an_unknown_code_in_the_database(app):
    """The CHECK constraint the Code type adds holds on SQLite and PostgreSQL."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        consultation = make_consultation(coordinator)
        table = Consultation.__table__
        with pytest.raises(IntegrityError):
            db.session.execute(table.update().where(table.c.id == consultation.id).values(sector="made_up"))
            db.session.flush()
        db.session.rollback()
        db.session.execute(table.update().where(table.c.id == consultation.id).values(vbe_milieu=None))
        db.session.commit()


def test_codeset_reads_and_writes_rows(app):
    """A multi-valued field is a list on the model and rows in consultation_codes."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        consultation = make_consultation(coordinator, hrv_forms=["fgm", "physical"], genders=["boy_man"])
        db.session.expire_all()
        reloaded = db.session.get(Consultation, consultation.id)
        assert reloaded.hrv_forms == ["physical", "fgm"]  # code-list order
        rows = db.session.execute(
            select(ConsultationCode.field, ConsultationCode.code)
            .where(ConsultationCode.consultation_id == consultation.id)
            .order_by(ConsultationCode.field, ConsultationCode.code)
        ).all()
        assert ("hrv_forms", "fgm") in rows and ("genders", "boy_man") in rows
        reloaded.hrv_forms = ["physical", "control"]
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Consultation, consultation.id).hrv_forms == ["physical", "control"]
        with pytest.raises(ValueError):
            reloaded.hrv_forms = ["not_a_form"]
        assert reloaded.labels("hrv_forms") == [choices.HRV_FORMS["physical"], choices.HRV_FORMS["control"]]


def test_codes_can_be_counted_with_group_by(app):
    """What the bulletin needs: counts per code in SQL, once per consultation and code."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        make_consultation(coordinator, hrv_forms=["physical", "control"])
        make_consultation(coordinator, hrv_forms=["control"])
        make_consultation(coordinator, hrv_forms=[])
        counts = dict(db.session.execute(
            select(ConsultationCode.code, func.count())
            .where(ConsultationCode.field == "hrv_forms")
            .group_by(ConsultationCode.code)
        ).all())
        assert counts == {"physical": 1, "control": 2}


def test_deleting_a_consultation_keeps_the_one_that_follows_it_up(app):
    """follows_up_id is ON DELETE SET NULL; the deleted one's code rows go with it."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        first = make_consultation(coordinator)
        second = make_consultation(coordinator, follows_up_number=first.id)
        first_id, second_id = first.id, second.id
        db.session.execute(Consultation.__table__.delete().where(Consultation.id == first_id))
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Consultation, second_id).follows_up_id is None
        left = db.session.execute(
            select(func.count()).select_from(ConsultationCode).where(ConsultationCode.consultation_id == first_id)
        ).scalar_one()
        assert left == 0
