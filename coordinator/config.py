"""Default settings.

Layering (later wins): these defaults, ``instance/config.py``, ``COORDINATOR_*``
environment variables (values parsed as JSON when they can be, e.g.
``COORDINATOR_SESSION_IDLE_MINUTES=15``), ``DATABASE_URL``, then the test config.
Every setting is documented in README.md.
"""

# "production" (the default: secure cookies, a real SECRET_KEY and an existing
# keyring are required) or "development" (``make run`` on 127.0.0.1 over HTTP).
ENVIRONMENT = "production"

SECRET_KEY = None

# None means the SQLite file instance/coordinator.sqlite3.
SQLALCHEMY_DATABASE_URI = None
SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True, "pool_pre_ping": True}

# Absolute URL the command line uses in the links it prints (activation links).
BASE_URL = "http://127.0.0.1:8000"

# Sessions live on the server; these are enforced there.
SESSION_IDLE_MINUTES = 30
SESSION_ABSOLUTE_HOURS = 12

ACTIVATION_VALID_HOURS = 72
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128

# Flask-Limiter: memory by default; "redis://127.0.0.1:6379/0" shares the
# counters between several application servers.
# "database://": counters in the application database (exact across workers and servers);
# "redis://host:6379/0": the same in Redis. ("memory://" is per worker: tests only.)
RATELIMIT_STORAGE_URI = "database://"
RATELIMIT_KEY_PREFIX = "coordinator"
RATELIMIT_HEADERS_ENABLED = False
# Login attempts per account from one address (counted before the password is
# checked), failed logins per account from all addresses, failed logins per address.
LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
LOGIN_LIMIT_PER_ACCOUNT_ALL = "30 per 15 minutes"
LOGIN_LIMIT_PER_ADDRESS = "20 per 15 minutes"

# Largest request body accepted (bytes); larger requests get the 413 page.
MAX_CONTENT_LENGTH = 3 * 1024 * 1024  # room for a partner spreadsheet (2 MB, partners/imports.py)

# Number of reverse proxies in front of the app whose X-Forwarded-* headers
# are trusted (set to 1 behind one TLS-terminating proxy).
PROXY_COUNT = 0

BABEL_DEFAULT_LOCALE = "sv"
BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"

WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the (server-bounded) session
# Flask-WTF's HTTPS Referer check cannot work with "Referrer-Policy: no-referrer"
# (browsers then send no Referer); security.py checks Origin/Sec-Fetch-Site instead.
WTF_CSRF_SSL_STRICT = False

SESSION_COOKIE_NAME = "coordinator_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Log the traceback of an unexpected error (the code path only: SQL parameters
# are hidden, and no view puts case text in an exception message).
LOG_TRACEBACKS = True

# Notifications by e-mail ("something new to read" and a link; never content).
# Without MAIL_SERVER nothing is sent.
MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USE_STARTTLS = False
MAIL_USE_SSL = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = "samordnaren@localhost"
MAIL_TIMEOUT_SECONDS = 10

# Rows per page in the coordinator's list of consultations.
CONSULTATIONS_PER_PAGE = 25

# Attempts at the current password on the change-password page, per account.
PASSWORD_CHANGE_LIMIT = "10 per hour"

# Bits kept of each blind-index hash of a search term (see consultations/search_index.py):
# fewer bits, more distinct words share a value (less revealed, more candidates to check).
SEARCH_INDEX_BITS = 16
