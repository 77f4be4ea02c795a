#!/usr/bin/env python3
"""Per-thread CPU (schedstat ns, plus wakeups) of PIDs over an interval, grouped by thread name (digits stripped).
usage: cpu-by-thread.py SECS [--sum] PID..."""
import os, sys, time, re, collections
def snap(pid):
    out = {}
    try: tids = os.listdir(f'/proc/{pid}/task')
    except OSError: return out
    for t in tids:
        try:
            name = open(f'/proc/{pid}/task/{t}/comm').read().strip()
            run, wait, slices = map(int, open(f'/proc/{pid}/task/{t}/schedstat').read().split())
        except OSError: continue
        out[t] = (name, run, slices)
    return out
args = sys.argv[1:]; secs = float(args.pop(0)); summed = False
if args and args[0] == '--sum': summed = True; args.pop(0)
pids = args
a = {p: snap(p) for p in pids}; t0 = time.time(); time.sleep(secs); dt = time.time() - t0
groups = {}
for p in pids:
    b = snap(p); agg = collections.defaultdict(lambda: [0, 0, 0])
    for t, (name, run, sl) in b.items():
        key = re.sub(r'\d+', '#', name)
        base = a[p].get(t, (name, 0, 0))
        agg[key][0] += run - base[1]; agg[key][1] += 1; agg[key][2] += sl - base[2]
    groups[p] = agg
def show(title, agg, n=1):
    tot = sum(v[0] for v in agg.values())
    print(f'{title}: {tot/1e6/dt/n:.2f} ms CPU/s, {sum(v[2] for v in agg.values())/dt/n:.0f} runs/s')
    for k, (ns, cnt, sl) in sorted(agg.items(), key=lambda kv: -kv[1][0])[:int(os.environ.get('TOP', '15'))]:
        if ns: print(f'   {k:28s} x{cnt/n:5.1f} {ns/1e6/dt/n:8.3f} ms/s  {sl/dt/n:7.1f} runs/s')
if summed:
    tot = collections.defaultdict(lambda: [0, 0, 0])
    for agg in groups.values():
        for k, v in agg.items():
            for i in range(3): tot[k][i] += v[i]
    show(f'mean of {len(pids)} pids', tot, len(pids))
else:
    for p, agg in groups.items(): show(f'pid {p}', agg)
