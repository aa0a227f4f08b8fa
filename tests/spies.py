"""Which cache calls code makes: the real cache answers, each call is listed (a call is a round trip)."""


def cache_calls(monkeypatch, backend, names=("get", "get_many", "set", "set_many")) -> list:
    """[(method, first argument)] for each call of `names` on `backend`, in order."""
    asked = []
    for name in names:
        real = getattr(backend, name)

        def call(*args, _real=real, _name=name, **kwargs):
            asked.append((_name, str(args[0]) if args else ""))
            return _real(*args, **kwargs)

        monkeypatch.setattr(backend, name, call)
    return asked
