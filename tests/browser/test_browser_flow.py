"""In a real browser (Debian's headless Chromium): an officer asks for advice,
the coordinator answers, the officer reads the answer; the guard's message shows
on the page; and no Content-Security-Policy violation is reported.

Skipped where chromium/chromedriver are not installed (`make test` installs
them when it can); required when CI=true."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..conftest import IN_CI
from ..factories import make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _require_browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    if missing:
        message = f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} missing)"
        if IN_CI:
            pytest.fail(message + "; required when CI=true")
        pytest.skip(message)


@pytest.fixture
def server(app):
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture
def browser(tmp_path):
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                 "--window-size=1280,1600", "--lang=sv-SE"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def _login(driver, base, email):
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(base + "/auth/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys("korrekt häst batteri häftstift")
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(driver, "Logga ut")


def _wait_for(driver, text, timeout=10):
    """Wait until ``text`` is on the page (a click's navigation may still be under way)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, timeout).until(lambda d: text in d.page_source)
    except TimeoutException:
        main = driver.find_element("tag name", "main").text
        raise AssertionError(f"{text!r} not on {driver.current_url}:\n{main[:1500]}") from None


def _csp_violations(driver):
    return [e for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_officer_asks_coordinator_answers_in_the_browser(app, server, browser, tmp_path):
    """The whole request → advice → read flow through real pages, forms and buttons."""
    from selenium.webdriver.common.by import By

    with app.app_context():
        make_user("kurator@gavle.example", roles=("officer",), unit="Elevhälsan, gymnasiet")
        make_user("samordnare@gavle.example", roles=("coordinator",))

    # The officer asks; the guard first refuses a phone number, keeping the text.
    _login(browser, server, "kurator@gavle.example")
    _wait_for(browser, "<h1>Mina rådfrågningar</h1>")
    browser.find_element(By.LINK_TEXT, "Begär rådgivning").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=area][value=hrv]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=urgency][value=acute]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=genders][value=girl_woman]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=age_bands][value='13-17']").click()
    situation = browser.find_element(By.ID, "situation")
    situation.send_keys("Eleven, 16 år, är rädd för en resa i sommar. Mamman nås på 070-123 45 67.")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "kan identifiera en person")
    summary = browser.find_element(By.CLASS_NAME, "error-summary")
    assert "kan identifiera en person" in summary.text
    assert browser.find_element(By.CSS_SELECTOR, "mark.finding").text.startswith("070-123 45 67")
    situation = browser.find_element(By.ID, "situation")
    assert "rädd för en resa" in situation.get_attribute("value")
    situation.clear()
    situation.send_keys("Eleven, 16 år, är rädd för en resa till föräldrarnas hemland i sommar.")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "<h1>Rådfrågning nr 1</h1>")
    browser.save_screenshot(str(Path(os.environ.get("BROWSER_SCREENSHOT_DIR", tmp_path)) / "officer-detail.png"))

    # The coordinator sees it first in the queue and writes advice.
    _login(browser, server, "samordnare@gavle.example")
    _wait_for(browser, "Nya frågor (1)")
    browser.find_element(By.LINK_TEXT, "Nr 1").click()
    _wait_for(browser, "rädd för en resa")
    browser.find_element(By.LINK_TEXT, "Ändra").click()
    _wait_for(browser, "<h1>Ändra rådfrågning nr 1</h1>")
    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=ongoing]").click()
    browser.find_element(By.ID, "advice").send_keys("Gör en orosanmälan i dag; kontakta inte familjen först.")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "Ändringarna är sparade.")

    # The officer reads the answer.
    _login(browser, server, "kurator@gavle.example")
    _wait_for(browser, "Nya svar (1)")
    browser.find_element(By.LINK_TEXT, "Nr 1").click()
    _wait_for(browser, "Gör en orosanmälan i dag")
    assert _csp_violations(browser) == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_skip_link_and_focus_in_the_browser(app, server, browser):
    """The skip link is the first focusable element and moves focus to the main content."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/auth/login")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Hoppa till innehållet"
    active.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#innehall")
    assert _csp_violations(browser) == []
