"""Property-based tests (Hypothesis): arbitrary values posted to every form of the
application never cause a 500.

The forms are found from ``app.url_map``: every rule that accepts POST, its URL filled with
the register's records, its fields read off the form class the view uses
(conftest.post_forms) plus the guard's "not a person" confirmations and anything the view
reads itself. Each is posted to as a role that may use it (conftest/test_access_matrix),
with a valid CSRF token of the session, 25 examples per route: any subset of the fields,
each a text (any Unicode, control and format characters, SQL and markup), a huge string,
a number or date out of range, or a list of several values; now and then a field the form
does not have. The spreadsheet upload gets arbitrary bytes as its file.

The routes are grouped by blueprint, one test each, so a register is built once per group.
"""
import io
import operator
from datetime import date

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from ..helpers import PASSWORD, csrf_token
from .conftest import EMAILS, Poster, form_fields, logged_in_client, post_forms, record_values
from .test_access_matrix import role_for

LOGGED_CASE = {"sector": "upper_secondary", "area": "hrv", "person_count": "1", "urgency": "not_acute",
               "received_on": "2018-11-05", "channel": "phone", "status": "ongoing", "situation": "Läget är oförändrat."}
GROUPS = ("auth", "admin", "audit", "consultations", "retention", "activities", "initiatives", "partners", "bulletin")
ENDS_SESSION = {"auth.logout", "auth.logout_everywhere"}
EXAMPLES = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])

SPECIAL = (
    "", " ", "\u00a0", "0", "-1", "1e309", "NaN", "null", "None", "true", "[]", "{}", "9" * 400,
    "2018-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "2018-10", "00000000-0000-0000-0000-000000000000",
    "' OR 1=1 --", "1; DROP TABLE users", "%' --", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)", "=HYPERLINK(\"http://x\")", "\ufeff", "\u202e", "e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "🙂" * 50,
    "\r\n" * 20, "\x00", "%00", "../../etc/passwd", "{{7*7}}", "${7*7}",
)
scalars = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(categories=["Cc", "Cf", "Co", "Zs", "Zl", "Zp", "Mn"]), max_size=40),
    st.sampled_from(SPECIAL),
    st.builds(operator.mul, st.text(min_size=1, max_size=4), st.integers(min_value=1_000, max_value=100_000)),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    st.floats().map(str),
)
values = st.one_of(scalars, scalars, st.lists(scalars, min_size=2, max_size=4))
uploads = st.binary(max_size=4000).map(lambda content: (io.BytesIO(content), "partner.csv"))


def _strategy(name):
    if name == "file":
        return st.one_of(uploads, values)
    return values


def form_data(names):
    """Any subset of the form's fields with arbitrary values, and perhaps a field it does not have."""
    fields = st.fixed_dictionaries({}, optional={name: _strategy(name) for name in names})
    strangers = st.dictionaries(st.text(max_size=12).filter(lambda name: name not in names and name != "csrf_token"),
                                values, max_size=2)
    return st.tuples(fields, strangers)


def as_multidict(fields, strangers, token):
    data = MultiDict()
    for name, value in {**strangers, **fields}.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    data["csrf_token"] = token
    return data


def post_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda r: r.rule)


class Sessions:
    """One client per role (anonymous included), logged in, with its CSRF token; a role whose
    session a logout ended logs in again."""

    def __init__(self, app, prepare_anonymous):
        self.app, self.prepare_anonymous, self.clients = app, prepare_anonymous, {}

    def get(self, role):
        if role not in self.clients:
            if role == "anonymous":
                client = self.app.test_client()
                self.prepare_anonymous(client)
                self.clients[role] = (client, csrf_token(client, "/auth/login"))
            else:
                client = logged_in_client(self.app, role)
                self.clients[role] = (client, csrf_token(client))
        return self.clients[role]

    def drop(self, role):
        self.clients.pop(role, None)


def waiting_for_a_second_factor(app):
    """Officer B with two-factor login on, and a client that gave her password: the code step
    (/auth/two-factor) then reads its form."""
    import pyotp

    from coordinator.auth import services, two_factor
    from coordinator.extensions import db

    with app.test_request_context():
        user = services.find_user_by_email(EMAILS["officer_b"])
        secret = two_factor.begin_enrolment(user)
        two_factor.confirm_enrolment(user, PASSWORD, pyotp.TOTP(secret).now())
        db.session.commit()

    def prepare(client):
        response = client.post("/auth/login", data={"email": EMAILS["officer_b"], "password": PASSWORD,
                                                    "csrf_token": csrf_token(client, "/auth/login")})
        assert response.headers["Location"].endswith("/auth/two-factor")

    return prepare


def with_an_activation_link(app):
    """An anonymous client that opened an activation link (/auth/activate then reads its form)."""
    from coordinator.auth import services
    from coordinator.extensions import db

    with app.test_request_context():
        token = services.issue_activation(services.find_user_by_email(EMAILS["candidate"]))
        db.session.commit()

    def prepare(client):
        assert client.get(f"/auth/activate/{token}").status_code == 302

    return prepare


def test_every_post_route_is_fuzzed(app):
    """Every rule with POST belongs to one of GROUPS and has its form in conftest.post_forms()."""
    endpoints = {rule.endpoint for rule in post_rules(app)}
    assert len(endpoints) >= 40
    assert not endpoints - set(post_forms()), f"add the forms of {sorted(endpoints - set(post_forms()))}"
    assert {endpoint.split(".")[0] for endpoint in endpoints} == set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_arbitrary_values_never_cause_a_500(app, register, group):
    waiting = waiting_for_a_second_factor(app)
    activating = with_an_activation_link(app)

    def prepare_anonymous(client):
        waiting(client)
        activating(client)

    sessions = Sessions(app, prepare_anonymous)
    values_of = record_values(register)
    rules = [rule for rule in post_rules(app) if rule.endpoint.split(".")[0] == group]
    assert rules
    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: str(values_of[name]) for name in rule.arguments})
        fuzz(sessions, rule.endpoint, role_for(rule.endpoint), url, form_fields(app, rule.endpoint))


def fuzz(sessions, endpoint, role, url, names):
    @EXAMPLES
    @given(form_data(names))
    def post(drawn):
        fields, strangers = drawn
        client, token = sessions.get(role)
        response = client.post(url, data=as_multidict(fields, strangers, token))
        response.get_data()
        response.close()
        assert response.status_code < 500, f"{role} POST {url} {endpoint}: {response.status_code}"
        if endpoint in ENDS_SESSION:
            sessions.drop(role)

    post()


# Inputs the fuzzing once found a 500 with (fixed), as fixed examples -------------------------------

def test_an_edit_version_out_of_range_is_refused(app, register):
    post = Poster(logged_in_client(app, "coordinator"))
    for version in ("9223372036854775808", "-9223372036854775809", "2147483648", "1" + "0" * 30):
        for url, data in ((f"/bulletin/{register.bulletin}/text", {"body": "En rad."}),
                          (f"/consultations/{register.request_a}/answer", {"advice": "Ett råd."}),
                          (f"/consultations/{register.logged}/edit", LOGGED_CASE)):
            response = post(url, dict(data, edit_version=version))
            assert response.status_code < 500, f"{url} edit_version={version}: {response.status_code}"


def test_a_number_too_large_for_a_float_is_refused(app, register):
    coordinator = Poster(logged_in_client(app, "coordinator"))
    officer = Poster(logged_in_client(app, "officer"))
    huge = "9" * 400
    for post, url, field in ((officer, "/consultations/request", "follows_up_number"),
                             (coordinator, "/consultations/new", "minutes_spent"),
                             (coordinator, "/consultations/new", "follows_up_number"),
                             (coordinator, f"/consultations/{register.logged}/edit", "minutes_spent"),
                             (coordinator, "/activities/new", "participants"),
                             (coordinator, f"/activities/{register.activity}/edit", "participants"),
                             (coordinator, f"/activities/{register.activity}/done", "participants")):
        response = post(url, {field: huge})
        assert response.status_code < 500, f"{url} {field}={huge[:10]}...: {response.status_code}"


def test_the_fuzzing_reaches_the_forms(app, register):
    """The control: the sessions the fuzzing posts with reach the views, so "no 500" is not
    "nothing got through": a valid form is saved, and the anonymous client stands at the
    second-factor step and on the activation form."""
    sessions = Sessions(app, lambda client: (waiting_for_a_second_factor(app)(client),
                                             with_an_activation_link(app)(client)))
    client, token = sessions.get("coordinator")
    response = client.post("/partners/new", data=as_multidict(
        {"name": "Fuzzföreningen", "kind": "association", "area": "both", "status": "active"}, {}, token))
    assert response.status_code == 302 and "/partners/" in response.headers["Location"]
    anonymous, _token = sessions.get("anonymous")
    assert 'name="code"' in anonymous.get("/auth/two-factor").get_data(as_text=True)
    assert 'name="new_password"' in anonymous.get("/auth/activate").get_data(as_text=True)
