"""Community's answers to other apps' signals (portal.signals), connected in AppConfig.ready().
What its models' writes drop from the cache is declared with each cached value (community.selectors)."""

from community import services


def record_event_visit(sender, *, member, store_id, event_id, date, staff, **kwargs):
    """Attending an event at a store is a visit the member may review."""
    services.record_attended_visit(member=member, store_id=store_id, date=date,
                                   event_id=event_id, staff=staff)


def connect() -> None:
    from portal.signals import event_attended

    event_attended.connect(record_event_visit, dispatch_uid="community.record_event_visit")
