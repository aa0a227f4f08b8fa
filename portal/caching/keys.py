"""Cache keys that say what drops them.

A `Key` names a family of cache entries, one per scope (a topic id, a user id, or none): a value
stored under it, or a *token* other values are kept under (`kept`). Each key declares, next to the
value it names, the writes that drop it:

    TOPIC = Key("community:topic")
    TOPIC.depends_on(Post, "topic_id")            # a post's write drops its topic's token
    FORUM.depends_on(Post, "topic__forum_id")     # ... and its forum's list
    PEOPLE.depends_on(User, fields=SHOWN_FIELDS)  # only writes to these fields

and this module drops it after every such write commits (and, unless `drop_now=False`, at once as
well, lest a request between the write and the commit store the old value again):
- `save()` and `delete()` (queryset deletes too: they send each row's signal) through the model
  signals `depends_on` connects;
- `update()` and `bulk_create()` through `CachedQuerySet`, which every model a key depends on must
  use as its manager's queryset (`depends_on` refuses one that does not). `update()` drops the
  scopes of the rows before and after the write: read from the filter when it pins them
  (`filter(user=..., topic=...)`), else in one query before the write.
Nothing else calls a drop: a write no signal reports (raw SQL, a data migration's historical models)
is bounded by each value's time-out.
"""

import datetime
import hashlib
import time
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise

# Kept long: a value is only good while its token is, and a lost token only costs a fresh read.
TOKEN_SECONDS = 86400

_dependencies: dict[type, list["_Dependency"]] = {}


class Key:
    def __init__(self, name: str, *, drop_now: bool = True):
        self.name = name
        self.drop_now = drop_now
        # How many drops of any scope this process has made: a value read ahead in a request (in
        # a round trip it shares) is used only while this has not moved.
        self.drops = 0

    def __call__(self, *scope) -> str:
        return ":".join((self.name, *map(str, scope)))

    def drop(self, *scope) -> None:
        key = self(*scope)
        self.drops += 1
        if self.drop_now:
            cache.delete(key)
        transaction.on_commit(lambda: self._dropped(key))

    def _dropped(self, key: str) -> None:
        self.drops += 1
        cache.delete(key)

    def depends_on(self, model, *paths: str, fields=None, signals_only: bool = False) -> None:
        """A save, delete, update() or bulk_create() of `model` drops this key for the scope its
        `paths` (attribute paths, `__` across relations) read from each written row; with
        `fields`, only writes that may change one of them (a save without update_fields may).
        `signals_only` for another package's models, written through their own saves."""
        if not signals_only and not issubclass(model._default_manager._queryset_class,
                                               CachedQuerySet):
            raise ImproperlyConfigured(
                f"{model._meta.label} feeds the cached {self.name}: its manager needs "
                f"portal.caching.CachedQuerySet, or update() would leave it stale")
        pk = model._meta.pk.attname
        dependency = _Dependency(self, tuple(pk if p == "pk" else p for p in paths),
                                 frozenset(fields) if fields else None)
        if model not in _dependencies:
            for signal in (post_save, post_delete):
                signal.connect(_row_written, sender=model, weak=False,
                               dispatch_uid=f"caching-{id(signal)}-{model._meta.label}")
        _dependencies.setdefault(model, []).append(dependency)

    def drops_on(self, signal, scope=lambda **kwargs: (), sender=None) -> None:
        """For writes only a signal tells of (publishing a page, m2m changes): `scope(**kwargs)`
        names the scope to drop, or None for none."""
        def receiver(**kwargs):
            found = scope(**kwargs)
            if found is not None:
                self.drop(*found)
        signal.connect(receiver, sender=sender, weak=False,
                       dispatch_uid=f"caching-{self.name}-{id(signal)}-{id(sender)}-{id(scope)}")


class _Dependency:
    def __init__(self, key: Key, paths: tuple, fields):
        self.key, self.paths, self.fields = key, paths, fields

    def heard(self, written) -> bool:
        return self.fields is None or written is None or bool(self.fields.intersection(written))

    def scope_of(self, instance):
        values = []
        for path in self.paths:
            value = instance
            for part in path.split("__"):
                value = getattr(value, part, None)
                if value is None:
                    return None  # e.g. a category's watch has no topic
            values.append(value)
        return tuple(values)


def _row_written(sender, instance, update_fields=None, **kwargs) -> None:
    for dependency in _dependencies.get(sender, ()):
        if dependency.heard(update_fields):
            scope = dependency.scope_of(instance)
            if scope is not None:
                dependency.key.drop(*scope)


def _pinned(queryset) -> dict:
    """attname -> value for each `field=value` the queryset's filter requires of every row."""
    where = queryset.query.where
    if where.connector != "AND" or where.negated:
        return {}
    pinned = {}
    for lookup in where.children:
        if (isinstance(lookup, Exact) and isinstance(lookup.lhs, Col)
                and lookup.lhs.alias == queryset.query.base_table
                and isinstance(lookup.rhs, int | str | models.Model)):
            value = lookup.rhs.pk if isinstance(lookup.rhs, models.Model) else lookup.rhs
            pinned[lookup.lhs.target.attname] = value
    return pinned


class CachedQuerySet(models.QuerySet):
    """update() and bulk_create() drop the keys that depend on the rows they write."""

    def _written_scopes(self, dependencies) -> set:
        paths = sorted({path for dependency in dependencies for path in dependency.paths})
        pinned = _pinned(self)
        if all(path in pinned for path in paths):
            rows = [tuple(pinned[path] for path in paths)]
        else:
            rows = self
            if transaction.get_connection(self.db).in_atomic_block:
                rows = rows.select_for_update(of=("self",))  # no row changes scope meanwhile
            rows = list(rows.values_list(*paths))
        scopes = set()
        for row in rows:
            values = dict(zip(paths, row, strict=True))
            for dependency in dependencies:
                scope = tuple(values[path] for path in dependency.paths)
                if None not in scope:
                    scopes.add((dependency.key, scope))
        return scopes

    def update(self, **kwargs):
        meta = self.model._meta
        written = {meta.get_field(name).name for name in kwargs}
        dependencies = [d for d in _dependencies.get(self.model, ()) if d.heard(written)]
        if not dependencies:
            return super().update(**kwargs)
        scopes = self._written_scopes(dependencies)
        changed = super().update(**kwargs)
        if changed:
            new = {meta.get_field(name).attname: value.pk if isinstance(value, models.Model)
                   else value for name, value in kwargs.items()}
            for key, scope in list(scopes):
                for dependency in dependencies:
                    if dependency.key is key and any(path in new for path in dependency.paths):
                        scopes.add((key, tuple(new.get(path, value)
                                               for path, value in zip(dependency.paths, scope,
                                                                      strict=True))))
            for key, scope in scopes:
                key.drop(*scope)
        return changed

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        # A new row's own key (its pk's) holds nothing yet.
        dependencies = [d for d in _dependencies.get(self.model, ())
                        if d.paths != (self.model._meta.pk.attname,)]
        scopes = set()
        if all("__" not in path for dependency in dependencies for path in dependency.paths):
            scopes = {(dependency.key, scope) for obj in objs for dependency in dependencies
                      if (scope := dependency.scope_of(obj)) is not None}
        elif objs:
            created = self.model._default_manager.db_manager(self.db)
            for start in range(0, len(objs), 500):  # a bounded number of parameters a query
                chunk = created.filter(pk__in=[obj.pk for obj in objs[start:start + 500]])
                scopes |= chunk._written_scopes(dependencies)
        for key, scope in scopes:
            key.drop(*scope)
        return objs

    bulk_create.alters_data = True


def token(found: dict, key: str) -> int | None:
    """The token under `key` in `found`, or a new one; None when another request stored one
    first (then store nothing)."""
    value = found.get(key)
    if value is None:
        value = time.time_ns()
        if not cache.add(key, value, TOKEN_SECONDS):
            return None
        found[key] = value  # for the next value kept under it from the same round trip
    return value


def kept(key: str, token_keys: list, read, seconds: int, *, found: dict | None = None,
         vary: tuple = (), good=None):
    """`read()`'s value, kept under `key` while the tokens under `token_keys` are the ones it was
    read under, `vary` is unchanged and `good(value)` (if given) holds. `found`: a get_many that
    already holds `key` and the tokens, to share its round trip.

    A token stands for the present state of what it covers; a write drops it (its Key's
    declarations). Tokens are read before the value: a value read from a change not yet committed
    is stored under the old token, which the change drops again after commit.
    Tokens, not counters: a token lost from the cache comes back new, never as an old one."""
    if found is None:
        found = cache.get_many([key, *token_keys])
    tokens = tuple(token(found, token_key) for token_key in token_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == (tokens, vary) and (good is None or good(stored[1])):
        return stored[1]
    value = read()
    if None not in tokens:
        cache.set(key, ((tokens, vary), value), seconds)
    return value


def peek(found: dict, key: str, token_keys: list):
    """The value `kept` stored under `key` (with no `vary`), if `found` (a get_many holding `key` and
    the tokens) shows its tokens current; None otherwise. Reads nothing and stores nothing."""
    stored = found.get(key)
    tokens = tuple(found.get(token_key) for token_key in token_keys)
    if stored is None or None in tokens or stored[0] != (tokens, ()):
        return None
    return stored[1]


# Values whose repr is what they hold: described as they are, without the checks below (a topic
# page digests 20 cards on every view).
_PLAIN = frozenset({str, int, bool, float, type(None), datetime.datetime, datetime.date, Decimal})


def _described(value, seen: set):
    """What a template can show of `value`: plain values as they are, a model instance as its
    fields' values with whatever was fetched or set on it (related rows, annotations), lists and
    dicts item by item."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, models.Model):
        if id(value) in seen:
            return (value._meta.label, value.pk)
        seen.add(id(value))
        described = value.__dict__.get("_kept")
        if described is not None:
            shared, names, related = described
            return (value._meta.label, shared, [
                (name, _described(item, seen)) for name, item in sorted(vars(value).items())
                if name not in names and not name.startswith("_")], [
                (name, _described(item, seen))
                for name, item in sorted(value._state.fields_cache.items()) if name not in related])
        # A template cannot read a name that starts with "_" (_state, _django_version...).
        fields = [(name, item if type(item) in _PLAIN else _described(item, seen))
                  for name, item in sorted(vars(value).items()) if not name.startswith("_")]
        related = [(name, _described(item, seen))
                   for name, item in sorted(value._state.fields_cache.items())]
        prefetched = [(name, _described(list(items), seen)) for name, items in
                      sorted(getattr(value, "_prefetched_objects_cache", {}).items())]
        return (value._meta.label, fields, related, prefetched)
    if isinstance(value, dict):
        return {repr(name): _described(item, seen) for name, item in value.items()}
    if isinstance(value, list | tuple | models.QuerySet):
        return [_described(item, seen) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(item) for item in value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file: its name
        return value.name
    if isinstance(value, Promise):  # a lazy translation: its text (its repr names its address)
        return str(value)
    return value


def digest(*values) -> str:
    """A key for what `values` render to: everything a template could show of them, so a field a
    template starts to show is in the key already. A model instance given to kept_digest when it
    was read for a kept value is described by that digest and what was set on it since."""
    return hashlib.sha256(repr(_described(list(values), set())).encode()).hexdigest()[:40]


def kept_digest(instance: models.Model) -> None:
    """Describe `instance` (with its related rows) once, as it is read (e.g. for a value kept under
    tokens, `kept`): digest() then describes it by that and by the attributes set on it since (a
    reader's marks), instead of walking its fields and its related rows again on every view (a
    topic page's 20 posts and their authors were a seventh of its time, bench/cost.py). Call it
    wherever such instances are read, so one instance gets one key however it was read. Kept
    values are shared by every reader, so nothing changes what was read, only adds to it."""
    instance.__dict__.pop("_kept", None)
    names, related = frozenset(vars(instance)), frozenset(instance._state.fields_cache)
    instance._kept = (digest(instance), names | {"_kept"}, related)


class CachedManager(models.Manager):
    """A manager whose querysets drop what depends on their writes (CachedQuerySet)."""

    _queryset_class = CachedQuerySet
