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
    "org.import_households": _("%(actor)s imported households into %(target)s"),
    "org.move_household": _("%(actor)s moved the household %(target)s to another area"),
    "org.add_household": _("%(actor)s added the household %(target)s to the register"),
    "org.edit_household": _("%(actor)s edited the household %(target)s"),
    "org.close_household": _("%(actor)s closed the household %(target)s in the register"),
    "org.merge_household": _("%(actor)s merged the household %(target)s into another"),
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
    "honors.revoke_honour": _("%(actor)s revoked the honour %(target)s"),
    "honors.set_statistics": _(
        "%(actor)s corrected the statistical details of the honour %(target)s"
    ),
    "honors.start_certificate_batch": _(
        "%(actor)s started printing the certificates of %(target)s"
    ),
    "honors.issue_bulk_decision": _(
        "%(actor)s issued the award decision %(target)s for a list of recipients"
    ),
    "honors.demo_backdated": _("%(actor)s dated the demonstration data back: %(target)s"),
    # proposals to bodies outside the Front ("khen cao")
    "honors.create_upward_proposal": _(
        "%(actor)s prepared the proposal %(target)s to a higher level"
    ),
    "honors.add_upward_document": _("%(actor)s added a document to the proposal %(target)s"),
    "honors.prepare_upward_package": _("%(actor)s prepared the package of the proposal %(target)s"),
    "honors.send_upward_proposal": _("%(actor)s sent the proposal %(target)s"),
    "honors.acknowledge_upward_proposal": _(
        "%(actor)s recorded that the body received the proposal %(target)s"
    ),
    "honors.return_upward_proposal": _(
        "%(actor)s recorded that the proposal %(target)s was returned for completion"
    ),
    "honors.record_outside_decision": _(
        "%(actor)s recorded the decision of the body on the proposal %(target)s"
    ),
    "honors.record_upward_refusal": _(
        "%(actor)s recorded that the body did not approve the proposal %(target)s"
    ),
    # training
    "training.record_officer": _("%(actor)s recorded the officer %(target)s"),
    "training.update_officer": _("%(actor)s updated the record of the officer %(target)s"),
    "training.create_course": _("%(actor)s opened the training course %(target)s"),
    "training.add_session": _("%(actor)s added a session to the course %(target)s"),
    "training.enrol": _("%(actor)s enrolled learners in the course %(target)s"),
    "training.set_status": _("%(actor)s changed the enrolment %(target)s"),
    "training.record_attendance": _("%(actor)s recorded attendance in the course %(target)s"),
    "training.close_course": _("%(actor)s decided completion of the course %(target)s"),
    "training.issue_certificates": _(
        "%(actor)s issued certificates of completion of the course %(target)s"
    ),
    "training.check_in": _("%(actor)s checked a learner in at the door of the course %(target)s"),
    "training.excuse_absence": _("%(actor)s excused an absence of %(target)s"),
    "training.record_scores": _("%(actor)s recorded assessment scores in the course %(target)s"),
    "training.propose_commendation": _(
        "%(actor)s proposed the best learners of the course %(target)s for commendation"
    ),
    # statutory statistics
    "reports.create": _("%(actor)s computed the statistical report %(target)s"),
    "reports.recompute": _("%(actor)s recomputed the statistical report %(target)s"),
    "reports.adjust": _("%(actor)s adjusted a figure of the statistical report %(target)s"),
    "reports.check": _("%(actor)s checked the statistical report %(target)s"),
    "reports.sign": _("%(actor)s signed the statistical report %(target)s"),
    "reports.submit": _("%(actor)s submitted the statistical report %(target)s"),
    "reports.supersede": _("A corrected report superseded the statistical report %(target)s"),
    "reports.reopen": _("%(actor)s returned the statistical report %(target)s to draft"),
    # emulation clusters and blocks
    "clusters.create_cluster": _("%(actor)s created the emulation cluster %(target)s"),
    "clusters.add_members": _("%(actor)s added members to the emulation cluster %(target)s"),
    "clusters.end_membership": _(
        "%(actor)s ended a membership of the emulation cluster %(target)s"
    ),
    "clusters.configure_chain": _(
        "%(actor)s set the review chain of the emulation clusters of %(target)s"
    ),
    "clusters.open_term": _("%(actor)s opened a yearly term of the emulation cluster %(target)s"),
    "clusters.record_election": _("%(actor)s recorded the election of the head of %(target)s"),
    "clusters.record_pledge": _(
        "%(actor)s recorded the pledge of the emulation cluster %(target)s"
    ),
    "clusters.add_pledge_target": _("%(actor)s added a pledged target to the pledge of %(target)s"),
    "clusters.create_table": _("%(actor)s created the score table %(target)s"),
    "clusters.edit_table": _("%(actor)s edited the score table %(target)s"),
    "clusters.edit_criterion": _("%(actor)s changed a criterion of the score table %(target)s"),
    "clusters.open_review": _("%(actor)s opened the year-end review of %(target)s"),
    "clusters.assign_peers": _("%(actor)s assigned the peer scoring of %(target)s"),
    "clusters.score": _("%(actor)s gave a score in the review of %(target)s"),
    "clusters.add_evidence": _("%(actor)s attached evidence in the review of %(target)s"),
    "clusters.submit_sheet": _("%(actor)s submitted a self-assessment in the review of %(target)s"),
    "clusters.forward_sheet": _("%(actor)s sent on a score sheet of %(target)s"),
    "clusters.return_sheet": _("%(actor)s returned a score sheet of %(target)s"),
    "clusters.publish_review": _("%(actor)s published the year-end review of %(target)s"),
    "clusters.nominate_flags": _(
        "%(actor)s nominated members of %(target)s for the emulation flag"
    ),
    # shared postings (core)
    "core.publish_posting": _("%(actor)s posted the list %(target)s"),
    "core.reissue_posting": _("%(actor)s reissued the corrected list %(target)s"),
    "core.comment_on_posting": _("A comment was received on a posted list: %(target)s"),
    "core.resolve_posting_comment": _("%(actor)s answered the comment %(target)s"),
    # cultural titles
    "cultural_titles.open_round": _("%(actor)s opened the cultural title round %(target)s"),
    "cultural_titles.upload_assessment": _(
        "%(actor)s uploaded the household assessment of %(target)s"
    ),
    "cultural_titles.record_meeting": _("%(actor)s recorded the area meeting of %(target)s"),
    "cultural_titles.post_list": _("%(actor)s posted the list of cultured families %(target)s"),
    "cultural_titles.reissue_list": _(
        "%(actor)s reissued the corrected list of cultured families %(target)s"
    ),
    "cultural_titles.file_dossier": _("%(actor)s filed the dossier of %(target)s"),
    "cultural_titles.decide_families": _(
        "%(actor)s issued the cultured family decision %(target)s"
    ),
    "cultural_titles.propose_area": _("%(actor)s proposed the area title %(target)s"),
    "cultural_titles.start_print": _("%(actor)s started printing the certificates of %(target)s"),
    "cultural_titles.assess_grid": _("%(actor)s saved the assessment grid of %(target)s"),
    # surveys
    "surveys.create_questionnaire": _("%(actor)s created the questionnaire %(target)s"),
    "surveys.edit_questionnaire": _("%(actor)s changed the questionnaire %(target)s"),
    "surveys.receive_report": _("%(actor)s received the reported results of the survey %(target)s"),
    "surveys.export_answers": _("%(actor)s exported the answers of the survey %(target)s"),
    "surveys.create_survey": _("%(actor)s created the survey %(target)s"),
    "surveys.field_survey": _("%(actor)s sent the survey %(target)s into the field"),
    "surveys.close_survey": _("%(actor)s closed the survey %(target)s"),
    "surveys.tally_survey": _("%(actor)s tallied the survey %(target)s"),
    "surveys.reopen_survey": _("%(actor)s reopened the survey %(target)s"),
    "surveys.report_survey": _("%(actor)s reported the results of the survey %(target)s"),
    "surveys.archive_survey": _("%(actor)s archived the survey %(target)s"),
    "surveys.key_batch": _("%(actor)s keyed in a batch of paper forms: %(target)s"),
    "surveys.mark_duplicate": _("A duplicate answer form was set aside in the survey %(target)s"),
    "surveys.web_answer": _("An answer was received online for the survey %(target)s"),
    "surveys.post_results": _("%(actor)s posted the results of the survey %(target)s"),
    "surveys.write_movement_indicators": _(
        "%(actor)s wrote the results of the survey %(target)s into movement reports"
    ),
    # mobilization (funds and support)
    "mobilization.create_fund": _("%(actor)s set up the fund %(target)s"),
    "mobilization.add_account": _("%(actor)s added the bank account %(target)s"),
    "mobilization.create_drive": _("%(actor)s opened the fundraising drive %(target)s"),
    "mobilization.add_donor": _("%(actor)s added the donor %(target)s"),
    "mobilization.pledge": _("%(actor)s recorded the pledge %(target)s"),
    "mobilization.transfer": _("%(actor)s recorded a transfer between funds: %(target)s"),
    "mobilization.record_receipt": _("%(actor)s recorded the receipt %(target)s"),
    "mobilization.confirm_receipt": _("%(actor)s confirmed the receipt %(target)s"),
    "mobilization.reverse_receipt": _("%(actor)s reversed the receipt %(target)s"),
    "mobilization.record_bulk": _("%(actor)s recorded contributions in bulk for %(target)s"),
    "mobilization.import_statement": _("%(actor)s imported the bank statement %(target)s"),
    "mobilization.publish_disclosure": _("%(actor)s published the public accounts %(target)s"),
    "mobilization.survey_case": _("%(actor)s recorded the support case %(target)s"),
    "mobilization.approve_case": _("%(actor)s approved support for the case %(target)s"),
    "mobilization.case_status": _("%(actor)s changed the status of the support case %(target)s"),
    "mobilization.disburse": _("%(actor)s paid out support to the case %(target)s"),
    "mobilization.settle_case": _("%(actor)s settled the support case %(target)s"),
    "mobilization.stock_in": _("%(actor)s received goods into stock: %(target)s"),
    "mobilization.stock_out": _("%(actor)s handed out goods from stock: %(target)s"),
    "mobilization.update_donor": _("%(actor)s changed the donor %(target)s"),
    "mobilization.update_pledge": _("%(actor)s changed the pledge %(target)s"),
    "mobilization.update_account": _("%(actor)s changed the bank account %(target)s"),
    "mobilization.match_line": _("%(actor)s matched the bank line %(target)s to a receipt"),
    "mobilization.line_receipt": _("%(actor)s recorded the receipt %(target)s from a bank line"),
    "mobilization.add_case_photo": _("%(actor)s added a photo to the support case %(target)s"),
    "mobilization.photo_public": _("%(actor)s changed whether the photo %(target)s is public"),
    "mobilization.post_names": _(
        "%(actor)s set the posting window of beneficiaries' names for %(target)s"
    ),
    "mobilization.demo_seeded": _("%(actor)s loaded demonstration data into %(target)s"),
    # publishing
    "publishing.column_save": _("%(actor)s saved the column %(target)s"),
    "publishing.page_save": _("%(actor)s saved the page %(target)s"),
    "publishing.story_create": _("%(actor)s wrote the story %(target)s"),
    "publishing.story_edit": _("%(actor)s edited the story %(target)s"),
    "publishing.story_submit": _("%(actor)s submitted the story %(target)s for review"),
    "publishing.story_review": _("%(actor)s took the story %(target)s for review"),
    "publishing.story_return": _("%(actor)s returned the story %(target)s to its author"),
    "publishing.story_approve": _("%(actor)s approved the story %(target)s"),
    "publishing.story_schedule": _("%(actor)s scheduled the story %(target)s"),
    "publishing.story_publish": _("%(actor)s published the story %(target)s"),
    "publishing.story_unpublish": _("%(actor)s took down the story %(target)s"),
    "publishing.photo_add": _("%(actor)s added a photo to the story %(target)s"),
    "publishing.story_link": _("%(actor)s linked the story %(target)s to a record"),
    "publishing.story_unlink": _("%(actor)s removed a link from the story %(target)s"),
    "publishing.issue_create": _("%(actor)s created the bulletin issue %(target)s"),
    "publishing.issue_place": _("%(actor)s placed a story in the issue %(target)s"),
    "publishing.issue_remove": _("%(actor)s removed a story from the issue %(target)s"),
    "publishing.issue_proof": _("%(actor)s sent the issue %(target)s for proofing"),
    "publishing.issue_approve": _("%(actor)s approved the issue %(target)s"),
    "publishing.issue_publish": _("%(actor)s published the issue %(target)s"),
    "publishing.issue_pdf": _("%(actor)s produced the PDF of the issue %(target)s"),
    "publishing.fees_propose": _("%(actor)s proposed the royalties of the issue %(target)s"),
    "publishing.fees_approve": _("%(actor)s approved the royalties of the issue %(target)s"),
    "publishing.fees_propose_month": _(
        "%(actor)s proposed the royalties of a month's web stories of %(target)s"
    ),
    "publishing.fees_approve_month": _(
        "%(actor)s approved the royalties of a month's web stories of %(target)s"
    ),
    "publishing.fee_rates_add": _("%(actor)s set a new version of the royalty rates of %(target)s"),
    "publishing.column_create": _("%(actor)s created the column %(target)s"),
    "publishing.column_rename": _("%(actor)s renamed the column %(target)s"),
    "publishing.column_move": _("%(actor)s moved the column %(target)s in the order"),
    "publishing.column_retire": _("%(actor)s retired the column %(target)s"),
    "publishing.column_restore": _("%(actor)s brought back the column %(target)s"),
    "publishing.photo_remove": _("%(actor)s removed a photo from the story %(target)s"),
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
    "surveys": _("surveys"),
    "mobilization": _("funds and support"),
    "publishing": _("news and bulletins"),
    "training": _("training"),
    "reports": _("statistical reports"),
    "clusters": _("emulation clusters"),
    "shared": _("the system"),
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
