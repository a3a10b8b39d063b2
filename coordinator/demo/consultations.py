"""Demo consultations: officers' requests with threads and the coordinator's own log."""
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import func, select

from ..consultations import services
from ..consultations.models import Consultation
from ..extensions import db

NAME = "consultations"

PERIOD_START = date(2018, 8, 20)
PERIOD_END = date(2018, 12, 7)

CASES = (
    dict(
        area="hrv",
        sector="upper_secondary",
        hrv_forms=["control", "psychological"],
        perpetrators=["parents", "siblings"],
        genders=["girl_woman"],
        age_bands=["13-17"],
        urgency="not_acute",
        situation=(
            "Eleven, 16 år, berättar för kuratorn att hon inte får delta i skolans aktiviteter efter "
            "skoltid och att en äldre bror följer henne till och från skolan. Hon är rädd att "
            "familjen ska få veta att hon pratat med skolan."
        ),
        advice=(
            "Kuratorn rekommenderas att göra en orosanmälan och att inte kontakta vårdnadshavarna "
            "innan socialtjänsten har gjort en skyddsbedömning. Samordnaren stöttar vid behov."
        ),
    ),
    dict(
        area="hrv",
        sector="upper_secondary",
        hrv_forms=["forced_marriage", "control"],
        perpetrators=["parents", "relatives"],
        genders=["girl_woman"],
        age_bands=["13-17"],
        urgency="acute",
        situation=(
            "En elev i årskurs 2 berättar att familjen planerar en resa till föräldrarnas hemland "
            "under jullovet och att hon tror att hon ska giftas bort. Hon vill inte åka."
        ),
        advice=(
            "Akut orosanmälan till socialtjänsten samma dag. Informera om möjligheten till "
            "utreseförbud och kontakta polisen. Hänvisning till Länsstyrelsens stödtelefon för "
            "yrkesverksamma."
        ),
    ),
    dict(
        area="hrv",
        sector="social_children",
        hrv_forms=["physical", "psychological"],
        perpetrators=["parents"],
        genders=["boy_man"],
        age_bands=["13-17"],
        urgency="not_acute",
        situation=(
            "Handläggaren har en pojke, 14 år, som uppger att han blivit slagen av pappan efter att "
            "ha setts med en flickvän. Modern är med i samtalen och tonar ned händelsen."
        ),
        advice=(
            "Genomför samtal med pojken enskilt. Gör en riskbedömning med stöd av PATRIARK och "
            "överväg placering om hotbilden kvarstår."
        ),
    ),
    dict(
        area="hrv",
        sector="compulsory_school",
        hrv_forms=["control"],
        perpetrators=["parents"],
        genders=["girl_woman"],
        age_bands=["0-12"],
        urgency="not_acute",
        situation=(
            "Skolan är orolig för en flicka i årskurs 6 som inte får delta i simundervisningen eller "
            "på lägerskolan. Hon verkar ledsen och isolerad från klasskamraterna."
        ),
        advice=(
            "Inled med ett samtal med vårdnadshavarna om skolans uppdrag. Dokumentera och återkom om "
            "oron ökar; orosanmälan kan bli aktuell."
        ),
    ),
    dict(
        area="hrv",
        sector="preschool",
        hrv_forms=["fgm"],
        perpetrators=["parents", "relatives"],
        genders=["girl_woman"],
        age_bands=["0-12"],
        urgency="acute",
        situation=(
            "Förskolan har hört att en flicka på avdelningen ska resa utomlands under sommaren och "
            "att en släkting talat om att hon ska ”bli ren”. Personalen är mycket oroliga."
        ),
        advice=(
            "Gör en orosanmälan omgående. Socialtjänsten kan ansöka om ingripande enligt LVU vid risk "
            "för könsstympning. Samordnaren kontaktar familjecentralens projekt."
        ),
    ),
    dict(
        area="hrv",
        sector="social_adults",
        hrv_forms=["psychological", "control"],
        perpetrators=["partner", "partner_family"],
        genders=["girl_woman"],
        age_bands=["18-25"],
        urgency="not_acute",
        situation=(
            "En ung kvinna, drygt 20 år, söker stöd hos socialtjänsten. Hon beskriver att makens "
            "familj kontrollerar hennes telefon och ekonomi och att hon inte får träffa sina vänner."
        ),
        advice=(
            "Erbjud skyddat boende via kvinnojouren om hon vill lämna. Gör en riskbedömning och "
            "informera om möjligheten till kontaktförbud."
        ),
    ),
    dict(
        area="hrv",
        sector="student_health",
        hrv_forms=["sexual", "control"],
        perpetrators=["siblings"],
        genders=["other"],
        age_bands=["18-25"],
        urgency="not_acute",
        situation=(
            "Skolsköterskan har kontakt med en elev som lever i en HBTQ-kontext och som berättar att "
            "syskon hotat att avslöja hen för släkten."
        ),
        advice=(
            "Kontakt med RFSL:s stödmottagning rekommenderas. Hänvisning till socialtjänsten för "
            "riskbedömning."
        ),
    ),
    dict(
        area="vbe",
        sector="upper_secondary",
        vbe_milieu="right",
        vbe_concerns=["radicalisation", "propaganda"],
        genders=["boy_man"],
        age_bands=["13-17"],
        urgency="not_acute",
        situation=(
            "Lärare har sett att en elev, 17 år, sprider vit makt-propaganda i klassens chatt och bär "
            "symboler på kläderna. Eleven har blivit alltmer isolerad under hösten."
        ),
        advice=(
            "Samtal med eleven tillsammans med mentor. Skolan bör följa upp och samverka med "
            "fritidsgården. Kontakt med polisens kontaktpersoner för VBE vid behov."
        ),
    ),
    dict(
        area="vbe",
        sector="social_children",
        vbe_milieu="islamist",
        vbe_concerns=["relative_worry", "radicalisation"],
        genders=["boy_man"],
        age_bands=["18-25"],
        urgency="acute",
        situation=(
            "En mamma har hört av sig till socialtjänsten och är orolig att sonen, 19 år, planerar "
            "att resa till en konfliktzon. Han har slutat umgås med gamla vänner."
        ),
        advice=(
            "Kontakta polisen omgående. CVE:s stödtelefon kan ge råd till anhöriga. Samordnaren "
            "deltar i det fortsatta samrådet."
        ),
    ),
    dict(
        area="vbe",
        sector="leisure",
        vbe_milieu="unclear",
        vbe_concerns=["propaganda", "threat_violence"],
        genders=["boy_man"],
        age_bands=["13-17"],
        urgency="not_acute",
        situation=(
            "Fritidsledarna har sett en grupp ungdomar som delar våldsbejakande filmer och uttalar "
            "hot mot andra besökare på gården."
        ),
        advice=(
            "Personalen bör sätta gränser tydligt och dokumentera. Orosanmälan för de minderåriga. "
            "Erbjud personalgruppen en informationsträff om VBE."
        ),
    ),
    dict(
        area="vbe",
        sector="social_adults",
        vbe_milieu="left",
        vbe_concerns=["threat_violence"],
        genders=["unknown"],
        age_bands=["26+"],
        urgency="not_acute",
        situation=(
            "Handläggare inom vuxenenheten har en klient som uttrycker stöd för våld mot politiska "
            "motståndare och som deltagit i våldsamma demonstrationer."
        ),
        advice=(
            "Samråd med polisen. Fortsätt motiverande samtal och följ upp om klienten söker sig bort "
            "från miljön."
        ),
    ),
    dict(
        area="vbe",
        sector="compulsory_school",
        vbe_milieu="islamist",
        vbe_concerns=["propaganda"],
        genders=["boy_man", "girl_woman"],
        age_bands=["13-17"],
        urgency="not_acute",
        situation=(
            "Skolan har uppmärksammat att några elever i årskurs 9 delar filmer från en "
            "våldsbejakande grupp och pratar om att lämna Sverige."
        ),
        advice=(
            "Skolan rekommenderas att samtala med eleverna och vårdnadshavarna, och att göra en "
            "orosanmälan. Samordnaren erbjuder skolans personal en fortbildning."
        ),
    ),
    dict(
        area="vbe",
        sector="police",
        vbe_milieu="right",
        vbe_concerns=["threat_violence"],
        genders=["boy_man"],
        age_bands=["18-25"],
        urgency="acute",
        situation=(
            "Polisens kommunpolis informerar om en ung man som hotat en skola i kommunen i sociala "
            "medier och som har kopplingar till en våldsbejakande miljö."
        ),
        advice=(
            "Samordnaren samordnar med skolan och socialtjänsten. Polisen hanterar hotet; kommunen "
            "följer upp med stödinsatser."
        ),
    ),
    dict(
        area="both",
        sector="social_children",
        hrv_forms=["control", "psychological"],
        perpetrators=["parents"],
        vbe_milieu="islamist",
        vbe_concerns=["relative_worry"],
        genders=["girl_woman"],
        age_bands=["13-17"],
        urgency="not_acute",
        situation=(
            "En flicka, 15 år, berättar om hårda regler i hemmet och om att pappan har börjat umgås "
            "med en grupp som uttrycker stöd för våld. Hon är orolig för sin lillebror."
        ),
        advice=(
            "Orosanmälan för båda barnen. Gör en riskbedömning av både hedersproblematiken och oron "
            "för radikalisering, i samråd med polisen."
        ),
    ),
    dict(
        area="other",
        sector="civil_society",
        genders=["unknown"],
        age_bands=["unknown"],
        urgency="not_acute",
        situation=(
            "Ett trossamfund vill ha råd om hur de kan prata med föräldrar om barns rättigheter och "
            "om vart de kan hänvisa när en förälder oroar sig."
        ),
        advice=(
            "Samordnaren erbjuder en informationsträff för församlingens styrelse och skickar "
            "material från Länsstyrelsen."
        ),
    ),
    dict(
        area="other",
        sector="health_care",
        genders=["girl_woman"],
        age_bands=["26+"],
        urgency="not_acute",
        situation=(
            "Barnmorskemottagningen frågar hur de ska dokumentera när en patient berättar om tidigare "
            "könsstympning."
        ),
        advice=(
            "Hänvisning till regionens rutiner och till Nationellt kompetensteam. Ingen orosanmälan "
            "krävs om inga barn är berörda."
        ),
    ),
)

MESSAGES = (
    ("officer", "Tack för rådet. Vi har gjort en orosanmälan i dag och kuratorn följer upp i morgon."),
    ("coordinator", "Bra. Hör av dig om familjen tar kontakt med skolan, så tar vi ställning till nästa steg tillsammans."),
    ("officer", "Socialtjänsten har inlett en utredning. Eleven är trygg för tillfället."),
)

# Which demo officer (index in accounts.OFFICERS) asks for a sector.
OFFICER_FOR_SECTOR = {
    "social_children": 0, "social_adults": 1, "upper_secondary": 2, "student_health": 2,
    "compulsory_school": 3, "preschool": 4, "leisure": 5,
}


def is_loaded():
    return bool(db.session.execute(select(func.count()).select_from(Consultation)).scalar_one())


def reuse(context):
    pass


def _structured_choices(rng, received):
    return dict(
        person_count=rng.choice(["1", "1", "1", "2-3", "unknown"]),
        status="closed" if received < date(2018, 11, 1) else rng.choice(["new", "ongoing", "ongoing"]),
        advice_given=rng.sample(["report_recommended", "report_made", "police_report", "protection",
                                 "referral", "follow_up_booked"], rng.randint(0, 2)),
        referred_to=rng.choice([None, None, "Länsstyrelsen Gävleborg", "RFSL Gävle", "Polisen, lokalpolisområde Gävle",
                                  "Kvinnojouren i Gävle"]),
        minutes_spent=rng.choice([15, 30, 30, 45, 60, 90]),
        follow_up_on=(received + timedelta(days=14)) if rng.random() < 0.3 else None,
    )


def _thread(rng, consultation, officer, coordinator, received):
    for role, body in MESSAGES[: rng.randint(0, len(MESSAGES))]:
        services.add_message(officer if role == "officer" else coordinator, consultation, body)
    # Old threads have been read; only the last week's stay marked as new.
    recent = received >= PERIOD_END - timedelta(days=7)
    consultation.unread_by_coordinator = recent
    consultation.unread_by_officer = recent


def load(context, count):
    rng = context.rng
    coordinator, officers = context.made["coordinator"], context.made["officers"]
    span = (PERIOD_END - PERIOD_START).days
    created = []
    for n in range(count):
        case = dict(CASES[n % len(CASES)])
        received = PERIOD_START + timedelta(days=rng.randrange(span))
        index = OFFICER_FOR_SECTOR.get(case["sector"])
        officer = officers[index] if index is not None and rng.random() < 0.6 else None
        choices = _structured_choices(rng, received)
        advice_text = case.pop("advice")
        advice = advice_text if rng.random() < 0.85 else None
        earlier = [c for c in created if c.received_on <= received]
        follows_up = rng.choice(earlier).id if earlier and rng.random() < 0.15 else None
        data = services.CaseInput(**case, **choices, advice=advice, received_on=received,
                                  follows_up_number=follows_up,
                                  channel="portal" if officer else rng.choice(["phone", "phone", "email", "meeting"]))
        if officer is not None:
            # The officer asks; the coordinator then records the rest (and links follow-ups,
            # which the officer may not be able to see).
            consultation = services.request_advice(officer, replace(data, follows_up_number=None),
                                                   received_on=received)
            services.update_consultation(coordinator, consultation, data)
            if consultation.status != "new":
                _thread(rng, consultation, officer, coordinator, received)
        else:
            consultation = services.log_consultation(coordinator, data)
        # Backdated like the rest of the demo (the services stamp the time of loading).
        consultation.created_at = consultation.created_at.replace(
            year=received.year, month=received.month, day=received.day)
        created.append(consultation)
    db.session.flush()
    return len(created)
