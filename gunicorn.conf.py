"""gunicorn's settings that must agree with Newsroom's own (read by gunicorn from the working directory).

Only these, so that a plain ``gunicorn newsroom.wsgi`` in the project keeps gunicorn's defaults for the
rest; production runs ``gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi``, which sets the same.

Which peers may set X-Forwarded-Proto (and gunicorn's other forwarding headers) comes from the same
settings Django uses to find the client's address (``newsroom/client_ip.py``): none when
``NEWSROOM_TRUSTED_PROXY_COUNT`` is 0, else ``NEWSROOM_TRUSTED_PROXIES``. gunicorn's own default
trusts 127.0.0.1 whatever is in front of it.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.client_ip import forwarded_allow_ips as _trusted  # noqa: E402  (after the settings module is named)

forwarded_allow_ips = _trusted()
