"""Entry point for gunicorn (``gunicorn wsgi:app``) and the command line (``flask --app wsgi``)."""
import gc

from coordinator import create_app
from coordinator.anonymity import preload

app = create_app()
preload()  # the guard's dictionaries, loaded now rather than on the first form
# What is loaded by now lives as long as the process: keep it out of the garbage collector's
# full passes (about 55 ms each over the dictionaries) and, under gunicorn --preload, keep the
# memory pages the workers share from being copied when the collector touches them.
gc.freeze()
