"""`make bench` section 12 judges "memory flat over an hour" on what lives all day, and on each function instance
that lives long, not on the stack's total, which steps up and down as schedules start instances and idle ones
are stopped."""

from __future__ import annotations

from tests.bench.idle import INSTANCES, Sample, drift

MB = 1_000_000


def hour(
    emulator_mb: float, instances: dict[int, tuple[float, float]] | None = None, *, every_s: float = 30.0
) -> list[Sample]:
    """An hour of samples: the emulator at `emulator_mb` plus this many MB per hour, and each instance pid's
    (start second, MB) from then on."""
    samples = []
    for i in range(int(3600 / every_s) + 1):
        at = i * every_s
        alive = {pid: int(mb * MB) for pid, (start, mb) in (instances or {}).items() if at >= start}
        rss = {"emulator": int((300 + emulator_mb * at / 3600) * MB), INSTANCES: sum(alive.values())}
        samples.append(Sample(at, 0.0, rss, 10 + len(alive), alive))
    return samples


def test_a_scheduled_functions_instance_starting_is_not_a_leak() -> None:
    found = drift(hour(0.0, {101: (240.0, 77.0)}))  # a rate(5 minutes) instance, 4 minutes in, then warm
    assert found.flat
    assert found.whole == 0.0 and found.instance == 0.0
    assert 55 < found.instance_minutes < 57


def test_a_growing_emulator_is_a_leak() -> None:
    found = drift(hour(210.0))  # what the issue saw before
    assert not found.flat
    assert 209 < found.whole < 211


def test_an_instance_that_grows_while_it_lives_is_a_leak() -> None:
    samples = hour(0.0, {7: (0.0, 80.0)})
    for s in samples:  # 80 MB growing 30 MB an hour
        s.instances[7] = int((80 + 30 * s.at / 3600) * MB)
    found = drift(samples)
    assert not found.flat
    assert 29 < found.instance < 31


def test_an_instance_seen_briefly_is_not_judged_by_its_few_samples() -> None:
    samples = hour(0.0, {9: (3000.0, 70.0)})
    for s in samples[-3:]:
        s.instances[9] += int(s.at * MB)  # steep, but over a minute
    found = drift(samples)
    assert found.flat and found.instance_minutes == 0.0
