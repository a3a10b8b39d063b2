"""Entry point for gunicorn (``gunicorn wsgi:app``) and the command line (``flask --app wsgi``)."""
from coordinator import create_app

app = create_app()
