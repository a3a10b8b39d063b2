"""Accounts, passwords, activation links and server-side sessions."""
