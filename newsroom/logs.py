"""The logging configuration of the application and of gunicorn: JSON lines or plain text, with request ids.

``NEWSROOM_LOG_FORMAT=json`` writes one JSON object per line (time, level, logger, message, request_id
and any extra fields), for a log shipper to read; ``plain`` writes readable lines for a terminal. Both
go to standard error (access lines to standard output), where systemd's journal or the container
runtime collects them. Imported by gunicorn's configuration before Django is set up, so no Django here.
"""

FORMATS = ("json", "plain")
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMES = {"asctime": "time", "levelname": "level", "name": "logger"}


def _formatters() -> dict:
    return {
        "plain": {"format": PLAIN},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": JSON_RENAMES,
        },
        # gunicorn's access line is already formatted by access_log_format: plain text adds nothing to it.
        "access_plain": {"format": "%(message)s"},
    }


def config(log_format: str, level: str = "WARNING") -> dict:
    """The ``logging.config.dictConfig`` of the Django application (``LOGGING``)."""
    if log_format not in FORMATS:
        raise ValueError(f'NEWSROOM_LOG_FORMAT must be "json" or "plain", not {log_format!r}.')
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "newsroom.requestid.RequestIdFilter"}},
        "formatters": _formatters(),
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
    }


def gunicorn_config(log_format: str, level: str = "INFO") -> dict:
    """gunicorn's ``logconfig_dict``: its error and access logs in the same format as the application's."""
    application = config(log_format, level)
    access_formatter = "json" if log_format == "json" else "access_plain"
    return application | {
        "filters": {**application["filters"], "access": {"()": "newsroom.requestid.GunicornAccessFilter"}},
        "handlers": {
            **application["handlers"],
            "error_console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
            "access_console": {
                "class": "logging.StreamHandler",
                "formatter": access_formatter,
                "filters": ["access"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["error_console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["access_console"], "level": "INFO", "propagate": False},
        },
    }
