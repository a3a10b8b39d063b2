"""At 390 px (a phone) no page scrolls sideways: list rows stack as cards, wide tables
scroll inside their own region; and the session warning appears before an idle logout."""
import pytest

from ..factories import make_consultation, make_user
from .conftest import _login, _wait_for


def _overflow(driver):
    """How many pixels the page is wider than the window."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_page_scrolls_sideways_at_390_px(app, server, browser):
    with app.app_context():
        officer = make_user("kurator@gavle.example", roles=("officer",), unit="Elevhälsan, Polhemsskolan gymnasium")
        make_user("samordnare@gavle.example", roles=("coordinator", "admin"), name="Sara Samordnare")
        for _ in range(3):
            consultation = make_consultation(None, officer=officer, hrv_forms=["control", "forced_marriage", "fgm"])
        uuid = consultation.uuid
    browser.set_window_size(390, 844)
    wide = {}
    _login(browser, server, "samordnare@gavle.example")
    for path in ("/home/coordinator", "/consultations/", f"/consultations/{uuid}", "/admin/users", "/auth/account"):
        browser.get(server + path)
        _wait_for(browser, "Logga ut")
        if _overflow(browser) > 1:
            wide[path] = _overflow(browser)
    _login(browser, server, "kurator@gavle.example")
    for path in ("/home/officer", "/consultations/mine", "/consultations/request"):
        browser.get(server + path)
        _wait_for(browser, "Logga ut")
        if _overflow(browser) > 1:
            wide[path] = _overflow(browser)
    assert wide == {}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_session_warning_shows_before_an_idle_logout(app_factory, browser):
    """With a 30-second idle time the warning appears after 20 s; "Fortsätt arbeta" keeps the session."""
    import threading

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    app = app_factory(SESSION_IDLE_MINUTES=0.5)
    with app.app_context():
        make_user("kurator@gavle.example", roles=("officer",))
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{http.server_port}"
    try:
        _login(browser, base, "kurator@gavle.example")
        browser.get(base + "/consultations/request")
        warning = browser.find_element(By.ID, "session-warning")
        assert not warning.is_displayed()
        WebDriverWait(browser, 60).until(lambda d: warning.is_displayed())
        browser.find_element(By.ID, "session-continue").click()
        WebDriverWait(browser, 10).until(lambda d: not warning.is_displayed())
    finally:
        http.shutdown()
