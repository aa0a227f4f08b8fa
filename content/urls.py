from django.urls import path

from content import feeds, views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/tips/", feeds.TipsFeed(), name="feed_tips"),
    path("feeds/stories/", feeds.StoriesFeed(), name="feed_stories"),
]
