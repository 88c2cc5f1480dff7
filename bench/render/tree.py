#!/usr/bin/env python3
"""Runs a command with its stdout to OUT and writes "SECONDS CPU_SECONDS
PEAK_PSS_KIB" to USAGE: wall time, the CPU time of the command and every
process under it (each process's last sampled utime+stime, summed), and the
largest sum of their proportional set sizes at one moment (PSS: shared pages
split among the processes sharing them, so Chromium's helpers do not count
its libraries many times over), sampled every 50 ms from /proc.

usage: tree.py OUT USAGE COMMAND [ARG...]"""
import os
import subprocess
import sys
import time

out, usage, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
tick = os.sysconf("SC_CLK_TCK")
page_kib = os.sysconf("SC_PAGE_SIZE") // 1024


def stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    rest = s[s.rindex(")") + 2:].split()
    # rest[0] is the state; ppid rest[1]; utime rest[11]; stime rest[12]; rss rest[21]
    mem = int(rest[21]) * page_kib
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    mem = int(line.split()[1])
                    break
    except OSError:
        pass
    return int(rest[1]), int(rest[11]) + int(rest[12]), mem


def tree(root):
    """The processes under root (root included): {pid: (ppid, ticks, kib)}.
    Only the tree's processes have their memory read (smaps_rollup is slow)."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    s = f.read()
                kids.setdefault(int(s[s.rindex(")") + 2:].split()[1]), []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        try:
            found[pid] = stat(pid)
        except (OSError, ValueError, IndexError):
            continue
        todo.extend(kids.get(pid, []))
    return found


cpu, peak = {}, 0
start = time.monotonic()
with open(out, "w") as f:
    p = subprocess.Popen(cmd, stdout=f)
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        now = tree(p.pid)
        for pid, (_, ticks, _) in now.items():
            cpu[pid] = max(cpu.get(pid, 0), ticks)
        peak = max(peak, sum(rss for (_, _, rss) in now.values()))
        time.sleep(0.05)
secs = time.monotonic() - start
# The samples miss what a process spent after the last one; the command's
# own rusage (itself and what it reaped) misses what others reaped: the
# larger of the two is the figure, a lower bound either way.
sampled = sum(cpu.values()) / tick
with open(usage, "w") as f:
    f.write("%.2f %.2f %d\n" % (secs, max(sampled, ru.ru_utime + ru.ru_stime), max(peak, ru.ru_maxrss)))
sys.exit(os.waitstatus_to_exitcode(status))
