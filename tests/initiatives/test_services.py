"""The initiative services on both databases: writing, the checks that refuse, the list's
filters and pages, the page's bounded lists, and the audit events of writes and reads."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.extensions import db
from coordinator.initiatives import services
from coordinator.initiatives.models import Initiative, ProgressNote
from coordinator.records import DomainError, NotFound

from ..factories import make_user
from ..helpers import valid_personnummer
from .conftest import make_activity, make_initiative, make_partner, today_in_gavle


@pytest.fixture
def coordinator(ctx):
    return make_user("samordnare@gavle.example", roles=("coordinator",))


def _events(action):
    return db.session.execute(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).scalars().all()


def _input(**fields):
    values = dict(title="Lägesbild med Högskolan i Gävle", kind="collaboration", area="vbe")
    values.update(fields)
    return services.InitiativeInput(**values)


# Writing ---------------------------------------------------------------------------------

def test_create_saves_fields_partners_and_encrypted_text_and_audits(coordinator):
    college = make_partner(coordinator, "Högskolan i Gävle", kind="academia")
    services.create_initiative(coordinator, _input(
        starts_on=date(2018, 9, 1), partners=[str(college.uuid)],
        description="Lägesbilden tas fram tillsammans med forskare.",
    ))
    db.session.commit()
    coordinator_id = coordinator.id
    db.session.expunge_all()
    saved = db.session.execute(select(Initiative)).scalar_one()
    assert (saved.title, saved.kind, saved.area, saved.status) == (
        "Lägesbild med Högskolan i Gävle", "collaboration", "vbe", "ongoing")
    assert [p.name for p in saved.partners] == ["Högskolan i Gävle"]
    assert "Högskolan" not in saved.title_ciphertext and "forskare" not in saved.description_ciphertext
    [event] = _events("initiative.create")
    assert event.object_uuid == saved.uuid and event.actor_id == coordinator_id


def test_title_spaces_are_collapsed_and_a_blank_title_is_refused(coordinator):
    initiative = make_initiative(coordinator, title="  Handlingsplan   mot VBE ")
    assert initiative.title == "Handlingsplan mot VBE"
    with pytest.raises(DomainError) as refused:
        services.create_initiative(coordinator, _input(title="   "))
    assert refused.value.field == "title" and "Skriv satsningens namn" in str(refused.value)


def test_end_before_start_is_refused_on_the_end_date(coordinator):
    with pytest.raises(DomainError) as refused:
        services.create_initiative(coordinator, _input(starts_on=date(2019, 1, 10), ends_on=date(2019, 1, 9)))
    assert refused.value.field == "ends_on"
    assert str(refused.value) == "Slutdatumet kan inte ligga före startdatumet."
    initiative = make_initiative(coordinator, starts_on=date(2019, 1, 10))
    with pytest.raises(DomainError) as refused:
        services.update_initiative(coordinator, initiative, _input(starts_on=date(2019, 1, 10), ends_on=date(2018, 12, 31)))
    assert refused.value.field == "ends_on"
    db.session.rollback()
    assert db.session.get(Initiative, initiative.id).ends_on is None


def test_same_start_and_end_day_is_accepted(coordinator):
    initiative = make_initiative(coordinator, starts_on=date(2019, 3, 8), ends_on=date(2019, 3, 8))
    assert initiative.ends_on == initiative.starts_on


@pytest.mark.parametrize("partners", [[str(uuid.uuid4())], ["inte-ett-id"], [None]])
def test_an_unknown_or_malformed_partner_is_refused_on_the_partners_field(coordinator, partners):
    with pytest.raises(DomainError) as refused:
        services.create_initiative(coordinator, _input(partners=partners))
    assert refused.value.field == "partners"
    assert "samverkanspartner" in str(refused.value)


@pytest.mark.parametrize("field,value", [("kind", "party"), ("area", "other"), ("status", "forgotten"), ("kind", None)])
def test_an_unknown_code_is_refused_on_its_field(coordinator, field, value):
    with pytest.raises(DomainError) as refused:
        services.create_initiative(coordinator, _input(**{field: value}))
    assert refused.value.field == field


def test_identifiers_are_refused_in_title_and_description(coordinator):
    for change in ({"title": f"Satsning {valid_personnummer()}"},
                   {"description": "Mamman nås på 070-123 45 67 dagtid."}):
        with pytest.raises(DomainError, match="kan identifiera en person"):
            services.create_initiative(coordinator, _input(**change))


def test_update_reports_and_audits_the_changed_fields_only(coordinator):
    centre = make_partner(coordinator, "Familjecentralen i Sätra")
    initiative = make_initiative(coordinator, title="Samarbete om könsstympning", kind="collaboration", area="hrv")
    changed = services.update_initiative(coordinator, initiative, _input(
        title="Samarbete med familjecentralen i Sätra om könsstympning", kind="collaboration", area="hrv",
        status="ongoing", partners=[str(centre.uuid)],
    ))
    db.session.commit()
    assert sorted(changed) == ["partners", "title"]
    [event] = _events("initiative.update")
    assert event.detail == "fields:partners.title"
    assert services.update_initiative(coordinator, initiative, _input(
        title="Samarbete med familjecentralen i Sätra om könsstympning", kind="collaboration", area="hrv",
        status="ongoing", partners=[str(centre.uuid)])) == []
    db.session.commit()
    assert _events("initiative.update")[-1].detail is None


def test_a_change_of_partners_alone_counts_as_an_update(coordinator):
    police = make_partner(coordinator, "Polisen Gävle", kind="authority")
    initiative = make_initiative(coordinator)
    before = initiative.updated_at
    services.update_initiative(coordinator, initiative, _input(
        title=initiative.title, kind=initiative.kind, area=initiative.area, partners=[str(police.uuid)]))
    db.session.commit()
    assert initiative.updated_at > before
    services.update_initiative(coordinator, initiative, _input(
        title=initiative.title, kind=initiative.kind, area=initiative.area, partners=[]))
    db.session.commit()
    assert initiative.partners == []


def test_closing_without_an_end_date_ends_it_today(coordinator):
    initiative = make_initiative(coordinator, starts_on=date(2018, 1, 15))
    changed = services.update_initiative(coordinator, initiative, _input(
        title=initiative.title, kind=initiative.kind, area=initiative.area, starts_on=date(2018, 1, 15),
        status="closed"))
    assert initiative.ends_on == today_in_gavle()
    assert sorted(changed) == ["ends_on", "status"]


def test_closing_keeps_a_given_end_date_and_leaves_a_future_start_alone(coordinator):
    dated = make_initiative(coordinator, starts_on=date(2018, 1, 15), ends_on=date(2018, 6, 30), status="closed")
    assert dated.ends_on == date(2018, 6, 30)
    later = today_in_gavle() + timedelta(days=30)
    planned = make_initiative(coordinator, starts_on=later, status="closed")
    assert planned.ends_on is None
    fresh = make_initiative(coordinator, status="closed")
    assert fresh.ends_on == today_in_gavle()


def test_reopening_and_closing_again_keeps_the_end_date_of_the_first_close(coordinator):
    initiative = make_initiative(coordinator, ends_on=date(2018, 5, 31), status="closed")
    services.update_initiative(coordinator, initiative, _input(
        title=initiative.title, kind=initiative.kind, area=initiative.area, ends_on=date(2018, 5, 31),
        status="ongoing"))
    assert initiative.ends_on == date(2018, 5, 31)


def test_confirmed_names_are_audited(coordinator):
    initiative = services.create_initiative(coordinator, _input(confirmed_fields=["description"]))
    db.session.commit()
    [event] = _events("anonymity.name_confirmed")
    assert event.object_uuid == initiative.uuid and event.detail == "description"


def test_get_initiative_unknown_is_not_found(coordinator):
    with pytest.raises(NotFound):
        services.get_initiative(uuid.uuid4())
    initiative = make_initiative(coordinator)
    assert services.get_initiative(initiative.uuid) is initiative


# Progress notes --------------------------------------------------------------------------

def test_add_note_saves_encrypted_text_bumps_the_initiative_and_audits(coordinator):
    initiative = make_initiative(coordinator)
    before = initiative.updated_at
    line = "Arbetet fortskrider inom arbetsgruppen och finansiering och struktur tar sakta form."
    services.add_note(coordinator, initiative, date(2018, 10, 3), "Styrgruppen godkände upplägget.", line,
                      ["bulletin_line"])
    db.session.commit()
    note = db.session.execute(select(ProgressNote)).scalar_one()
    assert (note.noted_on, note.note, note.bulletin_line) == (date(2018, 10, 3), "Styrgruppen godkände upplägget.", line)
    assert "Styrgruppen" not in note.note_ciphertext and "Arbetet" not in note.bulletin_line_ciphertext
    assert initiative.updated_at > before
    [event] = _events("initiative.note")
    assert event.object_uuid == initiative.uuid
    assert [e.detail for e in _events("anonymity.name_confirmed")] == ["note.bulletin_line"]


def test_a_note_or_a_bulletin_line_alone_is_enough(coordinator):
    initiative = make_initiative(coordinator)
    only_note = services.add_note(coordinator, initiative, date(2018, 10, 3), "Bara för mig.", "  ")
    only_line = services.add_note(coordinator, initiative, date(2018, 10, 4), "", "Handlingsplanen är antagen.")
    assert (only_note.note, only_note.bulletin_line) == ("Bara för mig.", None)
    assert (only_line.note, only_line.bulletin_line) == (None, "Handlingsplanen är antagen.")


def test_a_note_with_neither_text_is_refused(coordinator):
    initiative = make_initiative(coordinator)
    with pytest.raises(DomainError) as refused:
        services.add_note(coordinator, initiative, date(2018, 10, 3), "   ", None)
    assert refused.value.field == "note"


def test_a_note_dated_in_the_future_is_refused_today_is_not(coordinator):
    initiative = make_initiative(coordinator)
    with pytest.raises(DomainError) as refused:
        services.add_note(coordinator, initiative, today_in_gavle() + timedelta(days=1), "Möte bokat.", None)
    assert refused.value.field == "noted_on" and "framtiden" in str(refused.value)
    assert services.add_note(coordinator, initiative, today_in_gavle(), "Möte hållet.", None).noted_on == today_in_gavle()


def test_identifiers_in_a_note_or_bulletin_line_are_refused(coordinator):
    initiative = make_initiative(coordinator)
    with pytest.raises(DomainError, match="kan identifiera en person"):
        services.add_note(coordinator, initiative, date(2018, 10, 3), f"Flickan har personnummer {valid_personnummer()}.", None)
    with pytest.raises(DomainError, match="kan identifiera en person"):
        services.add_note(coordinator, initiative, date(2018, 10, 3), None, "Ärendet Dnr 2018/1234 har avslutats.")


# Reading ---------------------------------------------------------------------------------

def test_detail_bounds_the_notes_and_activities_newest_first_and_audits_the_read(coordinator, monkeypatch):
    monkeypatch.setattr(services, "NOTES_SHOWN", 3)
    monkeypatch.setattr(services, "ACTIVITIES_SHOWN", 2)
    initiative = make_initiative(coordinator)
    other = make_initiative(coordinator, title="Annan satsning")
    for day in range(1, 6):
        services.add_note(coordinator, initiative, date(2018, 10, day), f"Anteckning {day}", None)
    services.add_note(coordinator, other, date(2018, 11, 1), "Hör till en annan satsning", None)
    make_activity(coordinator, initiative, "Utbildning för förebilder", date(2018, 9, 5))
    make_activity(coordinator, initiative, "Nätverksträff", date(2018, 11, 12), kind="network_meeting")
    make_activity(coordinator, initiative, "Föreläsning", date(2018, 10, 20), kind="lecture")
    make_activity(coordinator, other, "Inte här", date(2018, 12, 1))
    view = services.detail(coordinator, initiative)
    db.session.commit()
    assert [n.note for n in view.notes] == ["Anteckning 5", "Anteckning 4", "Anteckning 3"]
    assert view.notes_total == 5
    assert [a.title for a in view.activities] == ["Nätverksträff", "Föreläsning"]
    assert view.activities_total == 3
    [event] = _events("initiative.view")
    assert event.object_uuid == initiative.uuid and event.actor_id == coordinator.id


def _titles(page):
    return [i.title for i in page.items]


def test_list_filters_on_status_area_kind_and_partner(coordinator):
    centre = make_partner(coordinator, "Familjecentralen i Sätra")
    college = make_partner(coordinator, "Högskolan i Gävle", kind="academia")
    make_initiative(coordinator, "Förebilder", kind="project", area="hrv", partners=[centre])
    make_initiative(coordinator, "Handlingsplan", kind="action_plan", area="vbe", status="planned")
    make_initiative(coordinator, "Lägesbild", kind="collaboration", area="vbe", partners=[college, centre])
    make_initiative(coordinator, "Könsstympning", kind="collaboration", area="hrv", status="paused", partners=[centre])
    cases = {
        (): {"Förebilder", "Handlingsplan", "Lägesbild", "Könsstympning"},
        (("status", "planned"),): {"Handlingsplan"},
        (("area", "vbe"),): {"Handlingsplan", "Lägesbild"},
        (("kind", "collaboration"),): {"Lägesbild", "Könsstympning"},
        (("partner", str(college.uuid)),): {"Lägesbild"},
        (("partner", str(centre.uuid)),): {"Förebilder", "Lägesbild", "Könsstympning"},
        (("partner", str(centre.uuid)), ("area", "hrv"), ("status", "paused")): {"Könsstympning"},
        (("partner", str(uuid.uuid4())),): set(),
        (("partner", "inte-ett-id"),): set(),
    }
    for filters, expected in cases.items():
        page, total = services.list_page(coordinator, dict(filters), 25)
        assert set(_titles(page)) == expected, filters
        assert total == len(expected), filters


def test_list_is_newest_updated_first_in_keyset_pages_and_audits_the_read(coordinator):
    made = [make_initiative(coordinator, f"Satsning {n}") for n in range(7)]
    services.add_note(coordinator, made[0], date(2018, 10, 3), "Nytt läge.", None)  # now the most recent
    db.session.commit()
    expected = ["Satsning 0"] + [f"Satsning {n}" for n in range(6, 0, -1)]
    first, total = services.list_page(coordinator, {}, 3)
    assert total == 7 and _titles(first) == expected[:3] and not first.has_prev
    second, _total = services.list_page(coordinator, {}, 3, after=first.next_cursor)
    third, _total = services.list_page(coordinator, {}, 3, after=second.next_cursor)
    assert _titles(second) == expected[3:6] and _titles(third) == expected[6:]
    assert not third.has_next
    back, _total = services.list_page(coordinator, {}, 3, before=second.prev_cursor)
    assert _titles(back) == expected[:3]
    assert _titles(services.list_page(coordinator, {}, 3, after="nonsense")[0]) == expected[:3]
    db.session.commit()
    assert [e.detail for e in _events("initiative.list")] == ["rows:3", "rows:3", "rows:1", "rows:3", "rows:3"]
