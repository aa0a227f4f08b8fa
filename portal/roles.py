"""Role names. Roles are Django groups; Wagtail's own migrations create Editors and Moderators."""

MEMBERS = "Members"
PROVIDERS = "Providers"
STORE_STAFF = "Store staff"
EDITORS = "Editors"
MODERATORS = "Moderators"

ALL = (MEMBERS, PROVIDERS, STORE_STAFF, EDITORS, MODERATORS)
