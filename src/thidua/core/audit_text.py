"""Audit events told in words: "Nguyễn Văn A đã thông qua đề nghị khen thưởng Trần Thị B · Bằng
khen" instead of `honors.endorse`, `tdkt.bode3` and "honors.nomination 35".

One translated sentence per verb recorded by the services (`audit.record(actor, "<verb>", …)`);
a verb not listed here still reads as words (what kind of thing changed, and in which area).
A test checks that every verb recorded in `src/` has its sentence.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# %(actor)s: the person's full name (or "The system"); %(target)s: what the change was about.
VERB_SENTENCES: dict[str, Any] = {
    # accounts
    "accounts.grant_role": _("%(actor)s granted a role: %(target)s"),
    "accounts.end_grant": _("%(actor)s ended a role: %(target)s"),
    "accounts.set_two_factor_policy": _("%(actor)s changed the two-step sign-in policy"),
    "accounts.enable_two_factor": _("%(actor)s turned on two-step sign-in"),
    "accounts.set_notification_emails": _(
        "%(actor)s changed how they receive notification e-mails"
    ),
    # org
    "org.create_unit": _("%(actor)s created the unit %(target)s"),
    "org.import_vietnam": _("%(actor)s imported the national list of administrative units"),
    "org.import_units": _("%(actor)s imported units from a file"),
    "org.generate_residential_areas": _("%(actor)s generated residential groups and villages"),
    "org.apply_restructuring": _("%(actor)s applied the restructuring %(target)s"),
    "org.undo_restructuring": _("%(actor)s undid the restructuring %(target)s"),
    # movements
    "movements.create": _("%(actor)s created the movement %(target)s"),
    "movements.launch": _("%(actor)s launched the movement %(target)s"),
    "movements.close": _("%(actor)s ended the movement %(target)s"),
    "movements.register": _("%(actor)s registered for a movement: %(target)s"),
    "movements.accept_registration": _("%(actor)s accepted the registration %(target)s"),
    "movements.return_registration": _("%(actor)s returned the registration %(target)s"),
    "movements.add_work": _("%(actor)s added the work %(target)s"),
    "movements.set_work_status": _("%(actor)s updated the progress of the work %(target)s"),
    "movements.add_evidence": _("%(actor)s added evidence to the work %(target)s"),
    "movements.save_report": _("%(actor)s saved the report %(target)s"),
    "movements.submit_report": _("%(actor)s submitted the report %(target)s"),
    "movements.accept_report": _("%(actor)s accepted the report %(target)s"),
    "movements.return_report": _("%(actor)s returned the report %(target)s"),
    "movements.import_reports": _("%(actor)s imported reports from a spreadsheet: %(target)s"),
    "movements.send_reminders": _("%(actor)s sent reminders about late reports: %(target)s"),
    "movements.rebuild_totals": _("%(actor)s recalculated the totals of %(target)s"),
    # initiatives
    "initiatives.create_council": _("%(actor)s set up the council %(target)s"),
    "initiatives.create_call": _("%(actor)s opened the call for initiatives %(target)s"),
    "initiatives.set_call_status": _("%(actor)s changed the stage of the call %(target)s"),
    "initiatives.submit": _("%(actor)s submitted the initiative %(target)s"),
    "initiatives.confirm": _("%(actor)s confirmed the submission of %(target)s"),
    "initiatives.withdraw": _("%(actor)s withdrew the initiative %(target)s"),
    "initiatives.screen": _("%(actor)s screened the initiative %(target)s"),
    "initiatives.declare_conflict": _("%(actor)s declared a conflict of interest on %(target)s"),
    "initiatives.assign": _("%(actor)s assigned reviewers to %(target)s"),
    "initiatives.save_review": _("%(actor)s saved a review of %(target)s"),
    "initiatives.submit_review": _("%(actor)s submitted a review of %(target)s"),
    "initiatives.amend_review": _("%(actor)s amended a review of %(target)s"),
    "initiatives.review_reminder": _("%(actor)s reminded reviewers of %(target)s"),
    "initiatives.mark_duplicate": _("%(actor)s marked %(target)s as a possible duplicate"),
    "initiatives.record_meeting": _("%(actor)s recorded a council meeting: %(target)s"),
    "initiatives.vote": _("%(actor)s recorded a council vote on %(target)s"),
    "initiatives.choose_ranking": _("%(actor)s chose how to rank the initiatives of %(target)s"),
    "initiatives.finalise_decision": _("%(actor)s issued the recognition decision of %(target)s"),
    "initiatives.seed_history": _("%(actor)s loaded the history of %(target)s"),
    # practices
    "practices.record": _("%(actor)s recorded the practice %(target)s"),
    "practices.set_plan": _("%(actor)s set the replication plan of %(target)s"),
    "practices.write_summary": _("%(actor)s wrote the summary of %(target)s"),
    "practices.move_stage": _("%(actor)s moved the practice %(target)s to its next stage"),
    "practices.override_stage": _("%(actor)s changed the stage of the practice %(target)s"),
    "practices.replicate": _("%(actor)s replicated the practice %(target)s"),
    "practices.set_active": _("%(actor)s changed whether the practice %(target)s is active"),
    "practices.propose_exemplar": _("%(actor)s proposed the exemplar %(target)s"),
    "practices.verify_exemplar": _("%(actor)s verified the exemplar %(target)s"),
    "practices.feature_exemplar": _("%(actor)s featured the exemplar %(target)s"),
    # honours
    "honors.configure_award_type": _("%(actor)s changed the settings of the award %(target)s"),
    "honors.create_round": _("%(actor)s opened the commendation round %(target)s"),
    "honors.nominate": _("%(actor)s drew up the nomination of %(target)s"),
    "honors.submit": _("%(actor)s submitted the nomination of %(target)s"),
    "honors.endorse": _("%(actor)s endorsed the nomination of %(target)s"),
    "honors.return": _("%(actor)s returned the nomination of %(target)s"),
    "honors.reject": _("%(actor)s turned down the nomination of %(target)s"),
    "honors.vote": _("%(actor)s recorded a council vote on the nomination of %(target)s"),
    "honors.close_vote": _("%(actor)s closed the council vote on the nomination of %(target)s"),
    "honors.publish_notice": _("%(actor)s published the list for public comment: %(target)s"),
    "honors.comment_on_notice": _("A comment was received on the public notice %(target)s"),
    "honors.issue_decision": _("%(actor)s issued the award decision %(target)s"),
    "honors.record_honour": _("%(actor)s recorded the honour %(target)s"),
    "honors.revoke_certificate": _("%(actor)s revoked the certificate %(target)s"),
    "honors.start_certificate_batch": _(
        "%(actor)s started printing the certificates of %(target)s"
    ),
    "honors.demo_backdated": _("%(actor)s dated the demonstration data back: %(target)s"),
    # training
    "training.record_officer": _("%(actor)s recorded the officer %(target)s"),
    "training.create_course": _("%(actor)s opened the training course %(target)s"),
    "training.add_session": _("%(actor)s added a session to the course %(target)s"),
    "training.enrol": _("%(actor)s enrolled learners in the course %(target)s"),
    "training.set_status": _("%(actor)s changed the enrolment %(target)s"),
    "training.record_attendance": _("%(actor)s recorded attendance in the course %(target)s"),
    "training.close_course": _("%(actor)s decided completion of the course %(target)s"),
    "training.issue_certificates": _(
        "%(actor)s issued certificates of completion of the course %(target)s"
    ),
}

# Verbs written by the sessions' decisions: a choice in the event's data refines the sentence.
_VOTE_CHOICES = {
    "yes": _("%(actor)s voted for the nomination of %(target)s"),
    "no": _("%(actor)s voted against the nomination of %(target)s"),
    "abstain": _("%(actor)s abstained on the nomination of %(target)s"),
}

# A verb not listed above: the area it belongs to, in words
AREAS = {
    "accounts": _("accounts and roles"),
    "org": _("the unit tree"),
    "movements": _("emulation movements"),
    "initiatives": _("initiatives"),
    "practices": _("practices and exemplars"),
    "honors": _("commendation"),
    "cultural_titles": _("cultural titles"),
    "core": _("the system"),
}


def actor_name(event: Any) -> str:
    """The person's full name (their username only if they have none); "The system" otherwise."""
    if event.actor_id and event.actor is not None:
        return str(event.actor)
    return gettext("The system")


def target_text(event: Any) -> str:
    """What the change was about: the object's label (never its type and id)."""
    if event.target_label:
        return event.target_label
    if event.target_type:
        try:
            return str(apps.get_model(event.target_type)._meta.verbose_name)
        except (LookupError, ValueError):
            pass
    return "—"


def describe(event: Any) -> str:
    """The event in one translated sentence, for the audit log and the lists of recent changes."""
    values = {"actor": actor_name(event), "target": target_text(event)}
    template = VERB_SENTENCES.get(event.verb)
    if event.verb == "honors.vote":
        template = _VOTE_CHOICES.get(str((event.data or {}).get("choice")), template)
    if template is not None:
        return str(template) % values
    area = AREAS.get(event.verb.split(".")[0], AREAS["core"])
    if event.target_label:
        return gettext("%(actor)s made a change in %(area)s: %(target)s") % {
            **values,
            "area": area,
        }
    return gettext("%(actor)s made a change in %(area)s") % {**values, "area": area}
