#!/usr/bin/env python3
"""CPU per class of process (agent sync/hydrate, local-stack, operator, gateway JVMs, PostgreSQL backends) over an interval, from /proc.
usage: cpu-by-process.py SECONDS"""
import os, sys, time, re, collections
HZ = os.sysconf('SC_CLK_TCK')
def classify(cmd):
    if 'preview-agent.jar' in cmd:
        if ' sync' in cmd: return 'agent-sync'
        if ' hydrate' in cmd: return 'agent-hydrate'
        return 'agent-other'
    if 'preview-operator.jar' in cmd:
        if '--role=gateway' in cmd: return 'gateway-jvm'
        if '--role=operator' in cmd: return 'operator-jvm'
        return 'operator-all-jvm'
    if 'preview-local.jar' in cmd: return 'local-stack-jvm'
    if 'postgres' in cmd and 'postgres:' not in cmd and ' -D ' in cmd: return 'pg:postmaster'
    if 'postgres' in cmd:
        m = re.search(r'postgres: (\S+ ?\S*)', cmd)
        return 'pg:' + (m.group(1) if m else 'main')
    if cmd.startswith('java') or '/java ' in cmd.split(' -')[0]:
        if 'maven' in cmd or 'plexus-classworlds' in cmd: return 'maven(other helpers)'
        return 'java-other(other helpers)'
    if 'maven' in cmd or 'plexus-classworlds' in cmd: return 'maven(other helpers)'
    if 'surefire' in cmd or 'failsafe' in cmd: return 'tests(other helpers)'
    if 'java' in cmd: return 'java-other'
    return 'other:' + cmd.split(' ')[0][-30:]
def snap():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            with open(f'/proc/{p}/stat') as f: st = f.read()
            with open(f'/proc/{p}/cmdline','rb') as f: cmd = f.read().replace(b'\0', b' ').decode(errors='replace')
        except OSError: continue
        rest = st[st.rfind(')')+2:].split()
        ticks = int(rest[11]) + int(rest[12])
        out[int(p)] = (ticks, cmd)
    return out
def cpu_total():
    with open('/proc/stat') as f: l = f.readline().split()
    v = list(map(int, l[1:]))
    return sum(v), v[3] + v[4]
secs = float(sys.argv[1])
a = snap(); ta = cpu_total(); t0 = time.time()
time.sleep(secs)
b = snap(); tb = cpu_total(); dt = time.time() - t0
agg = collections.defaultdict(lambda: [0, 0])
for pid, (tk, cmd) in b.items():
    if pid in a:
        base = a[pid][0]; cls = classify(cmd)
    else:
        base = 0; cls = classify(cmd) + ' (new)'
    agg[cls][0] += tk - base; agg[cls][1] += 1
tot = sum(v[0] for v in agg.values())
busy = (tb[0]-ta[0]) - (tb[1]-ta[1])
print(f'interval {dt:.1f}s  machine busy {busy/HZ/dt:.2f} cores (of {os.cpu_count()}); attributed to live procs {tot/HZ/dt:.2f} cores')
for cls, (tk, n) in sorted(agg.items(), key=lambda kv: -kv[1][0]):
    if tk == 0: continue
    print(f'  {cls:34s} procs {n:4d}  {tk/HZ/dt*1000:8.1f} ms CPU/s  ({tk/HZ/dt*1000/n:6.2f} per proc)')
