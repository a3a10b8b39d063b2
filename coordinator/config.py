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
# Two-factor login (auth/two_factor.py): mandatory for these roles (others may turn it on),
# the name the authenticator app shows, and how many codes an account may try (the password
# was right) before it must wait, and how long the code step waits after the password.
TWO_FACTOR_ROLES = ["admin", "coordinator"]
TWO_FACTOR_ISSUER = "Samordnarregistret HRV/VBE"
TWO_FACTOR_LIMIT = "5 per 15 minutes"
TWO_FACTOR_PENDING_SECONDS = 300

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

# Signed checkpoints of the audit trail's chain head (audit/checkpoints.py): the folder holds
# the Ed25519 signing key (checkpoint.key, 0600), its public key (checkpoint.pub) and the
# checkpoints (checkpoints.jsonl). None: instance/audit-checkpoints. Keep it out of the
# database and its backups; copy checkpoint.pub and the checkpoints elsewhere as well.
AUDIT_CHECKPOINT_DIR = None
# Verify with this public key (PEM file) instead of the folder's own, e.g. a copy kept
# where the application's administrators cannot change it.
AUDIT_CHECKPOINT_PUBLIC_KEY = None

# The log review (audit/review.py): office hours in local time on weekdays, [start, end),
# and how many opens of case content within one ten-minute slot count as a burst.
AUDIT_OFFICE_HOURS = [7, 18]
AUDIT_BURST_READS = 20

# Retention (retention/services.py, `flask retention run`): the free text of consultations
# closed more than this many months ago is erased; the coordinator sees what is due this many
# days ahead; accounts without a login for this many days are deactivated.
RETENTION_MONTHS = 24
RETENTION_NOTICE_DAYS = 30
ACCOUNT_INACTIVE_DAYS = 180

# The key backups are encrypted with (backups.py; made at the first `backup create`).
# None: instance/backup.key. Keep a copy apart from the backups and from the keyring.
BACKUP_KEY_FILE = None

# Rows per page in the coordinator's list of consultations.
CONSULTATIONS_PER_PAGE = 25

# Attempts at the current password on the change-password page, per account.
PASSWORD_CHANGE_LIMIT = "10 per hour"

# Bits kept of each blind-index hash of a search term (see consultations/search_index.py):
# fewer bits, more distinct words share a value (less revealed, more candidates to check).
SEARCH_INDEX_BITS = 16
