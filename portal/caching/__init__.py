"""The one caching subsystem: every cache key and token, what each depends on, and the page cache.

- keys: `Key` (a family of keys, one per scope) and its declarations (`depends_on`, `drops_on`);
  `CachedQuerySet`/`CachedManager` for update() and bulk_create(); `kept`/`peek` for values kept
  under tokens; `digest` (and `kept_digest`) for a rendered fragment's key.
- pages: the anonymous page cache, the page-tree generation and values kept per generation.
- users: what every signed-in page reads about its visitor.
- redis: the Redis backend that behaves as an empty cache while Redis is unreachable.
Apps declare their own keys next to the values they name (community.selectors, events.selectors):
portal imports no other app. The README's caching table lists them all.
"""

from portal.caching.keys import CachedManager, CachedQuerySet, Key, digest, kept, kept_digest, peek
from portal.caching.pages import generation, page_tree_key, page_tree_value, read, store, with_generation

__all__ = ["CachedManager", "CachedQuerySet", "Key", "digest", "generation", "kept", "kept_digest",
           "page_tree_key", "page_tree_value", "peek", "read", "store",
           "with_generation"]
