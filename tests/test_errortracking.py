"""Sentry is started only when a DSN is configured, and then sends nothing personal."""

import sentry_sdk

from newsroom import errortracking, requestid


def recording_init(monkeypatch) -> list[dict]:
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    return calls


def test_without_a_dsn_sentry_is_never_started(monkeypatch):
    calls = recording_init(monkeypatch)

    started = errortracking.configure("", environment="production", release="1.0", traces_sample_rate=0.5)

    assert started is False
    assert calls == []


def test_the_settings_left_sentry_off_when_no_dsn_is_set(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_sentry_starts_without_personal_data(monkeypatch):
    calls = recording_init(monkeypatch)

    started = errortracking.configure(
        "https://public@errors.example.org/4", environment="staging", release="", traces_sample_rate=0.1
    )

    assert started is True
    [options] = calls
    assert options["dsn"] == "https://public@errors.example.org/4"
    assert options["environment"] == "staging"
    assert options["release"] is None
    assert options["traces_sample_rate"] == 0.1
    assert options["send_default_pii"] is False


def test_reports_are_tagged_with_the_request_id(monkeypatch):
    calls = recording_init(monkeypatch)
    errortracking.configure("https://public@errors.example.org/4", environment="", release="", traces_sample_rate=0)
    before_send = calls[0]["before_send"]
    token = requestid._current.set("3f2a9c0e5b7d41a8b6c2e9f0a1b2c3d4")
    try:
        event = before_send({"message": "boom"}, {})
    finally:
        requestid._current.reset(token)

    assert event["tags"]["request_id"] == "3f2a9c0e5b7d41a8b6c2e9f0a1b2c3d4"
    assert "tags" not in before_send({"message": "outside a request"}, {})
