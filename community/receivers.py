"""Community's answers to signals (other apps', portal.signals, and its own models' saves),
connected in AppConfig.ready()."""

from community import services


def record_event_visit(sender, *, member, store_id, event_id, date, staff, **kwargs):
    """Attending an event at a store is a visit the member may review."""
    services.record_attended_visit(member=member, store_id=store_id, date=date,
                                   event_id=event_id, staff=staff)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from community.models import (
        Category,
        Forum,
        Post,
        PostImage,
        Reaction,
        Topic,
        TopicRead,
        Watch,
    )
    from community.selectors import (
        forums_changed,
        people_changed,
        reader_record_saved,
        topic_content_saved,
    )
    from portal.signals import event_attended

    event_attended.connect(record_event_visit, dispatch_uid="community.record_event_visit")
    for signal in (post_save, post_delete):
        for model in (Forum, Category):
            signal.connect(forums_changed, sender=model,
                           dispatch_uid=f"community.forums-{id(signal)}-{model.__name__}")
        for model in (Topic, Post, PostImage, Reaction):
            signal.connect(topic_content_saved, sender=model,
                           dispatch_uid=f"community.topic-{id(signal)}-{model.__name__}")
        for model in (TopicRead, Watch):
            signal.connect(reader_record_saved, sender=model,
                           dispatch_uid=f"community.reader-{id(signal)}-{model.__name__}")
        signal.connect(people_changed, sender=get_user_model(),
                       dispatch_uid=f"community.people-{id(signal)}")
