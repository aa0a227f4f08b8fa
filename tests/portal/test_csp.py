"""The site's Content-Security-Policy is built from the settings once (portal.middleware): it is
csp's own, follows a changed setting, and a response with a policy of its own still gets that."""

import pytest
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from portal.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db


def test_pages_get_csp_s_policy_and_a_changed_setting_at_once(client, settings):
    response = client.get("/accounts/login/")
    assert response["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/accounts/login/")["Content-Security-Policy"] == "default-src 'none'"


def test_a_response_with_a_policy_of_its_own_keeps_it():
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://images.example"]}
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    assert "https://images.example" in middleware(RequestFactory().get("/"))["Content-Security-Policy"]
