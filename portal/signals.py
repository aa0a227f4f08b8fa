"""Signals between the apps that may not import each other.

ARCHITECTURE.md lets events and community use portal but never each other: when one app's state change
matters to the other (attendance proves a store visit; an approved review earns points), the first sends a
signal defined here and the second connects a receiver in its AppConfig.ready(). Signals are sent inside
the sender's transaction, so a receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

# Staff checked a member in at an event. kwargs: member (User), store_id (int), event_id (int),
# date (datetime.date, in the store's time zone), staff (User who checked them in). Community
# records a ServiceVisit from it, so attendance lets the member review the store.
event_attended = Signal()

# A service review became public. kwargs: review_id (int), member (User), store_id (int), score
# (Decimal: the mean of the review's scores). Sent only by community.services.create_service_review
# (reviews are public when written), once per review.
service_review_published = Signal()
