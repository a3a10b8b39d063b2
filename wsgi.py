"""Entry point for gunicorn (``gunicorn wsgi:app``) and the command line (``flask --app wsgi``)."""
from coordinator import create_app
from coordinator.anonymity import preload

app = create_app()
preload()  # the guard's dictionaries, loaded now rather than on the first form
