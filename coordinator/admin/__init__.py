"""The system owner's pages: accounts and their sessions."""
