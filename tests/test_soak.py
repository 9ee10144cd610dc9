"""The soak's own arithmetic (bench/soak.py): the rate it runs at, its slices and how it judges a run."""

import os
import subprocess
import sys

import pytest

from bench import soak


def test_the_soak_runs_at_the_newsroom_days_quiet_readers_when_make_bench_measured_them():
    results = {"newsroom_day": {"quiet": {"rps": 4000.0}}, "pages": {"story_cached": {"rps": 5500.0}}}

    assert soak.peak_rps(results) == (4000.0, "newsroom_day.quiet.rps")


def test_without_a_newsroom_day_the_soak_runs_at_the_cached_story_page():
    assert soak.peak_rps({"pages": {"story_cached": {"rps": 5500.0}}}) == (5500.0, "pages.story_cached.rps")


def test_the_soak_refuses_to_guess_a_rate_when_make_bench_has_not_run():
    with pytest.raises(SystemExit, match="make bench"):
        soak.peak_rps({"machine": "x"})


def test_the_soak_is_read_in_whole_slices_then_what_is_left():
    assert soak.slice_plan(2, 30) == [30, 30, 30, 30]
    assert soak.slice_plan(1.25, 30) == [30, 30, 15]
    assert soak.slice_plan(0.001, 30) == [1]


def test_warm_up_lasts_as_many_requests_as_one_slice_at_the_target_rate():
    assert not soak.warmed_up(0, 4000, 30)
    assert not soak.warmed_up(9_600, 4000, 30)  # a slice of a server that fell behind
    assert soak.warmed_up(114_000, 4000, 30)  # 95% of 120,000: the slice held the rate


def test_readers_have_a_connection_for_every_100_requests_a_second_and_at_least_16():
    assert soak.connections_for(4450) == 46
    assert soak.connections_for(4401) == 46  # whole per thread: 23 each
    assert soak.connections_for(300) == 16


def test_growth_is_a_share_of_the_start():
    assert soak.growth(100, 109) == pytest.approx(0.09)
    assert soak.growth(100, 80) == pytest.approx(-0.2)
    assert soak.growth(0, 0) == 0


def a_run(**changes) -> dict:
    run = {
        "rate_target_rps": 4000.0,
        "errors": 0,
        "memory_mb": {"gunicorn_worker_1": {"start": 120.0, "end": 125.0}, "postgresql": {"start": 300, "end": 301}},
        "redis_keys": {"start": 1000, "end": 1050},
        "workers_replaced": False,
        "p99_ms": {"max": 9.0, "slices": [{"rps": 3990.0, "p99_ms": 9.0}, {"rps": 3900.0, "p99_ms": 8.0}]},
    }
    return run | changes


def test_a_steady_run_meets_every_verdict():
    assert all(soak.verdicts(a_run()).values())


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({"errors": 1}, "no errors"),
        ({"memory_mb": {"gunicorn_worker_1": {"start": 120.0, "end": 132.0}}}, "gunicorn_worker_1: memory grew"),
        ({"redis_keys": {"start": 1000, "end": 1101}}, "Redis entries grew"),
        ({"workers_replaced": True}, "the same gunicorn workers"),
        ({"p99_ms": {"max": 9.0, "slices": [{"rps": 3700.0, "p99_ms": 9.0}]}}, "target rate"),
    ],
)
def test_a_run_that_erred_grew_or_fell_behind_misses_that_verdict(changes, missed):
    missed_verdicts = [text for text, met in soak.verdicts(a_run(**changes)).items() if not met]

    assert len(missed_verdicts) == 1 and missed in missed_verdicts[0]


def test_a_reading_that_could_not_be_taken_misses_its_verdict():
    unread = a_run(memory_mb={"postgresql": {"start": 300.0, "end": None}}, redis_keys={"start": 1000, "end": None})

    missed = [text for text, met in soak.verdicts(unread).items() if not met]

    assert missed == ["postgresql: memory grew less than 10%", "Redis entries grew less than 10%"]


def test_reader_errors_count_bad_statuses_and_socket_failures_alike():
    result = {"errors": {"connect": 1, "read": 2, "write": 0, "status": 3, "timeout": 4}}

    assert soak.reader_errors(result) == 10


def test_resident_memory_is_read_per_process_and_a_gone_process_has_none():
    assert soak.rss_mb(os.getpid()) > 1
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in soak.children(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert soak.rss_mb(child.pid) == 0
