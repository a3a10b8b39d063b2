"""Accessibility: axe-core (bundled with axe-selenium-python) finds no WCAG 2.1 A/AA
violation on the main pages, in Debian's headless Chromium, including forms showing errors."""
import pytest

from ..factories import make_consultation, make_user
from .conftest import _login, _wait_for

RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"]}})
  .then(function (r) {
    done(r.violations.map(function (v) {
      return [v.id, v.impact, v.nodes.slice(0, 3).map(function (n) { return n.target.join(" "); })];
    }));
  })
  .catch(function (e) { done([["axe-error", String(e), []]]); });
"""


def _violations(driver):
    """WCAG 2.x A/AA violations on the current page: [(rule, impact, first targets)]."""
    from axe_selenium_python import Axe

    Axe(driver).inject()  # injected through WebDriver, so the page's CSP needs no exception
    driver.set_script_timeout(60)
    return [tuple(v[:2]) + (tuple(v[2]),) for v in driver.execute_async_script(RUN_AXE)]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_main_pages_have_no_wcag_violations(app, server, browser):
    """Login, start pages, the request form with errors, a consultation, the list and the admin pages."""
    from selenium.webdriver.common.by import By

    with app.app_context():
        officer = make_user("kurator@gavle.example", roles=("officer",), unit="Elevhälsan, gymnasiet")
        make_user("samordnare@gavle.example", roles=("coordinator", "admin"))
        consultation = make_consultation(None, officer=officer)
        uuid = consultation.uuid
    problems = {}
    browser.get(server + "/auth/login")
    problems["login"] = _violations(browser)

    _login(browser, server, "kurator@gavle.example")
    problems["officer start"] = _violations(browser)
    browser.get(server + "/consultations/request")
    browser.find_element(By.ID, "situation").send_keys("Mamman nås på 070-123 45 67 och Fatima vet.")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "Formuläret innehåller fel")
    problems["request form with errors"] = _violations(browser)

    _login(browser, server, "samordnare@gavle.example")
    problems["coordinator start"] = _violations(browser)
    for name, path in (("detail", f"/consultations/{uuid}"), ("list", "/consultations/"),
                       ("edit form", f"/consultations/{uuid}/edit"), ("accounts", "/admin/users"),
                       ("new account", "/admin/users/new"), ("my account", "/auth/account")):
        browser.get(server + path)
        problems[name] = _violations(browser)
    assert {page: found for page, found in problems.items() if found} == {}
