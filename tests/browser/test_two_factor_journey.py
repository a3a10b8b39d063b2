"""In a real browser: the admin (with a second factor) creates an account; the new user
activates it, is sent to set up two-factor login, scans nothing but types the key's code,
keeps the recovery codes, and logs in again with password and code."""
import pyotp
import pytest

from coordinator.database import utcnow

from ..factories import make_user
from ..helpers import PASSWORD
from .conftest import _csp_violations, _wait_for

NEW_PASSWORD = "en lång mening som lösenord 2026"


@pytest.fixture
def app(app_factory):
    # Editors too, so the new account (whose link the admin may see) must set one up.
    return app_factory(TWO_FACTOR_ROLES=["admin", "coordinator", "editor"])


def _code(secret, ahead=0):
    totp = pyotp.TOTP(secret)
    return totp.at(utcnow().timestamp() + ahead * totp.interval)


def _fill(browser, **fields):
    from selenium.webdriver.common.by import By

    for name, value in fields.items():
        element = browser.find_element(By.ID, name)
        element.clear()
        element.send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_new_account_sets_up_two_factor_and_logs_in_with_it(app, server, browser):
    from selenium.webdriver.common.by import By

    admin_secret = pyotp.random_base32()
    with app.app_context():
        from coordinator.extensions import db

        admin = make_user("admin@gavle.example", roles=("admin",))
        admin.totp_secret, admin.totp_enabled_at = admin_secret, utcnow()
        db.session.commit()

    # The admin: password, then the code.
    browser.get(server + "/auth/login")
    _fill(browser, email="admin@gavle.example", password=PASSWORD)
    _wait_for(browser, "<h1>Tvåstegsverifiering</h1>")
    _fill(browser, code=_code(admin_secret))
    _wait_for(browser, "<h1>Konton</h1>")
    browser.find_element(By.LINK_TEXT, "Nytt konto").click()
    browser.find_element(By.ID, "email").send_keys("redaktor@gavle.example")
    browser.find_element(By.ID, "display_name").send_keys("Rut Redaktör")
    browser.find_element(By.CSS_SELECTOR, "input[name=roles][value=editor]").click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "/auth/activate/")
    link = browser.find_element(By.CSS_SELECTOR, ".link-box code").text
    assert link.startswith("http://localhost/auth/activate/")  # BASE_URL of the tests; the path is what counts
    link = server + link[len("http://localhost"):]

    # The new user, in a browser of their own: the link, a password, the login.
    browser.delete_all_cookies()
    browser.get(link)
    _fill(browser, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    _wait_for(browser, "Logga in med det")
    _fill(browser, email="redaktor@gavle.example", password=NEW_PASSWORD)
    _wait_for(browser, "<h1>Ställ in tvåstegsverifiering</h1>")
    assert browser.find_element(By.CSS_SELECTOR, ".qr-code svg").is_displayed()
    secret = browser.find_element(By.CSS_SELECTOR, "code.secret").text.replace(" ", "")
    _fill(browser, code=_code(secret), password=NEW_PASSWORD)
    _wait_for(browser, "<h1>Dina reservkoder</h1>")
    codes = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "ul.recovery-codes code")]
    assert len(codes) == 10
    browser.find_element(By.LINK_TEXT, "Jag har sparat koderna").click()
    _wait_for(browser, "Logga ut")

    # Next time: password and a code (a later one: the first was used up).
    browser.delete_all_cookies()
    browser.get(server + "/auth/login")
    _fill(browser, email="redaktor@gavle.example", password=NEW_PASSWORD)
    _wait_for(browser, "<h1>Tvåstegsverifiering</h1>")
    _fill(browser, code=_code(secret, ahead=1))
    _wait_for(browser, "Nyhetsbrevet")
    assert "/auth/" not in browser.current_url
    assert _csp_violations(browser) == []
