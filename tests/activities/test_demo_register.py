"""The demo holds the seed bulletin's autumn: partners, initiatives and activities."""
from sqlalchemy import func, select

from coordinator.activities.models import Activity
from coordinator.anonymity import find_identifiers
from coordinator.consultations.models import Consultation
from coordinator.demo import register
from coordinator.extensions import db
from coordinator.initiatives.models import Initiative, ProgressNote
from coordinator.partners.models import Partner


def _count(model, *where):
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_demo_load_adds_the_autumn_of_2018(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "register: loaded" in result.output, result.output
    with app.app_context():
        assert _count(Partner) == len(register.PARTNERS) and _count(Partner, Partner.status == "potential") == 2
        assert _count(Initiative) == len(register.INITIATIVES) and _count(ProgressNote) >= 5
        from coordinator.partners.models import PartnerContact

        assert _count(PartnerContact) == len(register.CONTACTS)
        assert _count(Activity, Activity.status == "done") >= 8 and _count(Activity, Activity.status == "planned") >= 4
        brynas = db.session.execute(select(Activity).where(Activity.kind == "training")
                                    .order_by(Activity.starts_on.desc())).scalars().first()
        assert brynas.bulletin_line == "Utbildning för Brynäs fotbolls styrelse har genomförts."
        assert [p.name for p in brynas.partners] == ["Brynäs IF"]
        # Free-text referrals naming a partner now link to it; others stay text.
        linked = _count(Consultation, Consultation.referred_to_partner_id.is_not(None))
        assert linked > 0
    again = runner.invoke(args=["demo", "load"])
    assert "register: already there" in again.output
    with app.app_context():
        assert _count(Partner) == len(register.PARTNERS)


def test_demo_register_texts_hold_no_identifier_of_a_person():
    texts = [p[4] for p in register.PARTNERS] + [i[6] for i in register.INITIATIVES]
    texts += [part for i in register.INITIATIVES for note in i[7] for part in note[1:]]
    texts += [a[0] for a in register.ACTIVITIES] + [a[11] for a in register.ACTIVITIES if a[11]]
    for text in texts:
        assert [f for f in find_identifiers(text) if f.blocking] == [], text
    from coordinator.text_guard import PROFESSIONAL_CONTACT

    for part in (p for contact in register.CONTACTS for p in contact[1:]):
        assert not any(PROFESSIONAL_CONTACT.blocks(f) for f in PROFESSIONAL_CONTACT.findings(part)), part


def test_the_demo_yields_a_section_in_the_seeds_register(app, runner):
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(args=["bulletin", "export", "--from", "2018-10-01", "--to", "2018-12-12"])
    text = result.output
    assert result.exit_code == 0 and text.startswith("## Hedersvåld och våldsbejakande extremism")
    for line in ("rådfrågningar inkommit", "Utbildning för Brynäs fotbolls styrelse har genomförts.",
                 "Arbetet fortskrider inom arbetsgruppen", "Nätverksträff ang. VBE genomförs under perioden.",
                 "Nya informationsträffar är inplanerade.", "inte hur vanligt våldet är"):
        assert line in text, line
