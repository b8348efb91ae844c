from django.urls import path

from thidua.core.public_cache import public_page
from thidua.training import views, views_attendance, views_results

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("new/", views.course_create, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("report.xlsx", views.yearly_report, name="report"),
    path("mine/", views_attendance.my_training, name="mine"),
    path("check-in/<str:token>/", views_attendance.self_check_in, name="self_check_in"),
    path("officers/", views.officer_list, name="officers"),
    path("officers/<int:pk>/", views.officer_history, name="officer"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/enrol/", views.enrol_unit, name="enrol"),
    path("<int:pk>/sessions/<int:session_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/sessions/<int:session_pk>/sign-in.pdf", views.sign_in_sheet, name="sign_in"),
    path("<int:pk>/sessions/<int:session_pk>/door/", views_attendance.door, name="door"),
    path("<int:pk>/cards.pdf", views_attendance.cards, name="cards"),
    path("<int:pk>/excuses/", views_attendance.excuses, name="excuses"),
    path("<int:pk>/scores/", views_results.scores, name="scores"),
    path("<int:pk>/commend/", views_results.commend, name="commend"),
    path("<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("<int:pk>/close/", views.close_course, name="close"),
    path("<int:pk>/certificates/", views.issue_certificates, name="issue"),
    path("<int:pk>/certificates.pdf", views.certificate_batch, name="certificate_batch"),
    path("<int:pk>/certificates/<int:certificate_pk>/", views.certificate, name="certificate"),
]

public_urlpatterns = [
    path("check/<str:code>/", public_page("training")(views.public_check), name="check"),
]
