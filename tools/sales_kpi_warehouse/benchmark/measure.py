"""Run a command and measure its wall time and peak memory (the whole process tree).

A sampler thread reads, every ``interval`` seconds, the RSS of the process and all its
descendants (psutil) and keeps the peak of their sum; it also keeps the largest ``VmHWM`` (the
kernel's per-process RSS high-water mark, from ``/proc/<pid>/status``) of any of them, which
catches a spike between two samples. The reported peak is the larger of the two.

``wait4``'s ``ru_maxrss`` is not used: Python starts children with vfork, and exec records the
parent's own high-water mark into the child's, so it reports the benchmark's memory, not dbt's.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .schema import Measurement

DEFAULT_INTERVAL_S = 0.15
HEARTBEAT_S = 60.0


def high_water_mark(pid: int) -> int:
    """``VmHWM`` of a process in bytes (0 if unknown: not Linux, or it has exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_memory(process: psutil.Process) -> tuple[int, int]:
    """Summed RSS of ``process`` and its descendants, and their largest ``VmHWM``, in bytes."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    total, hwm = 0, 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
        hwm = max(hwm, high_water_mark(member.pid))
    return total, hwm


@dataclass
class _Sampler:
    """Samples a process tree's RSS on a thread until stopped."""

    pid: int
    interval: float
    on_heartbeat: Callable[[float, int], None] | None = None
    peak: int = 0
    max_process_hwm: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        try:
            process = psutil.Process(self.pid)
        except psutil.Error:
            return
        started = time.monotonic()
        next_beat = started + HEARTBEAT_S
        while not self._stop.is_set():
            rss, hwm = tree_memory(process)
            self.peak = max(self.peak, rss)
            self.max_process_hwm = max(self.max_process_hwm, hwm)
            self.samples += 1
            now = time.monotonic()
            if self.on_heartbeat is not None and now >= next_beat:
                self.on_heartbeat(now - started, rss)
                next_beat += HEARTBEAT_S
            self._stop.wait(self.interval)


def run_measured(
    command: Sequence[str],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = DEFAULT_INTERVAL_S,
    on_heartbeat: Callable[[float, int], None] | None = None,
) -> Measurement:
    """Run ``command`` (stdout and stderr to ``log_path``) and measure it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    load = round(os.getloadavg()[0], 2)
    with log_path.open("wb") as log:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(
                list(command), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd
            )
        except OSError as error:
            msg = f"could not start {command[0]!r} ({error}); is the project's .venv installed?"
            raise RuntimeError(msg) from error
        sampler = _Sampler(process.pid, interval, on_heartbeat)
        sampler.start()
        try:
            exit_code = process.wait()
        finally:
            sampler.stop()
        wall = time.perf_counter() - started
    return Measurement(
        wall_s=round(wall, 3),
        peak_rss_bytes=max(sampler.peak, sampler.max_process_hwm),
        peak_rss_sampled_bytes=sampler.peak,
        max_process_rss_bytes=sampler.max_process_hwm,
        samples=sampler.samples,
        exit_code=exit_code,
        log=str(log_path),
        load_average_1m=load,
    )
