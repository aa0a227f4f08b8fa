"""HTTP requests inside Django are bounded per process (tend.asgi.BoundedASGIHandler)."""

import asyncio

import pytest
from channels.testing import HttpCommunicator

from tend.asgi import BoundedASGIHandler


class Probe(BoundedASGIHandler):
    """Counts the requests inside Django at once; each stays a moment, so they would overlap."""

    def __init__(self, slots):
        super().__init__(slots)
        self.inside = self.most = 0

    async def get_response_async(self, request):
        self.inside += 1
        self.most = max(self.most, self.inside)
        await asyncio.sleep(0.05)
        try:
            return await super().get_response_async(request)
        finally:
            self.inside -= 1


async def serve_at_once(app, count):
    responses = await asyncio.gather(*[
        HttpCommunicator(app, "GET", "/healthz", headers=[(b"host", b"testserver")])
        .get_response(timeout=10) for _ in range(count)
    ])
    return [response["status"] for response in responses]


pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("slots", [1, 2])
async def test_no_more_than_the_bound_run_at_once_and_the_rest_wait_their_turn(slots):
    app = Probe(slots)
    assert await serve_at_once(app, 5) == [200] * 5
    assert app.most == slots


async def test_a_wide_bound_lets_requests_overlap():
    """The probe itself can see overlap: without a bound, five requests are inside at once."""
    app = Probe(64)
    await serve_at_once(app, 5)
    assert app.most == 5
