from django.urls import path

from events import views
from events.rewards import views as reward_views

app_name = "events"

urlpatterns = [
    path("events/calendar.ics", views.all_calendar, name="calendar"),
    path("events/moderation/photos/", views.moderate_photos, name="moderate_photos"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("events/<slug:slug>/rate/", views.rate, name="rate"),
    path("events/<slug:slug>/photos/", views.upload_photo, name="upload_photo"),
    path("me/tickets/<str:code>/", views.ticket, name="ticket"),
    path("me/points/", reward_views.points, name="points"),
    path("me/points/balance.json", reward_views.points_balance, name="points_balance"),
    path("me/coupons/", reward_views.coupons, name="coupons"),
    path("me/coupons/<str:code>/", reward_views.coupon, name="coupon"),
    path("rewards/", reward_views.catalogue, name="rewards"),
    path("rewards/<id:reward_id>/redeem/", reward_views.redeem, name="redeem"),
    path("checkin/coupons/", reward_views.checkin_coupon, name="checkin_coupon"),
    path("checkin/", views.checkin_home, name="checkin"),
    path("checkin/<id:event_id>/", views.checkin_event, name="checkin_event"),
    path("checkin/<id:event_id>/attendees/", views.attendees, name="attendees"),
    path("checkin/<id:event_id>/attendees.csv", views.attendees_csv, name="attendees_csv"),
]
