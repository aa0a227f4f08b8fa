"""For `bench/chaos.py`: the topic its members reply in while the database restarts (`setup` creates it
afresh and prints its path), and the replies the database holds afterwards (`count`)."""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from community.models import Category, Post, Topic
from portal.models import User
from portal.sanitize import render_markdown

TITLE = "Chaos topic"


class Command(BaseCommand):
    help = "Create the fault runs' topic (setup) or count its replies per member (count)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "count"])

    def handle(self, *args, action, **options):
        if action == "setup":
            Topic.objects.filter(title=TITLE).delete()
            # A demo account opens it, so every reply by a bench member is one of the run's writes.
            author = User.objects.exclude(email__startswith="bench-").order_by("pk").first()
            category = Category.objects.filter(forum__slug="members").order_by("position").first()
            topic = Topic.objects.create(forum=category.forum, category=category, author=author,
                                         title=TITLE, slug="chaos-topic")
            body = "Replies written while the database restarts."
            Post.objects.create(topic=topic, author=author, source=body, html=render_markdown(body))
            out = {"path": topic.get_absolute_url()}
        else:
            replies = Post.objects.filter(topic__title=TITLE, author__email__startswith="bench-")
            per_member = replies.values("author").annotate(n=Count("pk"))
            out = {
                "replies": replies.count(),
                "members": per_member.count(),
                "doubled": sum(row["n"] - 1 for row in per_member),
            }
        self.stdout.write(json.dumps(out))
