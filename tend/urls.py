"""The site's URLs: every app's own, Wagtail's admin and page tree, the error views."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal import views

# The site: each app's own URLs, then Wagtail's page tree. Portal's come first (its admin sign-in
# replaces Wagtail's; see portal/urls.py).
urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("allauth.urls")),
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
