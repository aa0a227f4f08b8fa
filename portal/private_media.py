"""Uploads not meant for everyone: provider certificates, forum post photos, event photos.

They live in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT (which the proxy serves to anyone at /media/), under
random names that keep nothing of the uploaded file's name, and reach a browser only through
portal.views.private_file. The app that owns each folder says who may see a file in it, registering a
rule from its AppConfig.ready(), so portal never imports that app.
"""

import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

# Every private upload is an image re-encoded by portal.images.clean_image; older files may carry
# any of these endings. Anything else is sent as bytes to download, never rendered.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}

# What random_name makes (and the storage, adding "_<7 characters>" should a name be taken): anything
# else, a "..", a NUL byte (which PostgreSQL refuses in a query), is no stored file and is not looked up.
STORED_NAME = re.compile(r"[a-z-]+/[A-Za-z0-9_-]+(\.[a-z]+)?")

# may_see(user, name): may this person (perhaps anonymous) see the stored file `name`?
_rules: dict[str, Callable[[object, str], bool]] = {}


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, whose addresses are the checking view's. The root is read when
    first used (and again when a test overrides it), as FileSystemStorage reads MEDIA_ROOT."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        return reverse("private_file", kwargs={"name": name})


def private_storage() -> PrivateStorage:
    """The `storage` of private file fields (a callable, so migrations name it, not a path)."""
    return storages["private"]


def random_name(folder: str, filename: str) -> str:
    """`folder/<32 random characters><ending>`: guessing one takes ~2**192 tries, and the uploaded
    name (a person's name on a licence, say) is not kept."""
    ending = PurePosixPath(filename).suffix.lower()
    return f"{folder}/{secrets.token_urlsafe(24)}{ending if ending in CONTENT_TYPES else ''}"


@deconstructible
class PrivateUploadTo:
    """`upload_to` of a private file field."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.folder, filename)

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder


def register_private_folder(folder: str, may_see: Callable[[object, str], bool]) -> None:
    _rules[folder] = may_see


def may_see(user, name: str) -> bool:
    """Whether the folder's rule lets `user` see the file; a folder no app registered is no one's."""
    rule = _rules.get(name.split("/", 1)[0])
    return rule is not None and STORED_NAME.fullmatch(name) is not None and bool(rule(user, name))


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def move_to_private(model, field: str, folder: str) -> None:
    """For data migrations: each row's file leaves MEDIA_ROOT for private storage under a random
    name. A row whose file is missing gets a random name too: it showed nothing and still does, and
    no original name is left behind."""
    _move(model, field, source=storages["default"], target=private_storage(),
          new_name=lambda old: random_name(folder, old))


def move_to_public(model, field: str) -> None:
    """The reverse of move_to_private, keeping the random names."""
    _move(model, field, source=private_storage(), target=storages["default"], new_name=lambda old: old)


def _move(model, field: str, *, source, target, new_name: Callable[[str], str]) -> None:
    moved, missing = [], 0
    for pk, old in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        name = new_name(old)
        if source.exists(old):
            with source.open(old) as content:
                name = target.save(name, content)
            moved.append(old)
        else:
            missing += 1
        model.objects.filter(pk=pk).update(**{field: name})
    # Originals go once the new names are committed: a migration that fails leaves every row
    # pointing at a file that is still there (and at worst a stray copy in the target).
    transaction.on_commit(lambda: [source.delete(old) for old in moved])
    if missing:
        sys.stdout.write(f"\n  {model.__name__}.{field}: {missing} file(s) were already missing.")


@checks.register(checks.Tags.security)
def private_root_is_not_served(app_configs, **kwargs) -> list:
    """A private root inside a folder served to everyone would undo the point of it."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    served = {setting: getattr(settings, setting, None) for setting in ("MEDIA_ROOT", "STATIC_ROOT")}
    return [
        checks.Error(
            f"PRIVATE_MEDIA_ROOT ({private}) is inside {setting}, which is served to everyone.",
            hint="Put PRIVATE_MEDIA_ROOT beside MEDIA_ROOT, not in it.",
            id="portal.E001",
        )
        for setting, root in served.items()
        if root and private.is_relative_to(Path(root).resolve())
    ]
