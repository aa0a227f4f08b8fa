from django.urls import include, path

app_name = "community"

urlpatterns = [
    path("", include("community.chat_urls")),
]
