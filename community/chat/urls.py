from django.urls import path

from community.chat import views as chat_views

urlpatterns = [
    path("chat/", chat_views.chat_index, name="chat_index"),
    path("chat/service/", chat_views.chat_open_service, name="chat_open_service"),
    path("chat/direct/<id:user_id>/", chat_views.chat_open_direct, name="chat_open_direct"),
    path("chat/open/<slug:kind>/<id:ref_id>/", chat_views.chat_open_object, name="chat_open_object"),
    path("chat/settings/", chat_views.chat_settings, name="chat_settings"),
    path("community/moderation/messages/<id:message_id>/<slug:action>/", chat_views.chat_moderate,
         name="chat_moderate"),
    path("chat/<slug:room>/", chat_views.chat_room, name="chat_room"),
    path("chat/<slug:room>/history/", chat_views.chat_history, name="chat_history"),
]
