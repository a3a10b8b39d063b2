"""In a real browser: the coordinator adds a partner, imports others from a spreadsheet,
logs a training with the partner, marks it done, and records an initiative's progress;
no Content-Security-Policy violation on the way."""
import pytest

from ..factories import make_user
from .conftest import _csp_violations, _login, _wait_for

SHEET = "Namn;Typ;Område;Kontaktperson;E-post\nRFSL Gävle;Ideell organisation;HRV;Anna Berg;anna.berg@rfsl.example\n"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_coordinator_keeps_the_register_in_the_browser(app, server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with app.app_context():
        make_user("samordnare@gavle.example", roles=("coordinator",))
    _login(browser, server, "samordnare@gavle.example")

    # A partner through the form.
    browser.find_element(By.LINK_TEXT, "Samverkanspartner").click()
    browser.find_element(By.LINK_TEXT, "Ny samverkanspartner").click()
    browser.find_element(By.ID, "name").send_keys("Brynäs IF")
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("Förening")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "Samverkanspartnern är sparad.")

    # Others from a spreadsheet: preview, then confirm.
    sheet = tmp_path / "partner.csv"
    sheet.write_bytes(SHEET.encode("cp1252"))
    browser.get(server + "/partners/import")
    browser.find_element(By.ID, "file").send_keys(str(sheet))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "1 ny samverkanspartner")
    browser.find_element(By.XPATH, "//button[normalize-space()='Bekräfta och importera']").click()
    _wait_for(browser, "Importen är klar")
    assert "RFSL Gävle" in browser.page_source

    # A training with the partner, planned, then marked done.
    browser.get(server + "/activities/new?kind=training")
    browser.find_element(By.ID, "title").send_keys("Utbildning för Brynäs fotbolls styrelse")
    browser.find_element(By.CSS_SELECTOR, "input[name=area][value=both]").click()
    # A date input's typing order follows the browser's locale: set the value as a date picker would.
    browser.execute_script("arguments[0].value = '2018-11-13'", browser.find_element(By.ID, "held_on"))
    Select(browser.find_element(By.ID, "partners")).select_by_visible_text("Brynäs IF")
    browser.find_element(By.ID, "audience").send_keys("Brynäs fotbolls styrelse")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "Aktiviteten är sparad.")
    browser.find_element(By.LINK_TEXT, "Markera som genomförd").click()
    browser.find_element(By.ID, "participants").send_keys("11")
    browser.find_element(By.ID, "bulletin_line").send_keys("Utbildning för Brynäs fotbolls styrelse har genomförts.")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "Aktiviteten är markerad som genomförd.")
    assert "Genomförd" in browser.page_source

    # The partner's page shows it on the timeline.
    browser.find_element(By.LINK_TEXT, "Brynäs IF").click()
    _wait_for(browser, "Tidslinje")
    assert "Utbildning för Brynäs fotbolls styrelse" in browser.page_source

    # An initiative and a line of progress.
    browser.get(server + "/initiatives/new")
    browser.find_element(By.ID, "title").send_keys("Handlingsplan mot VBE")
    browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=action_plan]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=area][value=vbe]").click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _wait_for(browser, "Satsningen är sparad.")
    browser.find_element(By.ID, "bulletin_line").send_keys(
        "Arbetet med kommunens handlingsplan mot VBE intensifieras under perioden.")
    browser.find_element(By.XPATH, "//form[contains(@action, '/notes')]//button[@type='submit']").click()
    _wait_for(browser, "Anteckningen är sparad.")
    assert _csp_violations(browser) == []
