from django.urls import include, path, re_path

from community import views

app_name = "community"

urlpatterns = [
    path("", include("community.chat_urls")),
    path("community/", views.index, name="index"),
    path("community/posts/<int:post_id>/", views.post, name="post"),
    path("community/posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("community/posts/<int:post_id>/history/", views.post_history, name="post_history"),
    path("community/posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("community/posts/<int:post_id>/react/<slug:kind>/", views.post_react, name="post_react"),
    path("community/posts/<int:post_id>/report/", views.post_report, name="post_report"),
    path("community/topics/<int:topic_id>/watch/", views.topic_watch, name="topic_watch"),
    path("community/categories/<int:category_id>/watch/", views.category_watch,
         name="category_watch"),
    path("community/moderation/", views.moderation, name="moderation"),
    path("community/moderation/posts/<int:post_id>/<slug:action>/", views.moderate_post,
         name="moderate_post"),
    path("community/moderation/topics/<int:topic_id>/<slug:action>/", views.moderate_topic,
         name="moderate_topic"),
    path("community/moderation/users/<int:user_id>/suspend/", views.moderate_user,
         name="moderate_user"),
    path("community/reviews/", views.reviews, name="reviews"),
    path("community/reviews/<int:visit_id>/", views.review_visit, name="review_visit"),
    path("community/reviews/answer/<int:review_id>/", views.review_answer, name="review_answer"),
    path("community/visits/new/", views.record_visit, name="record_visit"),
    path("community/<slug:forum>/", views.forum, name="forum"),
    path("community/<slug:forum>/new/", views.new_topic, name="new_topic"),
    re_path(r"^community/(?P<forum>[-\w]+)/(?P<topic_id>\d+)-(?P<slug>[-\w]+)/$", views.topic,
            name="topic"),
    re_path(r"^community/(?P<forum>[-\w]+)/(?P<topic_id>\d+)-(?P<slug>[-\w]+)/unread/$",
            views.topic_unread, name="topic_unread"),
]
