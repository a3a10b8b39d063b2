"""In a real browser (Debian's headless Chromium): an officer asks for advice,
the coordinator answers, the officer reads the answer; the guard's message shows
on the page; and no Content-Security-Policy violation is reported.

Skipped where chromium/chromedriver are not installed (`make test` installs
them when it can); required when CI=true."""
import os
from pathlib import Path

import pytest

from ..factories import make_user
from .conftest import _csp_violations, _login, _wait_for


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
    browser.find_element(By.LINK_TEXT, "Ny rådfrågning").click()
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
