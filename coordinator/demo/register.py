"""Demo register: the partners, initiatives and activities of autumn 2018, as the section
"Hedersvåld och våldsbejakande extremism" of the bulletin of December 2018 describes that
work (trainings for school staff, politicians and a football club's board; network
meetings with the county board; seminars by CVE; the action plan against violent
extremism; the situation picture with the university; the dialogue with RFSL to come).
Written through the services, like every loader."""
from datetime import date

from sqlalchemy import func, select

from ..activities import services as activities
from ..extensions import db
from ..initiatives import services as initiatives
from ..partners import services as partners
from ..partners.models import Partner

NAME = "register"

# name, kind, area, status, description, next step
PARTNERS = (
    ("Länsstyrelsen Gävleborg", "authority", "both", "active",
     "Regional samordning mot hedersrelaterat våld och våldsbejakande extremism; nätverksträffar i länet.", None),
    ("Centrum mot våldsbejakande extremism (CVE)", "authority", "vbe", "active",
     "Nationellt kunskapscentrum. Seminarier och en kontaktperson för kommunerna.", None),
    ("RFSL Gävle", "nonprofit", "hrv", "potential",
     "Hedersrelaterat våld i hbtq-kontext. Kontakt etablerad under Pride i Gävle.", "Dialog ska inledas"),
    ("Högskolan i Gävle", "academia", "vbe", "active",
     "Samarbete om den lokala lägesbilden och metoden för att ta fram den.", None),
    ("Polisen, lokalpolisområde Gävle", "authority", "both", "active",
     "Samverkan i ärenden och om lägesbilden.", None),
    ("Säkerhetspolisen", "authority", "vbe", "active",
     "Direktkontakt för att begränsa felkällor vid informationsöverföring.", None),
    ("Familjecentralen Sätra", "municipal", "hrv", "active",
     "Projekt om könsstympning; samordnarens roll är rådgivande.", None),
    ("Brynäs IF", "association", "both", "active", "Idrottsförening; utbildning för styrelsen.", None),
    ("Integrationsforum", "nonprofit", "both", "active", "Arrangerar seminarier om integration.", None),
    ("Socialtjänst Gävle", "municipal", "both", "active",
     "Ledning och handläggare; samarbetet mellan socialtjänsten och skolkuratorerna.", None),
    ("Samordnaren mot våld i nära relation", "municipal", "hrv", "active",
     "Kommunens samordnare; gemensamt projekt om unga förebilder.", None),
    ("Funktionsrättsorganisationer i Gävle", "nonprofit", "hrv", "potential",
     "Hedersrelaterat våld mot personer med funktionsnedsättning.", "Kontakta för ett första möte"),
)

# title, kind, area, status, start, partners, description, progress notes (date, note, bulletin line)
INITIATIVES = (
    ("Projekt för att utbilda unga förebilder", "project", "hrv", "ongoing", date(2018, 3, 1),
     ("Samordnaren mot våld i nära relation",),
     "Unga förebilder från kulturer där hederstänkande kan förekomma utbildas för att stödja andra unga.",
     ((date(2018, 10, 15), "Arbetsgruppen har träffats; finansieringen utreds.",
       "Arbetet fortskrider inom arbetsgruppen och finansiering och struktur tar sakta form."),
      (date(2018, 11, 26), "Samarbetet mellan socialtjänsten och skolkuratorerna togs upp i projektet.",
       "Även möjligheten att förbättra samarbetet mellan socialtjänsten och skolkuratorer har behandlats inom projektet."))),
    ("Kommunens handlingsplan mot våldsbejakande extremism", "action_plan", "vbe", "ongoing", date(2018, 1, 15),
     ("Länsstyrelsen Gävleborg", "Polisen, lokalpolisområde Gävle"),
     "Handlingsplanen tas fram tillsammans med fler aktörer.",
     ((date(2018, 11, 20), "Fler aktörer bjuds in till arbetet.",
       "Arbetet med kommunens handlingsplan mot VBE intensifieras under perioden då ytterligare aktörer inkluderas."),)),
    ("Lägesbild med Högskolan i Gävle", "collaboration", "vbe", "ongoing", date(2018, 5, 1),
     ("Högskolan i Gävle", "Säkerhetspolisen"),
     "Hur den lokala lägesbilden tas fram och vilken handlingsplan som följer av den.",
     ((date(2018, 11, 8), "Direktkontakt tagen med Säkerhetspolisen.",
       "För att begränsa felkällor vid informationsöverföring har en direktkontakt tagits med Säkerhetspolisen."),)),
    ("Våldscoachgruppen", "collaboration", "both", "ongoing", date(2018, 4, 1),
     ("Samordnaren mot våld i nära relation", "Socialtjänst Gävle"),
     "Stöd till gruppen och hanteringen av ärenden där hedersrelaterat våld kan misstänkas.",
     ((date(2018, 11, 14), "Inventering gjord och förslag på åtgärder presenterat.",
       "För att utveckla hanteringen vid misstanke om hedersrelaterade ärenden har en inventering gjorts och "
       "ett förslag på åtgärder presenterats: särskilda handläggare utbildas i problematiken."),)),
    ("Samarbete med familjecentralen i Sätra om könsstympning", "collaboration", "hrv", "ongoing", date(2018, 2, 1),
     ("Familjecentralen Sätra",), "Projekt som fokuserar på könsstympning.",
     ((date(2018, 10, 30), "Samordnarens roll har blivit mer rådfrågande.",
       "Samordnarens roll i projektet har utvecklats till en mer rådfrågande roll."),)),
)

# title, kind, our role, area, status, day or month (day_fixed), partners, audience, sector, participants,
# bulletin line, initiative
ACTIVITIES = (
    ("Utbildning för skolledare och skolpersonal", "training", "organiser", "both", "done", date(2018, 9, 18), True,
     (), "skolledare och skolpersonal", "compulsory_school", 42,
     "Vi har genomfört en insats riktad till skolledare och skolpersonal.", None),
    ("Information om uppdraget för socialnämnden", "information", "organiser", "both", "done", date(2018, 10, 4), True,
     (), "socialnämnden", "other", 13, None, None),
    ("Information om uppdraget för politiker", "information", "organiser", "both", "done", date(2018, 10, 22), True,
     (), "enskilda politiker", "other", 6, None, None),
    ("Utbildning för Brynäs fotbolls styrelse", "training", "organiser", "both", "done", date(2018, 11, 13), True,
     ("Brynäs IF",), "Brynäs fotbolls styrelse", "civil_society", 11,
     "Utbildning för Brynäs fotbolls styrelse har genomförts.", None),
    ("Seminarium av CVE", "seminar", "participant", "vbe", "done", date(2018, 9, 27), True,
     ("Centrum mot våldsbejakande extremism (CVE)",), None, None, None, None, None),
    ("Webbseminarium om våldsbejakande extremism", "seminar", "participant", "vbe", "done", date(2018, 11, 6), True,
     ("Centrum mot våldsbejakande extremism (CVE)",), None, None, None, None, None),
    ("Möte med CVE:s kontaktperson för kommunerna", "cooperation_meeting", "participant", "vbe", "done",
     date(2018, 10, 17), True, ("Centrum mot våldsbejakande extremism (CVE)", "Länsstyrelsen Gävleborg"),
     None, None, None,
     "Möte har skett med CVE:s kontaktperson mot kommunerna tillsammans med Länsstyrelsens regionala samordnare.",
     None),
    ("Träff med Länsstyrelsens nätverk", "network_meeting", "participant", "both", "done", date(2018, 10, 11), True,
     ("Länsstyrelsen Gävleborg",), None, None, None, "Träff med nätverken har genomförts under perioden.", None),
    ("Seminarium via Integrationsforum", "seminar", "contributor", "both", "done", date(2018, 11, 22), True,
     ("Integrationsforum",), "yrkesverksamma", "other", 35,
     "Seminarium via Integrationsforum har genomförts under perioden.", None),
    ("Möte med socialtjänstens ledning om funktionens fortsättning", "cooperation_meeting", "organiser", "both",
     "done", date(2018, 11, 28), True, ("Socialtjänst Gävle",), None, None, None, None, None),
    ("Nätverksträff ang. VBE", "network_meeting", "participant", "vbe", "planned", date(2018, 12, 1), False,
     ("Länsstyrelsen Gävleborg",), None, None, None, "Nätverksträff ang. VBE genomförs under perioden.", None),
    ("Fortbildning i HRV", "further_training", "organiser", "hrv", "planned", date(2019, 1, 1), False,
     (), "handläggare i socialtjänsten", "social_children", None, None, None),
    ("Fortbildning i VBE", "further_training", "organiser", "vbe", "planned", date(2019, 1, 1), False,
     (), "handläggare i socialtjänsten", "social_children", None, None, None),
    ("Nya informationsträffar om uppdraget", "information", "organiser", "both", "planned", date(2019, 2, 1), False,
     (), "förvaltningar och politiker", "other", None, "Nya informationsträffar är inplanerade.", None),
    ("Lansering av samordnarrollen i sociala medier", "campaign", "organiser", "both", "planned",
     date(2018, 12, 1), False, (), None, None, None, None, None),
    ("Heldag för projektets styrgrupp", "steering_group", "organiser", "hrv", "planned", date(2018, 12, 1), False,
     ("Samordnaren mot våld i nära relation",), None, None, None,
     "En heldag för projektets styrgrupp kommer att genomföras under perioden.",
     "Projekt för att utbilda unga förebilder"),
)

# partner, contact person (invented), role, work e-mail, work phone
CONTACTS = (
    ("Länsstyrelsen Gävleborg", "Kim Lundqvist", "Regional samordnare för brottsförebyggande frågor",
     "kim.lundqvist@lansstyrelsen.example", "010-225 10 00"),
    ("Centrum mot våldsbejakande extremism (CVE)", "Robin Ek", "Kontaktperson för kommunerna",
     "robin.ek@cve.example", "08-527 44 00"),
    ("Högskolan i Gävle", "Sam Berglund", "Forskare, kriminologi", "sam.berglund@hig.example", "026-64 85 00"),
    ("Familjecentralen Sätra", "Alex Norén", "Enhetschef", "alex.noren@gavle.example", "026-17 80 00"),
)

STEPS = (
    ("RFSL Gävle", date(2018, 8, 4), "Bra kontakter etablerades under Pride i Gävle."),
)


def is_loaded():
    return bool(db.session.execute(select(func.count()).select_from(Partner)).scalar_one())


def reuse(context):
    pass


def load(context, count):
    coordinator = context.made["coordinator"]
    made = {}
    for name, kind, area, status, description, next_step in PARTNERS:
        made[name] = partners.create_partner(coordinator, partners.PartnerInput(
            name=name, kind=kind, area=area, status=status, description=description, next_step=next_step))
    db.session.flush()
    for name, person, role, email, phone in CONTACTS:
        partners.add_contact(coordinator, made[name], partners.ContactInput(name=person, role=role, email=email,
                                                                             phone=phone))
    for name, taken_on, summary in STEPS:
        partners.add_step(coordinator, made[name], taken_on, summary)
    by_title = {}
    for title, kind, area, status, starts_on, names, description, notes in INITIATIVES:
        initiative = initiatives.create_initiative(coordinator, initiatives.InitiativeInput(
            title=title, kind=kind, area=area, status=status, starts_on=starts_on, description=description,
            partners=[str(made[n].uuid) for n in names]))
        for noted_on, note, line in notes:
            initiatives.add_note(coordinator, initiative, noted_on, note, line)
        by_title[title] = initiative
    for (title, kind, role, area, status, when, day_fixed, names, audience, sector, participants, line,
         initiative) in ACTIVITIES:
        activities.create_activity(coordinator, activities.ActivityInput(
            kind=kind, area=area, title=title, our_role=role, status=status,
            held_on=when if day_fixed else None, month=None if day_fixed else when,
            audience=audience, audience_sector=sector, participants=participants, bulletin_line=line,
            partners=[str(made[n].uuid) for n in names],
            initiative=str(by_title[initiative].uuid) if initiative else None))
    db.session.flush()
    partners.link_referrals()
    return len(PARTNERS) + len(CONTACTS) + len(INITIATIVES) + len(ACTIVITIES) + len(STEPS)
