from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal import js_catalog, views

app_name = "portal"

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
    path("accounts/", include("allauth.urls")),
    path("me/", include((me_patterns, "portal"))),
    path("r/<str:code>/", views.referral, name="referral"),
    path("files/<path:name>", views.private_file, name="private_file"),
    # Before Wagtail's admin: its login and reset forms would bypass allauth's limits and answers.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/password_reset/", views.admin_password_reset, name="admin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("events.urls")),
    path("", include("community.urls")),
    path("", include("content.urls")),
    path("sitemap.xml", sitemap),
]

if settings.BENCH:
    urlpatterns.insert(0, path("bench/hello", views.bench_hello))

if settings.DEBUG or not settings.HTTPS:
    # Local and test serving of uploads; production serves MEDIA_ROOT from the proxy.
    urlpatterns.append(path("media/<path:path>", views.public_media))

# Wagtail's page tree serves every remaining address, so it comes last: Wagtail's own URLs (its
# password and login views) with its page view swapped for one that caches routes (portal.views.serve).
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, views.serve, name="wagtail_serve"),
]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
