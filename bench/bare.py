"""A bare Django hello view for `make bench`: the same view as Tend's /bench/hello in a project with no
middleware, no apps and no database, served by the same WSGI server. What Django itself costs per
request on this machine, the floor issue 22 measures cached pages against (`gunicorn bench.bare:application`).
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["127.0.0.1", "localhost"], ROOT_URLCONF=__name__, MIDDLEWARE=[],
    INSTALLED_APPS=[], SECRET_KEY="bench-bare-hello-serves-one-fixed-string",  # noqa: S106 (signs nothing)
    USE_I18N=False,
)


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello", hello)]
application = get_wsgi_application()
