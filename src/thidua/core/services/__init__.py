"""Writes of the shared kernel that other apps build on (postings)."""
