"""Who is in a room, right across processes (portal.presence): one entry per socket, refreshed by
heartbeats. A chat socket also counts its user as online, in the same round trip."""

from portal import presence

PRESENCE_TTL = 45  # seconds; clients beat every 15, so two lost beats are tolerated


def _key(room_id: int) -> str:
    return f"tend:chat-presence:{room_id}"


def _entry(user_id: int, name: str, channel: str) -> str:
    return f"{user_id}|{channel}|{name}"


def touch(room_id: int, user_id: int, name: str, channel: str) -> None:
    presence.touch(
        (_key(room_id), _entry(user_id, name, channel), PRESENCE_TTL),
        (presence.user_key(user_id), channel, presence.USER_TTL),
    )


def leave(room_id: int, user_id: int, name: str, channel: str) -> None:
    presence.leave((_key(room_id), _entry(user_id, name, channel)), (presence.user_key(user_id), channel))


def present_user_ids(room_id: int) -> set[int]:
    return {int(entry.split("|", 1)[0]) for entry in presence.live_entries(_key(room_id))}


def roster(room_id: int) -> list[dict]:
    """One row per person present (several tabs count once), sorted by name."""
    people = {}
    for entry in presence.live_entries(_key(room_id)):
        user_id, _channel, name = entry.split("|", 2)
        people[int(user_id)] = name
    return sorted(({"id": pk, "name": name} for pk, name in people.items()), key=lambda p: p["name"])
