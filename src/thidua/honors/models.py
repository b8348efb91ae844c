"""Commendation: award catalogue and rules, rounds, nominations, decisions, certificates and
the honours registry (built in the commendation issue)."""
