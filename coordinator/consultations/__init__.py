"""Consultations (rådfrågningar): advice requests from case officers and the coordinator's log."""
