"""The load test's measures of capacity (loadtest/cpu_cost.py, loadtest/curve.py): the CPU a
process spends is read from /proc, the knee is where throughput stops rising, and neither will
aim at anything but a server on 127.0.0.1."""

import os
import time

import pytest

from loadtest import cpu_cost, curve


def steps(*rows):
    return [{"users": u, "rps": r, "p95": p} for u, r, p in rows]


def test_the_knee_is_the_fewest_users_that_reach_nine_tenths_of_saturation():
    found = steps((1, 10.0, 90), (2, 18.5, 110), (4, 24.0, 180), (8, 25.0, 390), (16, 24.6, 800))
    saturation, knee = curve.knee(found)
    assert saturation == 25.0
    assert knee["users"] == 4  # 24.0 >= 22.5; 8 and 16 users only queue


def test_the_cpu_a_process_spends_is_read_from_proc():
    me = os.getpid()
    before = cpu_cost.cpu_ticks([me])
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # spend 0.3 s of CPU
        pass
    spent_ms = (cpu_cost.cpu_ticks([me]) - before) * 1000 / cpu_cost.TICK
    assert 200 <= spent_ms <= 600, spent_ms
    assert cpu_cost.cpu_ticks([2**22 + 12345]) == 0  # a process that has ended counts nothing


def test_a_servers_workers_are_its_children():
    table = cpu_cost.processes()
    assert table[os.getpid()][1] == os.getppid()
    assert os.getpid() in cpu_cost.groups(os.getppid())["web"]


@pytest.mark.parametrize(
    "module, args", [(cpu_cost, ["--server-pid", "1"]), (curve, ["--users", "1"])]
)
def test_only_a_server_on_the_loopback_address_is_measured(module, args, capsys):
    with pytest.raises(SystemExit):
        module.main(["--host", "http://example.org", *args])
    assert "127.0.0.1" in capsys.readouterr().err
