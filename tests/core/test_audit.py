import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from thidua.core import audit
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Any text a service could store: PostgreSQL's jsonb has no NUL character and no lone surrogates.
TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def test_each_event_hashes_the_previous_one(tree, admin_user):
    first = audit.record(admin_user, "test.first", tree["bo_de"], {"n": 1})
    second = audit.record(admin_user, "test.second", tree["bo_de"], {"n": 2, "ý": "tiếng Việt"})
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.unit == tree["bo_de"]
    assert second.unit_path == tree["bo_de"].path
    assert audit.verify_chain() == (2, None)


def test_verify_audit_command_reports_intact_chain(tree, admin_user, capsys):
    audit.record(admin_user, "test.ok", tree["city"], {})
    call_command("verify_audit")
    assert "1 events verified" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL refuses the edit")
def test_edited_row_is_named_on_sqlite(tree, admin_user):
    audit.record(admin_user, "test.a", tree["city"], {"amount": 10})
    tampered = audit.record(admin_user, "test.b", tree["city"], {"amount": 20})
    audit.record(admin_user, "test.c", tree["city"], {"amount": 30})
    AuditEvent.objects.filter(pk=tampered.pk).update(data={"amount": 2000})
    with pytest.raises(CommandError, match=f"#{tampered.pk}"):
        call_command("verify_audit")


@pytest.mark.postgres
def test_trigger_refuses_update_and_delete_on_postgres(tree, admin_user):
    event = audit.record(admin_user, "test.a", tree["city"], {"amount": 10})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="test.forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.a"


@pytest.mark.postgres
def test_raw_edit_with_trigger_disabled_is_named_by_verify_audit(tree, admin_user):
    audit.record(admin_user, "test.a", tree["city"], {"amount": 10})
    tampered = audit.record(admin_user, "test.b", tree["city"], {"amount": 20})
    audit.record(admin_user, "test.c", tree["city"], {"amount": 30})
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(
            "UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"amount": 2000}', tampered.pk]
        )
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
    count, broken = audit.verify_chain()
    assert broken is not None and broken.event_id == tampered.pk
    with pytest.raises(CommandError, match=f"#{tampered.pk}"):
        call_command("verify_audit")


class ChainProperty(HypothesisTestCase):
    @settings(max_examples=20, deadline=None)
    @given(
        payloads=st.lists(
            st.dictionaries(
                st.text(TEXT, min_size=1, max_size=8),
                st.one_of(
                    st.integers(-(2**53), 2**53),
                    st.text(TEXT, max_size=20),
                    st.booleans(),
                    st.none(),
                ),
                max_size=4,
            ),
            min_size=1,
            max_size=6,
        )
    )
    def test_any_sequence_of_events_verifies(self, payloads):
        for payload in payloads:
            audit.record(None, "test.property", None, payload)
        count, broken = audit.verify_chain()
        assert broken is None
        assert count == AuditEvent.objects.count()
