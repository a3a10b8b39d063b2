"""Search through the blind index (consultations/search_index.py): keyed, truncated
hashes of words and prefixes; only candidates are decrypted; the index follows edits,
messages and key rotation."""
from datetime import date

from sqlalchemy import func, select, text

from coordinator import crypto, encryption
from coordinator.admin import keys
from coordinator.consultations import search_index, services
from coordinator.consultations.models import ConsultationSearchTerm
from coordinator.extensions import db

from ..factories import make_consultation, make_user


def _found(coordinator, query, **filters):
    return [c.id for c in services.search(coordinator, query, filters).hits]


def test_index_rows_are_small_numbers_never_words(ctx):
    coordinator = make_user(roles=("coordinator",))
    consultation = make_consultation(coordinator, situation="Eleven berättar om tvångsäktenskap och hot.")
    db.session.commit()
    rows = db.session.execute(select(ConsultationSearchTerm)).scalars().all()
    assert rows and all(r.consultation_id == consultation.id for r in rows)
    assert all(isinstance(r.term, int) and 0 <= r.term < 2 ** 16 for r in rows)
    raw = " ".join(str(v) for v in db.session.execute(text("SELECT * FROM consultation_search_terms")).all())
    assert "tvång" not in raw and "hot" not in raw


def test_prefix_words_fields_and_messages(ctx):
    coordinator = make_user(roles=("coordinator",))
    officer = make_user(roles=("officer",))
    a = make_consultation(coordinator, situation="Oro på skolan för en elev.", advice="Kontakta Länsstyrelsen.")
    b = make_consultation(None, officer=officer, situation="Fritidsgården ser propaganda.")
    services.add_message(officer, b, "Nu har även skolkuratorn hört av sig.")
    db.session.commit()
    assert _found(coordinator, "skol") == [b.id, a.id]  # newest first (same day: the later id first)
    assert _found(coordinator, "länsstyrelsen") == [a.id]
    assert _found(coordinator, "LÄNSSTYRELSEN kontakta") == [a.id]
    assert _found(coordinator, "propaganda skolkuratorn") == [b.id]
    assert _found(coordinator, "propaganda länsstyrelsen") == []
    assert _found(coordinator, "!!") == []


def test_only_candidates_are_decrypted(ctx, monkeypatch):
    coordinator = make_user(roles=("coordinator",))
    for n in range(40):
        make_consultation(coordinator, situation=f"Vanlig beskrivning nummer {n} av läget i familjen.")
    rare = make_consultation(coordinator, situation="Här nämns ordet hedersförtryck en gång.")
    db.session.commit()
    db.session.expire_all()
    calls = []
    real = encryption.decrypt
    monkeypatch.setattr(encryption, "decrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert _found(coordinator, "hedersförtryck") == [rare.id]
    assert len(calls) <= 10, "the table was decrypted, not only the candidates"


def test_the_index_follows_edits(ctx):
    coordinator = make_user(roles=("coordinator",))
    c = make_consultation(coordinator, situation="Gammal text om simundervisning.")
    db.session.commit()
    assert _found(coordinator, "simundervisning") == [c.id]
    data = services.CaseInput(sector=c.sector, area=c.area, situation="Ny text om lägerskolan.",
                              received_on=c.received_on, channel=c.channel, status=c.status)
    services.update_consultation(coordinator, c, data)
    db.session.commit()
    assert _found(coordinator, "simundervisning") == []
    assert _found(coordinator, "lägerskolan") == [c.id]


def test_colliding_values_are_dropped_by_the_confirmation(app_factory):
    """With 2 bits nearly every word shares a value: candidates abound, hits stay exact."""
    app = app_factory(SEARCH_INDEX_BITS=2)
    with app.test_request_context():
        coordinator = make_user(roles=("coordinator",))
        a = make_consultation(coordinator, situation="Texten handlar om fotboll.")
        make_consultation(coordinator, situation="Texten handlar om simning.")
        db.session.commit()
        distinct = db.session.execute(select(func.count(func.distinct(ConsultationSearchTerm.term)))).scalar_one()
        assert distinct <= 4
        assert _found(coordinator, "fotboll") == [a.id]


def test_filters_narrow_the_search(ctx):
    coordinator = make_user(roles=("coordinator",))
    old = make_consultation(coordinator, situation="Oro för radikalisering.", received_on=date(2017, 5, 1))
    new = make_consultation(coordinator, situation="Oro för radikalisering.", received_on=date(2018, 5, 1))
    db.session.commit()
    assert _found(coordinator, "radikal") == [new.id, old.id]
    assert _found(coordinator, "radikal", date_from=date(2018, 1, 1)) == [new.id]


def test_rotation_rebuilds_the_index_and_search_works_throughout(app, tmp_path):
    with app.test_request_context():
        coordinator = make_user(roles=("coordinator",))
        c = make_consultation(coordinator, situation="Samtal om könsstympning.")
        db.session.commit()
        old_key = app.extensions["keyring"].current().active_id
        coordinator_id, consultation_id = coordinator.id, c.id
    # A new key, nothing rebuilt yet: rows under the old key are still searched.
    crypto.add_key(tmp_path / "keys")
    with app.test_request_context():
        coordinator = db.session.get(type(coordinator), coordinator_id)
        app.extensions["keyring"].reload()
        assert keys.pending_count() > 0
        assert _found(coordinator, "könsstympning") == [consultation_id]
        result = keys.rotate()
        new_key = app.extensions["keyring"].current().active_id
        assert result.reindexed == 1 and keys.pending_count() == 0
        assert set(db.session.execute(select(ConsultationSearchTerm.key_id)).scalars()) == {new_key}
        assert _found(coordinator, "könsstympning") == [consultation_id]
        keys.retire(old_key)


def test_reindex_command_fills_a_missing_index(app, runner):
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        c = make_consultation(coordinator, situation="Texten om hedersnormer.")
        db.session.execute(ConsultationSearchTerm.__table__.delete())
        db.session.commit()
        coordinator_id, consultation_id = coordinator.id, c.id
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 1 consultations" in result.output
    with app.test_request_context():
        assert _found(db.session.get(type(coordinator), coordinator_id), "hedersnormer") == [consultation_id]
    assert "Indexed 0" in runner.invoke(args=["search", "reindex"]).output


def test_words_are_normalised_like_the_query():
    assert search_index.words("Skolan, CVE:s STÖDTELEFON – ja!") == ["skolan", "cve", "stödtelefon", "ja"]


def test_every_prefix_of_a_search_word_must_match_so_collisions_give_few_candidates(app_factory):
    """With 6 bits one prefix collides with almost anything; requiring all of a word's
    prefixes keeps the candidates (what gets decrypted) near the true matches."""
    from coordinator.consultations.models import Consultation

    app = app_factory(SEARCH_INDEX_BITS=6)
    with app.test_request_context():
        coordinator = make_user(roles=("coordinator",))
        for n in range(30):
            make_consultation(coordinator, situation=f"Familjen och skolan har träffats {n} gånger om läget.")
        rare = make_consultation(coordinator, situation="Oro för kusinäktenskap i familjen.")
        db.session.commit()
        condition = search_index.matching("kusinäktenskap")
        candidates = db.session.execute(select(Consultation.id).where(condition)).scalars().all()
        assert rare.id in candidates and len(candidates) <= 5
        assert _found(coordinator, "kusinäktenskap") == [rare.id]
