"""``flask --app wsgi demo load``: realistic, anonymised demo data for autumn 2018,
the period of the seed bulletin. Deterministic (a fixed random seed), and only
into a database without consultations. Every text passes the anonymity guard."""
import random
from datetime import date, timedelta

from sqlalchemy import func, select

from .auth import services as accounts
from .auth.models import User, UserRole
from .consultations import services as consultations
from .consultations.models import Consultation
from .extensions import db

PERIOD_START = date(2018, 8, 20)
PERIOD_END = date(2018, 12, 7)

OFFICERS = (
    ("handlaggare.barn@demo.invalid", "Handläggare barn och unga", "Socialtjänst, barn och unga"),
    ("handlaggare.vuxen@demo.invalid", "Handläggare vuxen", "Socialtjänst, vuxen"),
    ("kurator.gymnasiet@demo.invalid", "Kurator gymnasiet", "Elevhälsan, gymnasiet"),
    ("rektor.grundskola@demo.invalid", "Biträdande rektor", "Grundskola"),
    ("forskolechef@demo.invalid", "Förskolechef", "Förskola"),
    ("fritidsledare@demo.invalid", "Fritidsledare", "Fritidsgård"),
)

# (area, sector, hrv_forms, perpetrators, vbe_milieu, vbe_concerns, genders, ages, urgency, situation, advice)
CASES = (
    ("hrv", "upper_secondary", ["control", "psychological"], ["parents", "siblings"], None, [], ["girl_woman"], ["13-17"], "not_acute",
     "Eleven, 16 år, berättar för kuratorn att hon inte får delta i skolans aktiviteter efter skoltid och att en äldre bror följer henne till och från skolan. Hon är rädd att familjen ska få veta att hon pratat med skolan.",
     "Kuratorn rekommenderas att göra en orosanmälan och att inte kontakta vårdnadshavarna innan socialtjänsten har gjort en skyddsbedömning. Samordnaren stöttar vid behov."),
    ("hrv", "upper_secondary", ["forced_marriage", "control"], ["parents", "relatives"], None, [], ["girl_woman"], ["13-17"], "acute",
     "En elev i årskurs 2 berättar att familjen planerar en resa till föräldrarnas hemland under jullovet och att hon tror att hon ska giftas bort. Hon vill inte åka.",
     "Akut orosanmälan till socialtjänsten samma dag. Informera om möjligheten till utreseförbud och kontakta polisen. Hänvisning till Länsstyrelsens stödtelefon för yrkesverksamma."),
    ("hrv", "social_children", ["physical", "psychological"], ["parents"], None, [], ["boy_man"], ["13-17"], "not_acute",
     "Handläggaren har en pojke, 14 år, som uppger att han blivit slagen av pappan efter att ha setts med en flickvän. Modern är med i samtalen och tonar ned händelsen.",
     "Genomför samtal med pojken enskilt. Gör en riskbedömning med stöd av PATRIARK och överväg placering om hotbilden kvarstår."),
    ("hrv", "compulsory_school", ["control"], ["parents"], None, [], ["girl_woman"], ["0-12"], "not_acute",
     "Skolan är orolig för en flicka i årskurs 6 som inte får delta i simundervisningen eller på lägerskolan. Hon verkar ledsen och isolerad från klasskamraterna.",
     "Inled med ett samtal med vårdnadshavarna om skolans uppdrag. Dokumentera och återkom om oron ökar; orosanmälan kan bli aktuell."),
    ("hrv", "preschool", ["fgm"], ["parents", "relatives"], None, [], ["girl_woman"], ["0-12"], "acute",
     "Förskolan har hört att en flicka på avdelningen ska resa utomlands under sommaren och att en släkting talat om att hon ska ”bli ren”. Personalen är mycket oroliga.",
     "Gör en orosanmälan omgående. Socialtjänsten kan ansöka om ingripande enligt LVU vid risk för könsstympning. Samordnaren kontaktar familjecentralens projekt."),
    ("hrv", "social_adults", ["psychological", "control"], ["partner", "partner_family"], None, [], ["girl_woman"], ["18-25"], "not_acute",
     "En ung kvinna, drygt 20 år, söker stöd hos socialtjänsten. Hon beskriver att makens familj kontrollerar hennes telefon och ekonomi och att hon inte får träffa sina vänner.",
     "Erbjud skyddat boende via kvinnojouren om hon vill lämna. Gör en riskbedömning och informera om möjligheten till kontaktförbud."),
    ("hrv", "student_health", ["sexual", "control"], ["siblings"], None, [], ["other"], ["18-25"], "not_acute",
     "Skolsköterskan har kontakt med en elev som lever i en HBTQ-kontext och som berättar att syskon hotat att avslöja hen för släkten.",
     "Kontakt med RFSL:s stödmottagning rekommenderas. Hänvisning till socialtjänsten för riskbedömning."),
    ("vbe", "upper_secondary", [], [], "right", ["radicalisation", "propaganda"], ["boy_man"], ["13-17"], "not_acute",
     "Lärare har sett att en elev, 17 år, sprider vit makt-propaganda i klassens chatt och bär symboler på kläderna. Eleven har blivit alltmer isolerad under hösten.",
     "Samtal med eleven tillsammans med mentor. Skolan bör följa upp och samverka med fritidsgården. Kontakt med polisens kontaktpersoner för VBE vid behov."),
    ("vbe", "social_children", [], [], "islamist", ["relative_worry", "radicalisation"], ["boy_man"], ["18-25"], "acute",
     "En mamma har hört av sig till socialtjänsten och är orolig att sonen, 19 år, planerar att resa till en konfliktzon. Han har slutat umgås med gamla vänner.",
     "Kontakta polisen omgående. CVE:s stödtelefon kan ge råd till anhöriga. Samordnaren deltar i det fortsatta samrådet."),
    ("vbe", "leisure", [], [], "unclear", ["propaganda", "threat_violence"], ["boy_man"], ["13-17"], "not_acute",
     "Fritidsledarna har sett en grupp ungdomar som delar våldsbejakande filmer och uttalar hot mot andra besökare på gården.",
     "Personalen bör sätta gränser tydligt och dokumentera. Orosanmälan för de minderåriga. Erbjud personalgruppen en informationsträff om VBE."),
    ("vbe", "social_adults", [], [], "left", ["threat_violence"], ["unknown"], ["26+"], "not_acute",
     "Handläggare inom vuxenenheten har en klient som uttrycker stöd för våld mot politiska motståndare och som deltagit i våldsamma demonstrationer.",
     "Samråd med polisen. Fortsätt motiverande samtal och följ upp om klienten söker sig bort från miljön."),
    ("vbe", "compulsory_school", [], [], "islamist", ["propaganda"], ["boy_man", "girl_woman"], ["13-17"], "not_acute",
     "Skolan har uppmärksammat att några elever i årskurs 9 delar filmer från en våldsbejakande grupp och pratar om att lämna Sverige.",
     "Skolan rekommenderas att samtala med eleverna och vårdnadshavarna, och att göra en orosanmälan. Samordnaren erbjuder skolans personal en fortbildning."),
    ("vbe", "police", [], [], "right", ["threat_violence"], ["boy_man"], ["18-25"], "acute",
     "Polisens kommunpolis informerar om en ung man som hotat en skola i kommunen i sociala medier och som har kopplingar till en våldsbejakande miljö.",
     "Samordnaren samordnar med skolan och socialtjänsten. Polisen hanterar hotet; kommunen följer upp med stödinsatser."),
    ("both", "social_children", ["control", "psychological"], ["parents"], "islamist", ["relative_worry"], ["girl_woman"], ["13-17"], "not_acute",
     "En flicka, 15 år, berättar om hårda regler i hemmet och om att pappan har börjat umgås med en grupp som uttrycker stöd för våld. Hon är orolig för sin lillebror.",
     "Orosanmälan för båda barnen. Gör en riskbedömning av både hedersproblematiken och oron för radikalisering, i samråd med polisen."),
    ("other", "civil_society", [], [], None, [], ["unknown"], ["unknown"], "not_acute",
     "Ett trossamfund vill ha råd om hur de kan prata med föräldrar om barns rättigheter och om vart de kan hänvisa när en förälder oroar sig.",
     "Samordnaren erbjuder en informationsträff för församlingens styrelse och skickar material från Länsstyrelsen."),
    ("other", "health_care", [], [], None, [], ["girl_woman"], ["26+"], "not_acute",
     "Barnmorskemottagningen frågar hur de ska dokumentera när en patient berättar om tidigare könsstympning.",
     "Hänvisning till regionens rutiner och till Nationellt kompetensteam. Ingen orosanmälan krävs om inga barn är berörda."),
)

MESSAGES = (
    ("officer", "Tack för rådet. Vi har gjort en orosanmälan i dag och kuratorn följer upp i morgon."),
    ("coordinator", "Bra. Hör av dig om familjen tar kontakt med skolan, så tar vi ställning till nästa steg tillsammans."),
    ("officer", "Socialtjänsten har inlett en utredning. Eleven är trygg för tillfället."),
)


def _officer_for(sector, officers):
    mapping = {
        "social_children": 0, "social_adults": 1, "upper_secondary": 2, "student_health": 2,
        "compulsory_school": 3, "preschool": 4, "leisure": 5,
    }
    index = mapping.get(sector)
    return officers[index] if index is not None else None


def _coordinator():
    user = db.session.execute(
        select(User).join(UserRole).where(UserRole.role == "coordinator").order_by(User.id).limit(1)
    ).scalar_one_or_none()
    if user is None:
        user, _token = accounts.create_user("samordnare@demo.invalid", "Samordnaren (demo)", ["coordinator"])
    return user


def _officers():
    officers = []
    for email, name, unit in OFFICERS:
        user = accounts.find_user_by_email(email)
        if user is None:
            user, _token = accounts.create_user(email, name, ["officer"], unit)
        officers.append(user)
    return officers


class NotEmpty(Exception):
    pass


def load(seed=2018, count=48):
    """Fill an empty register; returns the number of consultations created."""
    if db.session.execute(select(func.count()).select_from(Consultation)).scalar_one():
        raise NotEmpty("The database already holds consultations; demo data goes only into an empty one.")
    rng = random.Random(seed)
    coordinator = _coordinator()
    officers = _officers()
    span = (PERIOD_END - PERIOD_START).days
    created = []
    for n in range(count):
        area, sector, forms, perps, milieu, concerns, genders, ages, urgency, situation, advice = CASES[n % len(CASES)]
        received = PERIOD_START + timedelta(days=rng.randrange(span))
        officer = _officer_for(sector, officers) if rng.random() < 0.6 else None
        data = consultations.CaseInput(
            sector=sector, area=area, person_count=rng.choice(["1", "1", "1", "2-3", "unknown"]),
            genders=genders, age_bands=ages, hrv_forms=forms, perpetrators=perps, vbe_milieu=milieu,
            vbe_concerns=concerns, urgency=urgency, situation=situation,
            received_on=received, channel="portal" if officer else rng.choice(["phone", "phone", "email", "meeting"]),
            status="closed" if received < date(2018, 11, 1) else rng.choice(["new", "ongoing", "ongoing"]),
            advice=advice if rng.random() < 0.85 else None,
            advice_given=rng.sample(["report_recommended", "report_made", "police_report", "protection",
                                     "referral", "follow_up_booked"], rng.randint(0, 2)),
            referred_to=rng.choice([None, None, "Länsstyrelsen Gävleborg", "RFSL Gävle", "Polisen", "CVE"]),
            minutes_spent=rng.choice([15, 30, 30, 45, 60, 90]),
            follow_up_on=(received + timedelta(days=14)) if rng.random() < 0.3 else None,
        )
        earlier = [c for c in created if c.received_on <= received]
        if earlier and rng.random() < 0.15:
            data.follows_up_number = rng.choice(earlier).id
        consultation = consultations.log_consultation(coordinator, data)
        consultation.created_at = consultation.created_at.replace(
            year=received.year, month=received.month, day=received.day)
        if officer is not None:
            consultation.requested_by_id = officer.id
            consultation.requested_by = officer
            if consultation.status != "new":
                for role, body in MESSAGES[: rng.randint(0, len(MESSAGES))]:
                    author = officer if role == "officer" else coordinator
                    consultations.add_message(author, consultation, body)
                # Old threads have been read; only this week's stay marked as new.
                recent = received >= PERIOD_END - timedelta(days=7)
                consultation.unread_by_coordinator = recent
                consultation.unread_by_officer = recent
        created.append(consultation)
    db.session.flush()
    return len(created)
