from django.urls import include, path

from community import views

app_name = "community"

urlpatterns = [
    path("", include("community.chat.urls")),
    path("community/", views.index, name="index"),
    path("community/people/<id:user_id>/", views.member, name="member"),
    path("community/posts/<id:post_id>/", views.post, name="post"),
    path("community/posts/<id:post_id>/card/", views.post_card, name="post_card"),
    path("community/posts/<id:post_id>/edit/", views.post_edit, name="post_edit"),
    path("community/posts/<id:post_id>/history/", views.post_history, name="post_history"),
    path("community/posts/<id:post_id>/delete/", views.post_delete, name="post_delete"),
    path("community/posts/<id:post_id>/react/<slug:kind>/", views.post_react, name="post_react"),
    path("community/posts/<id:post_id>/report/", views.post_report, name="post_report"),
    path("community/topics/<id:topic_id>/watch/", views.topic_watch, name="topic_watch"),
    path("community/categories/<id:category_id>/watch/", views.category_watch,
         name="category_watch"),
    path("community/moderation/", views.moderation, name="moderation"),
    path("community/moderation/posts/<id:post_id>/<slug:action>/", views.moderate_post,
         name="moderate_post"),
    path("community/moderation/topics/<id:topic_id>/<slug:action>/", views.moderate_topic,
         name="moderate_topic"),
    path("community/moderation/users/<id:user_id>/suspend/", views.moderate_user,
         name="moderate_user"),
    path("community/reviews/", views.reviews, name="reviews"),
    path("community/reviews/<id:visit_id>/", views.review_visit, name="review_visit"),
    path("community/reviews/answer/<id:review_id>/", views.review_answer, name="review_answer"),
    path("community/visits/new/", views.record_visit, name="record_visit"),
    path("community/<slug:forum>/", views.forum, name="forum"),
    path("community/<slug:forum>/new/", views.new_topic, name="new_topic"),
    path("community/<uslug:forum>/<id:topic_id>-<uslug:slug>/", views.topic, name="topic"),
    path("community/<uslug:forum>/<id:topic_id>-<uslug:slug>/unread/", views.topic_unread,
         name="topic_unread"),
]
