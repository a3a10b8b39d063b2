"""Data for the page benchmark (bench/pages.py): a register of N consultations.

The schema comes from the migrations (``flask_migrate.upgrade()``); the rows go into the
models' own tables in batches of 2,000 consultations, through the column types' bind
processing and then straight to the driver (``executemany`` on SQLite, ``COPY`` on
PostgreSQL; see ``bulk_insert``), with the search index's secondary index (and on
PostgreSQL its foreign key) built once after the load. What is generated:

- one coordinator and about 60 officers with units; one "busy" officer asked about 4 %
  of all consultations; the coordinator and the busy officer have ``PASSWORD``;
- N consultations received over the last five years: most closed, about 150 new, about
  5 % with a follow-up date in the past and not closed, about 3 % unread by the
  coordinator, about 60 % portal requests by officers; their multi-valued codes as rows
  of ``consultation_codes``;
- free text encrypted exactly as the models do (``encryption.encrypt`` bound to table,
  column and the record's UUID): a situation of about 250 characters for every
  consultation, made of Swedish sentences in which ``COMMON_WORD`` is frequent and
  ``RARE_WORD`` turns up about once in 4,000; advice for about 80 %;
- message threads (1-3 messages on about 30 % of the portal requests);
- one audit event per consultation, hash-chained with the application's own digest, and
  the chain head updated, so ``flask audit verify`` passes;
- the search index, when ``coordinator/consultations/search_index.py`` offers
  ``rows_for(consultation_id, texts)`` (skipped while it does not exist).
"""
import importlib
import random
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import flask_migrate
from sqlalchemy import func, insert, select, text, update

from coordinator import encryption
from coordinator.audit.models import AuditChainHead, AuditEvent
from coordinator.audit.services import GENESIS, _digest
from coordinator.auth.models import User, UserRole
from coordinator.auth.passwords import hash_password
from coordinator.consultations import choices
from coordinator.consultations.models import Consultation, ConsultationCode, ConsultationMessage
from coordinator.database import local_today
from coordinator.extensions import db

# Raise when the generated data changes, so --keep regenerates older data.
DATA_VERSION = 2

PASSWORD = "bänkprov-för-sidor-och-svarstider-2024"
COORDINATOR_EMAIL = "samordnare@bench.example"
BUSY_OFFICER_EMAIL = "handlaggare01@bench.example"
OFFICER_COUNT = 60

COMMON_WORD = "familjen"
RARE_WORD = "kusinäktenskap"
RARE_SHARE = 1 / 4000

BATCH = 2000  # consultations per insert batch (their codes, messages and events with them)
YEARS = 5
NEW_COUNT = 150
DUE_SHARE = 0.05
ONGOING_EXTRA_SHARE = 0.01
UNREAD_COORDINATOR_SHARE = 0.03
UNREAD_OFFICER_SHARE = 0.02
PORTAL_SHARE = 0.60
BUSY_SHARE = 0.04
ADVICE_SHARE = 0.82  # of the answered (not new) ones: about 80 % of all
REFERRED_SHARE = 0.15
FOLLOWS_UP_SHARE = 0.04
THREAD_SHARE = 0.30

SITUATION_SENTENCES = (
    "Eleven berättar att familjen bestämmer vem hon får umgås med efter skoltid.",
    "Kuratorn är orolig för att familjen planerar en resa till släktingar utomlands i sommar.",
    "Flickan säger att en äldre bror följer henne till och från skolan varje dag.",
    "Handläggaren beskriver att familjen har tagit ifrån ungdomen telefonen och nycklarna.",
    "Pojken uppger att han blivit slagen hemma efter att ha setts med en flickvän.",
    "Modern är med i samtalen och tonar ned det som har hänt.",
    "Ungdomen vill inte att familjen ska få veta att hon har pratat med någon.",
    "Skolan har märkt hög frånvaro under de senaste veckorna och eleven verkar ledsen.",
    "Hon får inte delta i simundervisningen eller följa med på lägerskolan.",
    "Det finns uppgifter om att en förlovning har planerats utan att hon tillfrågats.",
    "Personalen på fritidsgården har hört ungdomar tala om hot mot en kamrat.",
    "En anhörig hör av sig och är orolig för att en ung man har dragits in i en extrem miljö.",
    "Läraren har sett att eleven delar propaganda i sociala medier och i klassens chatt.",
    "Socialsekreteraren vill veta hur en skyddsbedömning kan göras utan att familjen varnas.",
    "Kvinnan berättar att hennes mans släkt kontrollerar hennes ekonomi och kontakter.",
    "Hon är rädd för vad som händer om familjen får veta att hon vill skilja sig.",
    "Det är oklart om det finns fler syskon i hemmet som utsätts för samma kontroll.",
    "Vårdcentralen har träffat en ung kvinna med skador som inte stämmer med förklaringen.",
    "Polisen har tagit emot en anmälan om olaga hot från en släkting.",
    "Frivården har en klient som uttrycker stöd för våld mot meningsmotståndare.",
    "Ungdomen har flyttat till en kompis och vill inte åka hem igen.",
    "Familjen har nyligen flyttat hit och har inget nätverk i kommunen.",
    "Eleven har berättat för sin mentor att hon känner sig övervakad hela tiden.",
    "En förening hör av sig om en medlem som verkar ha radikaliserats under det senaste året.",
    "Pappan har sagt att dottern ska gifta sig inom familjen när hon fyller arton.",
    "Förskolan har uppmärksammat att ett barn pratar om en kommande resa och en fest.",
    "Den unge mannen har lämnat skolan och umgås med en grupp som förespråkar våld.",
    "Syskonen har hotat henne när hon har kommit hem sent från träningen.",
    "Handläggaren undrar om det finns skäl att kontakta polisen redan nu.",
    "Hon säger att hon inte får ha kontakt med pojkar och att mobilen kontrolleras.",
    "Ungdomsmottagningen har träffat en ung person som är rädd för sin familj.",
    "Det finns en oro för att barnet ska föras ut ur landet under lovet.",
    "Eleven har slutat komma till idrotten och säger att familjen inte tillåter det.",
    "Den som ringer vill vara anonym och beskriver en situation i grannskapet.",
    "Läget har förvärrats sedan förra kontakten och hoten har blivit tydligare.",
)
RARE_SENTENCES = (
    f"Släkten har börjat tala om {RARE_WORD} och hon har fått se bilder på en kusin.",
    f"Handläggaren frågar hur {RARE_WORD} ska bedömas när båda är över arton år.",
)
ADVICE_SENTENCES = (
    "Gör en orosanmälan till socialtjänsten i dag.",
    "Kontakta inte vårdnadshavarna innan socialtjänsten har gjort en skyddsbedömning.",
    "Samtala med ungdomen enskilt och dokumentera det som sägs.",
    "Gör en riskbedömning med stöd av en strukturerad bedömningsmall.",
    "Kontakta polisen om hotbilden är akut.",
    "Informera om stödtelefonen för yrkesverksamma och om kompetensteamet.",
    "Boka en uppföljning inom två veckor.",
    "Överväg skyddat boende om hotet kvarstår.",
    "Ta hjälp av elevhälsan och planera nästa samtal tillsammans.",
    "Hänvisa den anhöriga till kommunens stöd för oroliga närstående.",
    "Samordnaren deltar gärna i ett konsultationsmöte med arbetsgruppen.",
    "Stäm av med chefen innan beslut fattas om fortsatta insatser.",
)
MESSAGE_BODIES = (
    "Tack för svaret. Vi har gjort en orosanmälan och återkommer efter mötet.",
    "Ungdomen har varit frånvarande i dag igen. Hur ska vi gå vidare?",
    "Jag har pratat med kollegan på socialtjänsten och de tar över ärendet.",
    "Kan vi boka ett samtal i morgon förmiddag?",
    "Läget är lugnare nu, men vi fortsätter att följa det.",
    "Jag skickar med mer information om vad som har hänt sedan sist.",
    "Ring gärna när du har möjlighet, det har kommit fram nya uppgifter.",
    "Vi har fått kontakt med familjen och planerar ett nytt möte.",
)
REFERRALS = (
    "Socialtjänsten, barn och unga", "Länsstyrelsens kompetensteam", "Polisen", "Kvinnojouren",
    "Ungdomsmottagningen", "Stödtelefonen för yrkesverksamma", "Elevhälsan",
)
UNITS = (  # (unit, how many officers work there)
    ("Socialtjänsten, barn och unga", 12), ("Socialtjänsten, vuxen", 6), ("Grundskola, Centrum", 8),
    ("Gymnasiet, Norra", 7), ("Elevhälsan", 6), ("Förskolan Solen", 3), ("Polisen, lokalpolisområdet", 5),
    ("Hälso- och sjukvård, vårdcentralen", 4), ("Frivården", 3), ("Fritid, Ungdomens hus", 4),
    ("Civilsamhälle, föreningsstödet", 2),
)
SECTOR_WEIGHTS = {
    "social_children": 24, "social_adults": 9, "preschool": 3, "compulsory_school": 14,
    "upper_secondary": 14, "student_health": 10, "health_care": 7, "police": 8, "probation": 3,
    "leisure": 4, "civil_society": 2, "other": 2,
}
AREA_WEIGHTS = {"hrv": 65, "vbe": 15, "both": 5, "other": 15}
CHANNEL_WEIGHTS = {"phone": 50, "email": 30, "meeting": 20}  # of the non-portal ones
PERSON_COUNT_WEIGHTS = {"1": 70, "2-3": 18, "4+": 4, "unknown": 8}
ACUTE_SHARE = 0.10


@dataclass
class Dataset:
    """What a generated register holds, as the benchmark needs to know it."""

    size: int
    coordinator_email: str = COORDINATOR_EMAIL
    officer_email: str = BUSY_OFFICER_EMAIL
    password: str = PASSWORD
    search_index: bool = False
    seconds: float = 0.0
    data_version: int = DATA_VERSION
    # Consultations whose text holds the word: what a search should find (before its limit).
    common_texts: int = 0
    rare_texts: int = 0


# Schema ------------------------------------------------------------------------------

def migrate_schema():
    """Create or bring the schema up to date by the migrations (inside the app context)."""
    flask_migrate.upgrade()


def consultation_count():
    return db.session.execute(select(func.count()).select_from(Consultation)).scalar_one()


# Search index (built by the other half of the project; optional) ----------------------

def _frozen(row):
    """A row without its consultation id, hashable (rows of sentences are kept this way)."""
    return tuple(sorted((k, v) for k, v in row.items() if k != "consultation_id"))


@dataclass
class SearchIndex:
    """``rows_for`` and its table, with a cache of the rows of each sentence.

    The texts are made of a small pool of sentences, and an index of words is the union of
    the indexes of its sentences, so a consultation's rows are put together from cached
    rows of its sentences: 100,000 consultations take seconds instead of minutes. This is
    checked against ``rows_for`` itself on the first 50 consultations and every 500th; on a
    difference the cache is dropped and ``rows_for`` is called for every consultation.
    """

    rows_for: object
    table: object
    by_sentence: dict = field(default_factory=dict)
    cache_ok: bool = True
    checked: int = 0

    def rows(self, consultation_id, texts):
        """The index rows of one consultation; ``texts``: each text as its list of sentences."""
        plain = [" ".join(sentences) for sentences in texts]
        if not self.cache_ok:
            return list(self.rows_for(consultation_id, plain))
        frozen = set()
        for sentence in (s for sentences in texts for s in sentences):
            if sentence not in self.by_sentence:
                self.by_sentence[sentence] = {_frozen(r) for r in self.rows_for(consultation_id, [sentence])}
            frozen |= self.by_sentence[sentence]
        rows = [dict(items, consultation_id=consultation_id) for items in frozen]
        if self.checked < 50 or consultation_id % 500 == 0:
            self.checked += 1
            direct = list(self.rows_for(consultation_id, plain))
            if {_frozen(r) for r in direct} != frozen:
                print("  search_index.rows_for is not the union of its sentences' rows: calling it for each")
                self.cache_ok = False
                return direct
        return rows


def find_search_index():
    """``search_index.rows_for`` and the table its rows go to, or None while there is none."""
    try:
        module = importlib.import_module("coordinator.consultations.search_index")
    except ImportError:
        return None
    rows_for = getattr(module, "rows_for", None)
    if not callable(rows_for):
        return None
    table = _search_index_table(module)
    if table is None:
        print("  search_index.rows_for exists but its table was not found: index not filled")
        return None
    return SearchIndex(rows_for, table)


def _search_index_table(module):
    for name in ("TABLE", "table"):
        candidate = getattr(module, name, None)
        if candidate is not None and hasattr(candidate, "c"):
            return candidate
    for value in vars(module).values():
        table = getattr(value, "__table__", None)
        if table is not None and (getattr(value, "__module__", "") == module.__name__ or "search" in table.name):
            return table
    tables = [t for name, t in db.metadata.tables.items() if "search" in name]
    return tables[0] if len(tables) == 1 else None


# Users -------------------------------------------------------------------------------

@dataclass
class Staff:
    coordinator_id: int
    busy_officer_id: int
    officer_ids: list
    officer_sector: dict  # officer id -> the sector their unit suggests


def insert_staff(rng, now):
    """The coordinator, the officers (the first is the busy one) and their roles."""
    password_hash = hash_password(PASSWORD)
    users = [_user(1, COORDINATOR_EMAIL, "Samordnaren", None, password_hash, now)]
    roles = [{"user_id": 1, "role": "coordinator"}]
    units = [unit for unit, count in UNITS for _ in range(count)]
    officer_sector = {}
    for number in range(1, OFFICER_COUNT + 1):
        user_id = number + 1
        unit = units[(number - 1) % len(units)]
        email = f"handlaggare{number:02d}@bench.example"
        users.append(_user(user_id, email, f"Handläggare {number:02d}", unit,
                           password_hash if email == BUSY_OFFICER_EMAIL else None, now))
        roles.append({"user_id": user_id, "role": "officer"})
        officer_sector[user_id] = choices.sector_for_unit(unit) or "other"
    db.session.execute(insert(User.__table__), users)
    db.session.execute(insert(UserRole.__table__), roles)
    officer_ids = sorted(officer_sector)
    return Staff(1, officer_ids[0], officer_ids, officer_sector)


def _user(user_id, email, name, unit, password_hash, now):
    return {
        "id": user_id, "uuid": uuid.uuid4(), "email": email, "display_name": name, "unit": unit,
        "password_hash": password_hash, "must_change_password": False, "active": True,
        "created_at": now - timedelta(days=YEARS * 366), "password_changed_at": now if password_hash else None,
    }


# Texts --------------------------------------------------------------------------------

def situation_sentences(rng):
    """About 250 characters of Swedish sentences; a rare word in one text of 4,000."""
    sentences = []
    if rng.random() < RARE_SHARE:
        sentences.append(rng.choice(RARE_SENTENCES))
    while sum(len(s) + 1 for s in sentences) < 220:
        sentences.append(rng.choice(SITUATION_SENTENCES))
    rng.shuffle(sentences)
    return sentences


def advice_sentences(rng):
    return rng.sample(ADVICE_SENTENCES, rng.randint(1, 3))


def encrypted(model, field, plaintext, record_uuid):
    """(column key, token) for ``model.field`` as ``EncryptedField`` would store it."""
    descriptor = getattr(model, field)
    column_key = getattr(model, descriptor.storage).property.columns[0].key
    token = encryption.encrypt(plaintext, table=model.__tablename__, column=descriptor.column,
                               record_id=record_uuid)
    return column_key, token


# Consultations -------------------------------------------------------------------------

def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def received_dates(rng, size, today):
    """``size`` dates over the last five years, more in recent years, oldest first."""
    days = YEARS * 365
    return sorted(today - timedelta(days=int(days * rng.random() ** 1.3)) for _ in range(size))


@dataclass
class Plan:
    """Which consultations get which status and flags (ids are 1..size, oldest first)."""

    new: set
    due: set
    ongoing: set
    portal: set
    busy: set
    unread_coordinator: set
    unread_officer: set


def plan_register(rng, size):
    ids = range(1, size + 1)
    newest = list(ids[-min(size, NEW_COUNT * 3):])
    new = set(rng.sample(newest, min(len(newest), NEW_COUNT)))
    older = [i for i in ids if i not in new]
    due = set(rng.sample(older, int(size * DUE_SHARE)))
    rest = [i for i in older if i not in due]
    ongoing = set(rng.sample(rest, int(size * ONGOING_EXTRA_SHARE)))
    portal = {i for i in ids if rng.random() < PORTAL_SHARE}
    busy = set(rng.sample(sorted(portal), min(len(portal), int(size * BUSY_SHARE))))
    answered = sorted(portal - new)
    unread_coordinator = set(rng.sample(answered, min(len(answered), int(size * UNREAD_COORDINATOR_SHARE))))
    unread_officer = set(rng.sample(answered, min(len(answered), int(size * UNREAD_OFFICER_SHARE))))
    return Plan(new, due, ongoing, portal, busy, unread_coordinator, unread_officer)


def at_work_hours(rng, day):
    """A UTC timestamp on ``day`` during office hours."""
    return datetime(day.year, day.month, day.day, rng.randint(6, 15), rng.randint(0, 59),
                    rng.randint(0, 59), tzinfo=timezone.utc)


class Generator:
    """Builds the rows of one batch of consultations at a time."""

    def __init__(self, rng, staff, plan, today, now, search_index):
        self.rng, self.staff, self.plan = rng, staff, plan
        self.today, self.now = today, now
        self.search_index = search_index
        self.message_id = 0
        self.event_id = 0
        self.common_texts = self.rare_texts = 0
        self.prev_hash = GENESIS
        other_officers = [i for i in staff.officer_ids if i != staff.busy_officer_id]
        # A few officers ask much more than others (Zipf-like), the busy one most of all.
        self.officers = other_officers
        self.officer_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(other_officers))]

    def batch(self, ids, dates):
        rows = {"consultations": [], "codes": [], "messages": [], "events": [], "index": []}
        for consultation_id, received_on in zip(ids, dates):
            self.consultation(consultation_id, received_on, rows)
        return rows

    def requester(self, consultation_id):
        if consultation_id in self.plan.busy:
            return self.staff.busy_officer_id
        return self.rng.choices(self.officers, weights=self.officer_weights)[0]

    def status(self, consultation_id):
        if consultation_id in self.plan.new:
            return "new"
        if consultation_id in self.plan.due or consultation_id in self.plan.ongoing:
            return "ongoing"
        return "closed"

    def consultation(self, consultation_id, received_on, rows):
        rng, plan = self.rng, self.plan
        record_uuid = uuid.uuid4()
        portal = consultation_id in plan.portal
        status = self.status(consultation_id)
        requested_by = self.requester(consultation_id) if portal else None
        created_by = requested_by or self.staff.coordinator_id
        created_at = min(at_work_hours(rng, received_on), self.now - timedelta(minutes=5))
        closed_at = min(created_at + timedelta(days=rng.randint(1, 30)), self.now) if status == "closed" else None
        updated_at = closed_at or created_at
        if consultation_id in plan.unread_coordinator:
            updated_at = max(updated_at, self.now - timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 23)))
        area = weighted(rng, AREA_WEIGHTS)
        sector = self.staff.officer_sector[requested_by] if portal else weighted(rng, SECTOR_WEIGHTS)
        row = {
            "id": consultation_id, "uuid": record_uuid, "received_on": received_on,
            "channel": "portal" if portal else weighted(rng, CHANNEL_WEIGHTS),
            "sector": sector, "area": area, "requested_by_id": requested_by, "created_by_id": created_by,
            "follows_up_id": (rng.randint(1, consultation_id - 1)
                              if consultation_id > 1 and rng.random() < FOLLOWS_UP_SHARE else None),
            "person_count": weighted(rng, PERSON_COUNT_WEIGHTS),
            "vbe_milieu": rng.choice(list(choices.VBE_MILIEUS)) if area in ("vbe", "both") else None,
            "urgency": "acute" if rng.random() < ACUTE_SHARE else "not_acute",
            "status": status, "minutes_spent": rng.randint(10, 180) if status != "new" else None,
            "follow_up_on": self.follow_up_on(consultation_id, received_on, status),
            "unread_by_officer": consultation_id in plan.unread_officer,
            "unread_by_coordinator": consultation_id in plan.unread_coordinator or (portal and status == "new"),
            "created_at": created_at, "updated_at": updated_at, "closed_at": closed_at,
            "edit_version": rng.randint(1, 3),
        }
        texts = self.add_texts(row, record_uuid, status)
        rows["consultations"].append(row)
        rows["codes"] += [dict(code, received_on=received_on) for code in self.codes(consultation_id, area, status)]
        if portal and rng.random() < THREAD_SHARE:
            texts += self.thread(consultation_id, requested_by, created_at, rows["messages"])
        rows["events"].append(self.event(created_by, "consultation.request" if portal else "consultation.create",
                                         record_uuid, created_at))
        self.count_words(texts)
        if self.search_index is not None:
            rows["index"] += self.search_index.rows(consultation_id, texts)

    def count_words(self, texts):
        """Count the consultations a search for COMMON_WORD and RARE_WORD should find."""
        plain = " ".join(s for sentences in texts for s in sentences).casefold()
        self.common_texts += COMMON_WORD in plain
        self.rare_texts += RARE_WORD in plain

    def follow_up_on(self, consultation_id, received_on, status):
        if consultation_id in self.plan.due:
            return min(received_on + timedelta(days=self.rng.randint(7, 60)), self.today - timedelta(days=1))
        if status == "ongoing":
            return self.today + timedelta(days=self.rng.randint(1, 30)) if self.rng.random() < 0.5 else None
        if status == "closed" and self.rng.random() < 0.1:
            return received_on + timedelta(days=self.rng.randint(7, 60))
        return None

    def add_texts(self, row, record_uuid, status):
        """Encrypt the free text into ``row``; returns the texts, each as its sentences."""
        answered = status != "new"
        texts = [situation_sentences(self.rng),
                 advice_sentences(self.rng) if answered and self.rng.random() < ADVICE_SHARE else None,
                 [self.rng.choice(REFERRALS)] if answered and self.rng.random() < REFERRED_SHARE else None]
        for name, sentences in zip(("situation", "advice", "referred_to"), texts):
            key, token = (encrypted(Consultation, name, " ".join(sentences), record_uuid) if sentences
                          else (self.column_key(name), None))
            row[key] = token
        return [t for t in texts if t]

    @staticmethod
    def column_key(field):
        return getattr(Consultation, getattr(Consultation, field).storage).property.columns[0].key

    def codes(self, consultation_id, area, status):
        rng = self.rng
        fields = {
            "genders": rng.sample(list(choices.GENDERS), 1 if rng.random() < 0.85 else 2),
            "age_bands": rng.sample(list(choices.AGE_BANDS), 1 if rng.random() < 0.8 else 2),
        }
        if area in ("hrv", "both"):
            fields["hrv_forms"] = rng.sample(list(choices.HRV_FORMS), rng.randint(1, 3))
            fields["perpetrators"] = rng.sample(list(choices.PERPETRATORS), rng.randint(1, 2))
        if area in ("vbe", "both"):
            fields["vbe_concerns"] = rng.sample(list(choices.VBE_CONCERNS), rng.randint(1, 2))
        if status != "new":
            fields["advice_given"] = rng.sample(list(choices.ADVICE_GIVEN), rng.randint(0, 3))
        return [{"consultation_id": consultation_id, "field": field, "code": code}
                for field, codes in fields.items() for code in codes]

    def thread(self, consultation_id, officer_id, created_at, messages):
        """1-3 messages, the officer and the coordinator taking turns; returns their bodies
        (each as a list of one sentence, like the other texts)."""
        bodies = []
        for turn in range(self.rng.randint(1, 3)):
            self.message_id += 1
            message_uuid = uuid.uuid4()
            body = self.rng.choice(MESSAGE_BODIES)
            key, token = encrypted(ConsultationMessage, "body", body, message_uuid)
            messages.append({
                "id": self.message_id, "uuid": message_uuid, "consultation_id": consultation_id,
                "author_id": officer_id if turn % 2 == 0 else self.staff.coordinator_id,
                "created_at": min(created_at + timedelta(hours=4 * (turn + 1)), self.now), key: token,
            })
            bodies.append([body])
        return bodies

    def event(self, actor_id, action, object_uuid, occurred_at):
        """An audit event chained onto the previous one with the application's digest."""
        self.event_id += 1
        values = {
            "id": self.event_id, "occurred_at": occurred_at.replace(microsecond=0), "actor_id": actor_id,
            "action": action, "object_type": Consultation.__tablename__, "object_uuid": object_uuid,
            "remote_addr": "127.0.0.1", "detail": None,
        }
        values["prev_hash"] = self.prev_hash
        values["hash"] = _digest(self.prev_hash, _Event(values))
        self.prev_hash = values["hash"]
        return values


class _Event:
    """The attributes ``audit.services._digest`` reads, from a row dict."""

    def __init__(self, values):
        self.__dict__.update(values)


# Loading --------------------------------------------------------------------------------

def bulk_insert(table, rows):
    """Insert ``rows`` (dicts keyed by column) into a model's ``table`` in one go.

    The values go through their column types' bind processing, as in a Core insert, and
    then straight to the driver: ``executemany`` on SQLite, ``COPY`` on PostgreSQL (where
    psycopg's executemany sends one statement per row). The search index has about 180
    rows per consultation, so 100,000 consultations are some 18 million rows: through
    ``session.execute(insert(table), rows)`` they took over 20 minutes on PostgreSQL and
    minutes of SQLAlchemy's per-row parameter handling on SQLite."""
    if not rows:
        return
    dialect = db.engine.dialect
    quote = dialect.identifier_preparer
    columns = [c for c in table.columns if c.key in rows[0]]
    values = driver_values(columns, rows, dialect)
    names = ", ".join(quote.quote(c.name) for c in columns)
    if dialect.name == "postgresql":
        sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
        driver_connection = db.session.connection().connection.driver_connection
        with driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)
    else:
        placeholders = ", ".join("?" for _ in columns)
        db.session.connection().exec_driver_sql(
            f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({placeholders})", values)


def driver_values(columns, rows, dialect):
    """Tuples of the values as the driver takes them (the column types' bind processors)."""
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    keys = [c.key for c in columns]
    if not any(processors):
        return [tuple(row.get(k) for k in keys) for row in rows]
    pairs = list(zip(keys, processors))
    return [tuple(process(row.get(k)) if process else row.get(k) for k, process in pairs) for row in rows]


def insert_batch(rows, search_index):
    bulk_insert(Consultation.__table__, rows["consultations"])
    bulk_insert(ConsultationCode.__table__, rows["codes"])
    bulk_insert(ConsultationMessage.__table__, rows["messages"])
    bulk_insert(AuditEvent.__table__, rows["events"])
    if search_index is not None:
        bulk_insert(search_index.table, rows["index"])
    db.session.commit()


@contextmanager
def checks_deferred(table):
    """Drop ``table``'s secondary indexes (and on PostgreSQL its foreign keys, checked by a
    trigger per row there) for the load, and create them again after it from their own
    stored definitions: one sorted index build and one validating join instead of
    millions of single steps. The primary key and unique constraints stay."""
    indexes, foreign_keys = stored_indexes(table), stored_foreign_keys(table)
    quote = db.engine.dialect.identifier_preparer
    table_name = quote.format_table(table)
    for name, _ in foreign_keys:
        db.session.execute(text(f"ALTER TABLE {table_name} DROP CONSTRAINT {quote.quote(name)}"))
    for name, _ in indexes:
        db.session.execute(text(f"DROP INDEX {quote.quote(name)}"))
    db.session.commit()
    try:
        yield
    finally:
        for _, definition in indexes:
            db.session.execute(text(definition))
        for name, definition in foreign_keys:
            db.session.execute(text(f"ALTER TABLE {table_name} ADD CONSTRAINT {quote.quote(name)} {definition}"))
        db.session.commit()


def stored_indexes(table):
    """(name, CREATE INDEX statement) of the indexes not behind a constraint."""
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = :t AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ), {"t": table.name}).all()
    return db.session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL"
    ), {"t": table.name}).all()


def stored_foreign_keys(table):
    """(name, definition) of the foreign keys (PostgreSQL; SQLite checks them cheaply)."""
    if db.engine.dialect.name != "postgresql":
        return []
    return db.session.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"
    ), {"t": table.name}).all()


def roomy_sqlite_cache():
    """SQLite: a page cache of 512 MiB for the loading connection (the default 2 MiB makes
    every index insert a read from disk); the database file is the same either way."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA cache_size = -524288"))


def finish_audit_chain(head_hash, length):
    db.session.execute(update(AuditChainHead.__table__).where(AuditChainHead.__table__.c.id == 1)
                       .values(head_hash=head_hash, length=length))
    db.session.commit()


def reset_sequences():
    """PostgreSQL: move the id sequences past the ids given explicitly (SQLite needs nothing)."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in (User.__table__, Consultation.__table__, ConsultationMessage.__table__, AuditEvent.__table__):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"))
    db.session.commit()


def analyze():
    """PostgreSQL: statistics and the visibility map, as autovacuum would soon have them
    after a load (SQLite keeps no statistics unless ANALYZE is run, and the app never runs it)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text("VACUUM ANALYZE"))


def count_tallies(progress, started):
    """The bulletin's per-day tallies, counted once from the loaded register (what
    `flask bulletin recount` does; the bulk inserts bypass the save path that keeps them)."""
    from coordinator.bulletin import tallies

    rows = tallies.rebuild()
    db.session.commit()
    progress(f"  bulletin tallies: {rows:,} rows, {time.perf_counter() - started:.0f} s")


def generate(size, seed=20241203, progress=print):
    """Fill the (migrated, empty) database of the current app with ``size`` consultations."""
    started = time.perf_counter()
    rng = random.Random(seed)
    today, now = local_today(), datetime.now(timezone.utc)
    search_index = find_search_index()
    staff = insert_staff(rng, now)
    plan = plan_register(rng, size)
    dates = received_dates(rng, size, today)
    generator = Generator(rng, staff, plan, today, now, search_index)
    roomy_sqlite_cache()
    with ExitStack() as deferred:
        if search_index is not None:
            deferred.enter_context(checks_deferred(search_index.table))
        for start in range(0, size, BATCH):
            ids = range(start + 1, min(start + BATCH, size) + 1)
            insert_batch(generator.batch(ids, dates[start:start + BATCH]), search_index)
            if start and start % (BATCH * 25) == 0:
                progress(f"  {start:,} consultations, {time.perf_counter() - started:.0f} s")
    finish_audit_chain(generator.prev_hash, generator.event_id)
    reset_sequences()
    count_tallies(progress, started)
    analyze()
    return Dataset(size=size, search_index=search_index is not None, seconds=time.perf_counter() - started,
                   common_texts=generator.common_texts, rare_texts=generator.rare_texts)
