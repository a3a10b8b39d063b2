"""Two application servers side by side, as the README's Deployment allows: two gunicorn
processes (two workers each) on one PostgreSQL schema and one Redis (the login counters
under one RATELIMIT_KEY_PREFIX of their own). What one server does, the other honours at
once: a logout, a deactivation, the login lock-outs and the address limit, the
change-password limit, and the keyring after ``keys rotate``. The lock-outs and limits run
again with the counters in the database (``database://``, the default).

The clients alternate between the servers with the same cookies; the servers trust one
proxy (PROXY_COUNT=1), so X-Forwarded-For gives each client the address it logs in from.
"""
import re
import secrets

import pytest

from tests.conftest import REDIS_URL, require

from .harness import (
    ADMIN,
    CONSULTATION_FORM,
    COORDINATOR,
    PASSWORD,
    UNREADABLE,
    UUID,
    Client,
    Register,
    Server,
    active_key,
    logged_in,
    situation_text,
    started,
    visible_text,
)

PER_ACCOUNT, PER_ACCOUNT_ALL, PER_ADDRESS, PASSWORD_CHANGES = 3, 6, 8, 3
SETTINGS = {
    "LOGIN_LIMIT_PER_ACCOUNT": f"{PER_ACCOUNT} per 15 minutes",
    "LOGIN_LIMIT_PER_ACCOUNT_ALL": f"{PER_ACCOUNT_ALL} per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": f"{PER_ADDRESS} per 15 minutes",
    "PASSWORD_CHANGE_LIMIT": f"{PASSWORD_CHANGES} per hour",
    "PROXY_COUNT": 1,
}
WRONG = "fel-lösenord-igen-42"
STORAGES = ["redis", "database"]


def address(n):
    return {"X-Forwarded-For": f"198.51.100.{n}"}


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    require("postgresql")
    register = Register("postgresql", tmp_path_factory.mktemp("two-servers") / "register", name="two",
                        settings=SETTINGS)
    try:
        register.create(requests=1)
        yield register
    finally:
        register.drop()


@pytest.fixture(scope="module", params=STORAGES)
def servers(request, register):
    """Server one and server two, with the login counters in Redis or in the database."""
    storage = request.param
    prefix = f"faults-two-{storage}-{secrets.token_hex(4)}"
    if storage == "redis":
        require("redis")
        settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    else:
        settings = {"RATELIMIT_STORAGE_URI": "database://", "RATELIMIT_KEY_PREFIX": prefix}
    one = Server(register, workers=2, name=f"one-{storage}", settings=settings)
    two = Server(register, workers=2, name=f"two-{storage}", settings=settings)
    try:
        with started(one, two):
            yield one, two
    finally:
        if storage == "redis":
            import redis

            connection = redis.Redis.from_url(REDIS_URL)
            for key in connection.scan_iter(match=f"*{prefix}*"):
                connection.delete(key)


def make_account(register, roles=("officer",)):
    from tests.factories import make_user

    email = f"konto-{secrets.token_hex(4)}@faults.example"
    with register.app():
        user = make_user(email, roles=roles, password=PASSWORD, unit="Elevhälsan, gymnasiet")
        return email, str(user.uuid)


def logged_out(response):
    return response.status == 302 and response.location.startswith("/auth/login")


redis_only = pytest.mark.parametrize("servers", ["redis"], indirect=True)


@redis_only
def test_a_logout_on_one_server_ends_the_session_on_both(register, servers):
    one, two = servers
    email, _uuid = make_account(register)
    user = logged_in(one.base, email)
    other_tab = Client(one.base)
    other_tab.cookies = dict(user.cookies)  # the same session cookie, e.g. a second tab
    for server in (one, two):
        user.base = other_tab.base = server.base
        assert user.get("/auth/account").status == 200 and other_tab.get("/auth/account").status == 200
    user.base = two.base
    assert logged_out(user.logout())
    for server in (one, two):
        other_tab.base = server.base
        assert logged_out(other_tab.get("/auth/account")), server.name


@redis_only
def test_a_deactivation_on_server_one_ends_the_session_on_server_two(register, servers):
    one, two = servers
    email, uuid = make_account(register)
    user = logged_in(two.base, email)
    assert user.get("/auth/account").status == 200
    admin = logged_in(one.base, ADMIN)
    response = admin.post_form(f"/admin/users/{uuid}/deactivate", {},
                               token_page=f"/admin/users/{uuid}/deactivate/confirm")
    assert response.status == 302 and response.location == "/admin/users"
    assert logged_out(user.get("/auth/account"))
    for server in (one, two):
        again = Client(server.base).login(email)
        assert again.status == 200, (server.name, again.status, again.location)  # refused, on both


@pytest.mark.parametrize("servers", STORAGES, indirect=True)
def test_the_lockout_per_account_and_address_holds_across_servers(register, servers):
    """From one address, failures alternate between the servers; after PER_ACCOUNT tries every
    further one is refused on both, the right password too. From another address the
    account's holder still logs in (the lock is per account and address)."""
    email, _uuid = make_account(register)
    statuses = [Client(servers[i % 2].base, headers=address(10)).login(email, WRONG).status
                for i in range(PER_ACCOUNT + 3)]
    assert statuses == [200] * PER_ACCOUNT + [429] * 3
    for server in servers:
        assert Client(server.base, headers=address(10)).login(email).status == 429, server.name
    assert Client(servers[1].base, headers=address(11)).login(email).status == 302


@pytest.mark.parametrize("servers", STORAGES, indirect=True)
def test_the_lockout_over_all_addresses_holds_across_servers(register, servers):
    """One failure from each of PER_ACCOUNT_ALL addresses, alternating servers; then the
    account is refused from any address on both, the right password too."""
    email, _uuid = make_account(register)
    statuses = [Client(servers[n % 2].base, headers=address(20 + n)).login(email, WRONG).status
                for n in range(PER_ACCOUNT_ALL)]
    assert statuses == [200] * PER_ACCOUNT_ALL
    for n, server in enumerate(servers):
        assert Client(server.base, headers=address(40 + n)).login(email).status == 429, server.name


@pytest.mark.parametrize("servers", STORAGES, indirect=True)
def test_the_address_limit_holds_across_servers(register, servers):
    """PER_ADDRESS failures from one address, each for another account, alternating servers;
    then that address is refused on both, for an account it never tried."""
    statuses = [Client(servers[n % 2].base, headers=address(60)).login(f"ingen-{n}-{secrets.token_hex(3)}@faults.example",
                                                                         WRONG).status
                for n in range(PER_ADDRESS)]
    assert statuses == [200] * PER_ADDRESS
    email, _uuid = make_account(register)
    for server in servers:
        assert Client(server.base, headers=address(60)).login(email).status == 429, server.name
    assert Client(servers[0].base, headers=address(61)).login(email).status == 302


@pytest.mark.parametrize("servers", STORAGES, indirect=True)
def test_the_password_change_limit_holds_across_servers(register, servers):
    email, _uuid = make_account(register)
    user = logged_in(servers[0].base, email)
    statuses = []
    for n in range(PASSWORD_CHANGES + 2):
        user.base = servers[n % 2].base
        statuses.append(user.post_form("/auth/password", {
            "current_password": WRONG, "new_password": "ett helt nytt lösenord 2024", "confirm": "ett helt nytt lösenord 2024",
        }).status)
    assert statuses == [200] * PASSWORD_CHANGES + [429] * 2


def _write_and_read(writer, reader, register, key_id, n):
    situation = situation_text(7, 1, n)
    response = writer.post_form("/consultations/new", dict(CONSULTATION_FORM, situation=situation))
    assert response.status == 302, response.status
    uuid = response.location.rsplit("/", 1)[1]
    assert re.fullmatch(UUID, uuid), response.location
    stored = register.query(f"SELECT situation FROM consultations WHERE uuid = '{uuid}'")[0][0]
    assert stored.startswith(f"enc1:{key_id}:"), (stored[:30], key_id)
    page = reader.get(f"/consultations/{uuid}")
    assert page.status == 200 and situation in visible_text(page.text), page.status
    assert UNREADABLE not in visible_text(page.text)
    return uuid


@redis_only
def test_the_keyring_after_a_rotation_reaches_both_servers(register, servers):
    """``keys rotate`` while both serve: what server one writes afterwards is under the new
    key and opens on server two, and the other way round; nothing was restarted."""
    one, two = servers
    on_one, on_two = logged_in(one.base, COORDINATOR), logged_in(two.base, COORDINATOR)
    old_key = active_key(register)
    before = _write_and_read(on_one, on_two, register, old_key, 1)
    done = register.flask("keys", "rotate")
    assert done.returncode == 0, done.stdout + done.stderr
    new_key = active_key(register)
    assert new_key != old_key
    _write_and_read(on_one, on_two, register, new_key, 2)
    _write_and_read(on_two, on_one, register, new_key, 3)
    for client in (on_one, on_two):
        page = client.get(f"/consultations/{before}")  # re-encrypted by the rotation
        assert page.status == 200 and UNREADABLE not in visible_text(page.text)
