"""Demo chat: the two lounges with a short conversation. Idempotent: fixed client ids store each line once."""

from community.chat import services as chat_services
from community.chat.models import Room
from portal.models import User

LOUNGE_LINES = [
    ("member@tend.example", "Hi everyone! Any tips for keeping gel nails from lifting?"),
    ("provider@tend.example", "Push the cuticles back and dehydrate the nail plate first. See https://tend.com.tw/tips/"),
    ("member2@tend.example", "謝謝！我下週要去信義店試試看。"),
]
PROVIDER_LINES = [
    ("provider@tend.example", "Welcome to the providers' lounge: share techniques and questions here."),
    ("staff@tend.example", "New cuticle oil samples arrive at the stores on Monday."),
]


def seed(stdout, scale: int = 0) -> None:
    chat_services.ensure_lounges()
    people = {u.email: u for u in User.objects.filter(email__endswith="@tend.example")}
    rooms = ((chat_services.LOUNGE_SLUG, LOUNGE_LINES), (chat_services.PROVIDERS_SLUG, PROVIDER_LINES))
    for slug, lines in rooms:
        room = Room.objects.get(slug=slug)
        for number, (email, body) in enumerate(lines):
            if email in people:
                chat_services.post_message(
                    author=people[email], room=room, body=body, client_id=f"demo-{slug}-{number}"
                )
    stdout.write("  chat: lounges ready")
