"""Fault tests: writes under load, a SIGKILLed server, a SIGKILLed key rotation, a full disk,
and two application servers side by side (the reduced version of bench/faults.py; the
machinery both share is harness.py)."""
