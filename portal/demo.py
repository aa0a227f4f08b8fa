"""Demo accounts, one per role, and (with --scale) many members for benchmarks.
Idempotent: existing accounts are left as they are."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from portal import roles
from portal.models import User
from portal.progress import progress

STEP = "Accounts: one per role"
DEMO_PASSWORD = "cherry-blossom-lantern-walk"  # noqa: S105 - published demo login, printed by `make run`

DEMO_USERS = [
    # e-mail, display name, groups, superuser
    ("member@tend.example", "Mei Lin 林美", [roles.MEMBERS], False),
    ("member2@tend.example", "Grace Chen 陳恩", [roles.MEMBERS], False),
    ("provider@tend.example", "Yu-Ting Wang 王雨婷", [roles.MEMBERS, roles.PROVIDERS], False),
    ("staff@tend.example", "Kai Huang 黃凱", [roles.STORE_STAFF], False),
    ("editor@tend.example", "Iris Editor", [roles.EDITORS], False),
    ("moderator@tend.example", "Max Moderator", [roles.MODERATORS], False),
    ("admin@tend.example", "Tend Admin", [], True),
]


def seed(stdout, scale: int = 0) -> None:
    password = None  # hashed once for every account: each hash takes a good half second
    for email, name, group_names, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "is_superuser": superuser, "is_staff": superuser},
        )
        if created:
            password = password or make_password(DEMO_PASSWORD)
            user.password = password
            user.save()
            user.groups.add(*(Group.objects.get_or_create(name=g)[0] for g in group_names))
            stdout.write(f"  created {email}")
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )

    if scale:
        seed_members(stdout, 10_000 * scale)


def seed_members(stdout, count: int) -> None:
    """Bulk members bench-N@tend.example; one password hash shared, so loading stays fast."""
    existing = User.objects.filter(email__startswith="bench-").count()
    if existing >= count:
        return
    password = make_password(DEMO_PASSWORD)
    members = Group.objects.get(name=roles.MEMBERS)
    bar = progress(stdout, "members", count - existing)
    for start in range(existing, count, 1000):
        batch = User.objects.bulk_create(
            User(email=f"bench-{n}@tend.example", display_name=f"Member {n}", password=password)
            for n in range(start, min(start + 1000, count))
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=members.pk) for user in batch
        )
        bar.advance(len(batch))
    bar.done()
