from django.urls import path

from thidua.core.public_cache import public_page
from thidua.publishing import feeds
from thidua.publishing.views import public, staff

app_name = "publishing"

urlpatterns = [
    path("", staff.story_list, name="story_list"),
    path("new/", staff.story_create, name="story_create"),
    path("columns/", staff.column_list, name="column_list"),
    path("columns/<int:pk>/edit/", staff.column_edit, name="column_edit"),
    path("columns/<int:pk>/<slug:action>/", staff.column_action, name="column_action"),
    path("fees/", staff.fee_list, name="fee_list"),
    path("fees/fees.xlsx", staff.fee_list_xlsx, name="fee_list_xlsx"),
    path("fees/<slug:action>/", staff.fee_action, name="fee_action"),
    path("<int:pk>/", staff.story_detail, name="story_detail"),
    path("<int:pk>/edit/", staff.story_edit, name="story_edit"),
    path("<int:pk>/<slug:action>/", staff.story_action, name="story_action"),
    path("pages/<int:unit_pk>/<slug:slug>/", staff.page_edit, name="page_edit"),
    path("issues/", staff.issue_list, name="issue_list"),
    path("issues/<int:pk>/", staff.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/fees.xlsx", staff.issue_fees_xlsx, name="issue_fees"),
    path("issues/<int:pk>/<slug:action>/", staff.issue_action, name="issue_action"),
]

# Public pages show units, columns and stories; other apps' records appear in search only.
cached = public_page("publishing")
cached_all = public_page("publishing", "practices", "initiatives")

public_urlpatterns = [
    # feeds first: "column/<pk>/rss/" would otherwise read as a column page with slug "rss"
    path("rss/", cached(feeds.StoryFeed()), name="rss"),
    path("atom/", cached(feeds.AtomStoryFeed()), name="atom"),
    path("column/<int:pk>/rss/", cached(feeds.ColumnFeed()), name="column_rss"),
    path("column/<int:pk>/atom/", cached(feeds.AtomColumnFeed()), name="column_atom"),
    path("unit/<int:pk>/rss/", cached(feeds.UnitFeed()), name="unit_rss"),
    path("unit/<int:pk>/atom/", cached(feeds.AtomUnitFeed()), name="unit_atom"),
    path("bulletin/rss/", cached(feeds.IssueFeed()), name="bulletin_rss"),
    path("bulletin/atom/", cached(feeds.AtomIssueFeed()), name="bulletin_atom"),
    path("", cached(public.news_home), name="home"),
    path("<int:pk>/<slug:slug>/", cached(public.story), name="story"),
    path("column/<int:pk>/<slug:slug>/", cached(public.column), name="column"),
    path("unit/<int:pk>/", cached(public.unit_portal), name="unit"),
    path("unit/<int:unit_pk>/page/<slug:slug>/", cached(public.static_page), name="page"),
    path("search/", cached_all(public.search), name="search"),
    path("bulletin/", cached(public.issue_archive), name="archive"),
    path("bulletin/<int:pk>/", cached(public.issue_web), name="issue"),
    path("bulletin/<int:pk>/pdf/", public.pdf_redirect, name="issue_pdf"),
    path("photo/<int:pk>/<int:width>.<slug:extension>", public.photo, name="photo"),
]
