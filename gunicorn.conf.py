"""gunicorn's settings that must agree with Newsroom's own (read by gunicorn from the working directory).

Which peers may set X-Forwarded-Proto (and gunicorn's other forwarding headers) comes from the same
settings Django uses to find the client's address (``newsroom/client_ip.py``): none when
``NEWSROOM_TRUSTED_PROXY_COUNT`` is 0, else ``NEWSROOM_TRUSTED_PROXIES``. gunicorn's own default
trusts 127.0.0.1 whatever is in front of it.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from django.conf import settings  # noqa: E402  (after the settings module is named)

forwarded_allow_ips = ",".join(settings.NEWSROOM_TRUSTED_PROXIES) if settings.NEWSROOM_TRUSTED_PROXY_COUNT else ""
