"""Browser fixtures and helpers: a real server on 127.0.0.1 and Debian's headless Chromium.

Skipped where chromium/chromedriver are not installed (`make test` installs
them when it can); required when CI=true."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from ..conftest import IN_CI

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
