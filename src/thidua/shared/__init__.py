"""Concepts shared by several domain apps, one layer below them: fields of work (lĩnh vực), used by
movements, initiatives and practices; councils with their members, used by initiatives (evaluation
councils) and honors (emulation-commendation councils). The vote rule they all apply is
`thidua.core.votes`.

This app imports `core`, `org` and `accounts` only; every domain app may import it."""
