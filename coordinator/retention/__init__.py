"""Retention (gallring): the free text of old closed consultations is erased; inactive
accounts are deactivated."""
