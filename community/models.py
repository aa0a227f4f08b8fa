from community.chat_models import *  # noqa: F401,F403
