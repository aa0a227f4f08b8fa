"""Chat: rooms, messages, presence and the per-process hub that fans them out to sockets."""
