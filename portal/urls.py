"""Portal's own pages: health check, language, the member's /me/ pages, referrals, private files and
the admin's sign-in (tend/urls.py includes them before Wagtail's admin)."""

from django.urls import include, path

from portal import js_catalog, views

me_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<id:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("provider/", views.provider_application, name="provider_application"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/<str:language>/<str:version>.js", js_catalog.javascript_catalog, name="js_catalog"),
    path("me/", include((me_patterns, "portal"))),
    path("r/<str:code>/", views.referral, name="referral"),
    path("files/<path:name>", views.private_file, name="private_file"),
    # Before Wagtail's admin: its login and reset forms would bypass allauth's limits and answers.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/password_reset/", views.admin_password_reset, name="admin_password_reset"),
]
