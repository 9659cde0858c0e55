#!/usr/bin/env python3
"""Side-by-side benchmark of `palisade scan` and Prowler against the local AWS emulator.

Run through tests/bench/prowler.sh, which installs what this needs (the palisade debug binary, the emulator's
venv, Prowler pinned in its own venv) and then runs this script inside a private network namespace whose only
interface is loopback. Standard library only.

Per scale (--scales 1,20,100): a fresh emulator (tests/emulator/start.sh), seeded with that many copies of
the reference architecture (tests/emulator/seed.py), then --runs timed runs of each tool, interleaved
A B B A A B ... so that a drift of the machine (2 shared cores) touches both tools alike. Each timed run is
measured by os.wait4 on the tool's process: wall time, user+sys CPU and peak RSS (ru_maxrss of the process
and of the children it waited for; Prowler starts a secrets scanner as a child). API calls are counted in the
emulator's request log (one line per HTTP request, whatever the service), the emulator's own CPU time over
the run is read from /proc. At the first scale each tool also runs once, untimed, through the recording proxy
(tests/emulator/record.py --proxy-only) to count its calls per service; palisade does so at every scale, and
tests/bench/mincalls.py reads its exchanges for the fewest calls that read the same data (printed beside the
count, per operation in scale-N/calls-minimum.md).

Both tools get the same emulator, region (us-east-1), services, credentials and retry policy (none: the
emulator never throttles, and every 5xx it sends is an operation it does not implement, which a retry cannot
fix): palisade `scan --max-attempts 1`, Prowler `--aws-retries-max-attempts 0`.

Writes to --out: runs.csv (every run), summary.csv and summary.md (medians and ratios per scale), chart.svg,
calls-by-service.md, agreement.md (tests/bench/agree.py, at the first scale) and, per scale, the emulator log,
the seed manifest, and the last run's reports and logs.
"""
import argparse
import csv
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import agree  # noqa: E402
import chart  # noqa: E402
import mincalls  # noqa: E402

REGION = "us-east-1"
# palisade's services (`palisade scan --service`, AWS signing names) by Prowler's names for them. The list
# Prowler gets is read from the binary's --help, so that it follows palisade's collectors.
PROWLER_NAMES = {"ec2": "ec2", "elasticloadbalancing": "elbv2", "rds": "rds", "secretsmanager": "secretsmanager",
                 "cognito-idp": "cognito", "wafv2": "wafv2", "cloudfront": "cloudfront", "route53": "route53",
                 "shield": "shield", "s3": "s3", "iam": "iam", "ecs": "ecs", "logs": "cloudwatch",
                 "monitoring": "cloudwatch", "cloudwatch": "cloudwatch", "elasticache": "elasticache",
                 "codebuild": "codebuild", "codepipeline": "codepipeline", "autoscaling": "autoscaling",
                 "application-autoscaling": "autoscaling", "lambda": "awslambda", "sns": "sns", "kms": "kms",
                 "acm": "acm", "ecr": "ecr"}
PALISADE_SERVICES_DEFAULT = ["ec2", "elasticloadbalancing", "rds", "secretsmanager", "cognito-idp", "wafv2",
                             "cloudfront", "route53", "shield", "s3", "iam"]
PROWLER_SERVICES = [PROWLER_NAMES[s] for s in PALISADE_SERVICES_DEFAULT]
# route53_dangling_ip_subdomain_takeover downloads AWS's public IP ranges from the internet: not run.
PROWLER_EXCLUDED_CHECKS = ["route53_dangling_ip_subdomain_takeover"]
TOOLS = ("palisade", "prowler")

# One werkzeug request line: 127.0.0.1 - - [27/Nov/2026 22:58:44] "GET /path HTTP/1.1" 200 -
# (status lines of errors are wrapped in ANSI colour codes).
ANSI = r"(?:\x1b\[[0-9;]*m)*"
REQUEST_LINE = re.compile(r'^\S+ - - \[([^\]]+)\] "' + ANSI + r'(\S+) (\S+) HTTP/[\d.]+' + ANSI + r'" (\d{3}) ')

CHILDREN = set()  # pids to end on exit: emulators, proxies, the tool under measurement
PIDS_FILE = None  # prowler.sh's list of them, for its trap


def track(pid):
    CHILDREN.add(pid)
    if PIDS_FILE:
        with open(PIDS_FILE, "a") as f:
            f.write(f"{pid}\n")


class BenchError(Exception):
    """A scale that could not be measured (emulator, seeding or a tool's report): reported, not fatal."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def kill_children():
    for pid in list(CHILDREN):
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        CHILDREN.discard(pid)


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def on_signal(signum, _frame):
    kill_children()
    sys.exit(128 + signum)


def clean_env(**extra):
    """The environment of every tool: dummy credentials, no shared config, no proxy for loopback, and a
    dead loopback proxy for anything else (a second guard besides the network namespace)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in (
        "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY",
        "all_proxy", "PYTHONPATH")}
    env.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost,::1", "no_proxy": "127.0.0.1,localhost,::1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(extra)
    return env


# ---- the emulator ---------------------------------------------------------------------------------------

class Emulator:
    def __init__(self, workdir, venv):
        self.log_path = os.path.join(workdir, "emulator.log")
        self.venv = venv
        # emulator_site/sitecustomize.py lifts moto's 50-stream Firehose cap (seed.py needs one per copy).
        env = dict(os.environ, PALISADE_EMULATOR_LOG=self.log_path, PALISADE_VENV=venv,
                   PYTHONPATH=os.path.join(HERE, "emulator_site"), PALISADE_BENCH_EMULATOR_SHIM="1")
        r = subprocess.run(["bash", os.path.join(REPO, "tests", "emulator", "start.sh")], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError(f"the emulator did not start: {r.stderr.strip()[-2000:]}")
        port, pid = r.stdout.split()
        self.port, self.pid = int(port), int(pid)
        track(self.pid)
        self.url = f"http://127.0.0.1:{self.port}"
        self.offset = 0

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass
        CHILDREN.discard(self.pid)

    def cpu_seconds(self):
        """user+sys CPU time of the emulator process so far."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def mark(self):
        """Start counting requests from here."""
        self.offset = os.path.getsize(self.log_path)

    def requests_since_mark(self):
        """[(timestamp, method, path, status)] logged since mark()."""
        with open(self.log_path, "rb") as f:
            f.seek(self.offset)
            text = f.read().decode("utf-8", errors="replace")
        return [m.groups() for line in text.splitlines() if (m := REQUEST_LINE.match(line))]


def log_time(stamp):
    """werkzeug's local-time stamp '27/Nov/2026 22:58:44' as epoch seconds."""
    return time.mktime(datetime.datetime.strptime(stamp, "%d/%b/%Y %H:%M:%S").timetuple())


# ---- measuring one run ----------------------------------------------------------------------------------

def measure(cmd, env, stdout_path, stderr_path, timeout):
    """Runs cmd; returns (exit code, wall s, user s, sys s, peak RSS MiB, start epoch)."""
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start_epoch = time.time()
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             start_new_session=True, cwd=REPO)
        track(p.pid)
        timer = threading.Timer(timeout, kill_group, (p.pid,))
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
            CHILDREN.discard(p.pid)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux.
    return p.returncode, wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024, start_epoch


def palisade_cmd(binary, endpoint, output, calls):
    return [binary, "scan", "--endpoint-url", endpoint, "--region", REGION, "--format", "json",
            "--output", output, "--fail-on", "none", "--max-attempts", "1", "--record-calls", calls]


def prowler_cmd(prowler, outdir):
    return [prowler, "aws", "--region", REGION, "--service", *PROWLER_SERVICES,
            "--excluded-check", *PROWLER_EXCLUDED_CHECKS,
            # The emulator gives load balancers and databases no network interfaces, so every security
            # group and VPC would look unused to Prowler and be skipped; on AWS they are in use.
            "--scan-unused-services",
            "--aws-retries-max-attempts", "0",
            "--output-formats", "csv", "--output-directory", outdir, "--output-filename", "prowler",
            "--no-banner", "--no-color", "--ignore-exit-code-3",
            "--log-level", "ERROR", "--log-file", os.path.join(outdir, "prowler.log")]


def prowler_env(endpoint):
    return clean_env(AWS_ENDPOINT_URL=endpoint, PALISADE_BENCH_SHIM="1",
                     PYTHONPATH=os.path.join(HERE, "prowler_site"))


def palisade_counts(path):
    with open(path) as f:
        report = json.load(f)
    by = report["summary"]["by_status"]
    return len(report["results"]), by.get("FAIL", 0), by.get("ERROR", 0)


def prowler_counts(path):
    csv.field_size_limit(1 << 30)
    total = fails = 0
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            total += 1
            fails += row.get("STATUS") == "FAIL"
    return total, fails, 0


def palisade_collect_seconds(stderr_path):
    with open(stderr_path, errors="replace") as f:
        text = f.read()
    m = re.findall(r"palisade: collected .*?, ([\d.]+) s", text)
    return float(m[-1]) if m else None


def run_tool(tool, emu, args, rundir):
    os.makedirs(rundir, exist_ok=True)
    if tool == "palisade":
        out = os.path.join(rundir, "scan.json")
        cmd = palisade_cmd(args.palisade, emu.url, out, os.path.join(rundir, "calls.json"))
        env = clean_env()
    else:
        shutil.rmtree(os.path.join(rundir, "prowler"), ignore_errors=True)
        os.makedirs(os.path.join(rundir, "prowler"))
        out = os.path.join(rundir, "prowler", "prowler.csv")
        cmd = prowler_cmd(args.prowler, os.path.join(rundir, "prowler"))
        env = prowler_env(emu.url)
    emu.mark()
    cpu0 = emu.cpu_seconds()
    rc, wall, utime, stime, rss, start = measure(cmd, env, os.path.join(rundir, f"{tool}.stdout"),
                                                 os.path.join(rundir, f"{tool}.stderr"), args.timeout)
    emu_cpu = emu.cpu_seconds() - cpu0
    reqs = emu.requests_since_mark()
    first = (log_time(reqs[0][0]) - int(start)) if reqs else None
    row = {"tool": tool, "exit_code": rc, "wall_s": wall, "user_s": utime, "sys_s": stime,
           "cpu_s": utime + stime, "peak_rss_mib": rss, "api_calls": len(reqs),
           "api_4xx": sum(r[3].startswith("4") for r in reqs), "api_5xx": sum(r[3].startswith("5") for r in reqs),
           "emulator_cpu_s": emu_cpu, "first_call_after_s": first}
    try:
        total, fails, errors = (palisade_counts if tool == "palisade" else prowler_counts)(out)
    except (OSError, ValueError, KeyError) as e:
        raise BenchError(f"{tool} wrote no readable report ({e}); exit code {rc}; see {rundir}/{tool}.stderr")
    row.update(findings=total, fail=fails, error=errors)
    if tool == "palisade":
        row["collect_s"] = palisade_collect_seconds(os.path.join(rundir, f"{tool}.stderr"))
    return row


# ---- calls per service, through the recording proxy -------------------------------------------------------

def census(tool, emu, args, workdir):
    """One untimed run through tests/emulator/record.py's proxy: {signing service: calls}."""
    raw = os.path.join(workdir, f"census-{tool}.jsonl")
    if os.path.exists(raw):
        os.unlink(raw)
    proxy = subprocess.Popen([sys.executable, os.path.join(REPO, "tests", "emulator", "record.py"),
                              "--proxy-only", "--upstream", emu.url, "--raw", raw],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             start_new_session=True, env=clean_env())
    track(proxy.pid)
    try:
        port = int(proxy.stdout.readline())
        url = f"http://127.0.0.1:{port}"
        rundir = os.path.join(workdir, f"census-{tool}")
        os.makedirs(rundir, exist_ok=True)
        if tool == "palisade":
            cmd = palisade_cmd(args.palisade, url, os.path.join(rundir, "scan.json"),
                               os.path.join(rundir, "calls.json"))
            env = clean_env()
        else:
            os.makedirs(os.path.join(rundir, "prowler"), exist_ok=True)
            cmd = prowler_cmd(args.prowler, os.path.join(rundir, "prowler"))
            env = prowler_env(url)
        measure(cmd, env, os.path.join(rundir, "stdout"), os.path.join(rundir, "stderr"), args.timeout)
    finally:
        os.killpg(proxy.pid, signal.SIGTERM)
        proxy.wait()
        CHILDREN.discard(proxy.pid)
    by_service, by_op = {}, {}
    for ex in mincalls.read(raw):
        svc = ex.get("service") or "unsigned"
        by_service[svc] = by_service.get(svc, 0) + 1
        key = mincalls.operation(ex)
        if ex["response"]["status"] >= 500:
            key += " (5xx)"
        by_op[key] = by_op.get(key, 0) + 1
    return by_service, by_op


def write_census(path, scale, counts):
    services = sorted({s for c in counts.values() for s in c[0]}, key=lambda s: -sum(
        c[0].get(s, 0) for c in counts.values()))
    lines = [f"# API calls per service at --scale {scale} (through the recording proxy, one untimed run each)",
             "", "Service = the SigV4 signing name of the request. Prowler's calls to services palisade does "
             "not cover come from checks of the requested services that read other services "
             "(e.g. SSM, Global Accelerator, WAF Classic, Config, STS for the account).", "",
             "| service | palisade | Prowler |", "|---|---:|---:|"]
    for s in services:
        lines.append(f"| {s} | {counts['palisade'][0].get(s, 0)} | {counts['prowler'][0].get(s, 0)} |")
    lines.append(f"| **total** | **{sum(counts['palisade'][0].values())}** | "
                 f"**{sum(counts['prowler'][0].values())}** |")
    for tool in TOOLS:
        ops = sorted(counts[tool][1].items(), key=lambda kv: (-kv[1], kv[0]))
        lines += ["", f"## {tool}: calls per operation", "", "| operation | calls |", "|---|---:|"]
        lines += [f"| {k} | {v} |" for k, v in ops]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# ---- summaries ------------------------------------------------------------------------------------------

FIELDS = ["scale", "run", "order", "tool", "exit_code", "wall_s", "user_s", "sys_s", "cpu_s", "peak_rss_mib",
          "api_calls", "api_4xx", "api_5xx", "emulator_cpu_s", "first_call_after_s", "collect_s", "findings",
          "fail", "error"]


def fmt(v, digits=2):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def summarize(rows, scales, out_dir):
    """Per scale: the median of each measure per tool, and palisade/Prowler ratios."""
    out = []
    for scale in scales:
        s = {"scale": scale}
        for tool in TOOLS:
            rs = [r for r in rows if r["scale"] == scale and r["tool"] == tool]
            if not rs:
                continue
            for k in ("wall_s", "cpu_s", "peak_rss_mib", "api_calls", "emulator_cpu_s", "findings", "fail"):
                s[f"{tool}_{k}"] = statistics.median(r[k] for r in rs)
            s[f"{tool}_wall_min"] = min(r["wall_s"] for r in rs)
            s[f"{tool}_wall_max"] = max(r["wall_s"] for r in rs)
            s[f"{tool}_runs"] = len(rs)
            s[f"{tool}_api_5xx"] = statistics.median(r["api_5xx"] for r in rs)
            fc = [r["first_call_after_s"] for r in rs if r.get("first_call_after_s") is not None]
            s[f"{tool}_first_call_s"] = statistics.median(fc) if fc else None
            if tool == "palisade":
                cs = [r["collect_s"] for r in rs if r.get("collect_s") is not None]
                s["palisade_collect_s"] = statistics.median(cs) if cs else None
        if "prowler_wall_s" in s and "palisade_wall_s" in s:
            for k in ("wall_s", "cpu_s", "peak_rss_mib", "api_calls"):
                s[f"ratio_{k}"] = s[f"palisade_{k}"] / s[f"prowler_{k}"] if s[f"prowler_{k}"] else None
        s["bound"] = bound(s)
        try:
            with open(os.path.join(out_dir, f"scale-{scale}", "mincalls.json")) as f:
                s["palisade_fewest_calls"] = json.load(f)["fewest"]
        except (OSError, ValueError, KeyError):
            pass
        out.append(s)
    return out


def bound(s):
    """What limits palisade's wall time at this scale, from the medians."""
    wall, emu, cpu = s.get("palisade_wall_s"), s.get("palisade_emulator_cpu_s"), s.get("palisade_cpu_s")
    if not wall:
        return ""
    collect = s.get("palisade_collect_s")
    parts = []
    if emu is not None and emu / wall >= 0.6:
        parts.append(f"the emulator: moto (one Python process) was busy {emu:.1f} s of palisade's {wall:.1f} s")
    if collect is not None:
        parts.append(f"collection {collect:.1f} s, evaluation and report {max(wall - collect, 0):.1f} s")
    if cpu is not None:
        parts.append(f"palisade's own CPU {cpu:.1f} s")
    return "; ".join(parts)


def write_summary(summary, args, versions, path_csv, path_md):
    keys = ["scale", "palisade_runs", "palisade_wall_s", "palisade_wall_min", "palisade_wall_max",
            "palisade_cpu_s", "palisade_peak_rss_mib", "palisade_api_calls", "palisade_fewest_calls", "palisade_collect_s",
            "palisade_emulator_cpu_s", "palisade_findings", "palisade_fail",
            "prowler_runs", "prowler_wall_s", "prowler_wall_min", "prowler_wall_max", "prowler_cpu_s",
            "prowler_peak_rss_mib", "prowler_api_calls", "prowler_api_5xx", "prowler_emulator_cpu_s",
            "prowler_findings", "prowler_fail", "prowler_first_call_s", "ratio_wall_s", "ratio_cpu_s", "ratio_peak_rss_mib",
            "ratio_api_calls", "bound"]
    with open(path_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(keys)
        for s in summary:
            w.writerow([fmt(s.get(k), 4) for k in keys])

    def ratio(v):
        return "" if v is None else (f"{v:.3f} (1/{1 / v:.0f})" if v else "0")

    lines = [f"palisade {versions['palisade']} ({versions['build']} build: {args.palisade}) vs Prowler {versions['prowler']}, "
             f"emulator moto {versions['moto']}; region {REGION}; medians of {args.runs} run(s) per tool, "
             "interleaved", "",
             "| scale | tool | wall s (min-max) | user+sys s | peak RSS MiB | API calls | findings (FAIL) |",
             "|---:|---|---|---:|---:|---:|---|"]
    for s in summary:
        for tool in TOOLS:
            if f"{tool}_wall_s" not in s:
                continue
            lines.append(
                f"| {s['scale']} | {tool} | {s[f'{tool}_wall_s']:.2f} ({s[f'{tool}_wall_min']:.2f}-"
                f"{s[f'{tool}_wall_max']:.2f}) | {s[f'{tool}_cpu_s']:.2f} | {s[f'{tool}_peak_rss_mib']:.0f} | "
                f"{s[f'{tool}_api_calls']:.0f}"
                + (f" (fewest {s['palisade_fewest_calls']})" if tool == "palisade" and "palisade_fewest_calls" in s
                   else "")
                + f" | {s[f'{tool}_findings']:.0f} ({s[f'{tool}_fail']:.0f}) |")
        if "ratio_wall_s" in s:
            lines.append(f"| {s['scale']} | **palisade/Prowler** | **{ratio(s['ratio_wall_s'])}** | "
                         f"{ratio(s['ratio_cpu_s'])} | **{ratio(s['ratio_peak_rss_mib'])}** | "
                         f"{ratio(s['ratio_api_calls'])} | |")
    lines += ["", "API calls: counted in the emulator's request log. \"fewest\": the calls that would read the same "
              "data with the APIs' largest pages and batches and no repeated request, from palisade's census run "
              "through the recording proxy (tests/bench/mincalls.py; per operation in scale-N/calls-minimum.md)."]
    lines += ["", "Targets (reported, not asserted): palisade at least 10x faster (wall ratio <= 0.1) and at "
              "most 1/10 of Prowler's peak memory at every scale; under 5 s at --scale 100.", ""]
    for s in summary:
        verdicts = []
        if "ratio_wall_s" in s:
            verdicts.append(f"10x faster: {'met' if s['ratio_wall_s'] <= 0.1 else 'NOT met'} "
                            f"({1 / s['ratio_wall_s']:.1f}x)")
            verdicts.append(f"1/10 memory: {'met' if s['ratio_peak_rss_mib'] <= 0.1 else 'NOT met'} "
                            f"({1 / s['ratio_peak_rss_mib']:.1f}x less)")
        if s["scale"] >= 100 and "palisade_wall_s" in s:
            verdicts.append(f"under 5 s: {'met' if s['palisade_wall_s'] < 5 else 'NOT met'} "
                            f"({s['palisade_wall_s']:.2f} s)")
        lines.append(f"- scale {s['scale']}: " + "; ".join(verdicts))
        if s.get("bound"):
            lines.append(f"  - palisade's time: {s['bound']}")
        if "prowler_emulator_cpu_s" in s:
            first = s.get("prowler_first_call_s")
            lines.append(f"  - Prowler's time: emulator busy {s['prowler_emulator_cpu_s']:.1f} s of "
                         f"{s['prowler_wall_s']:.1f} s; Prowler's own CPU {s['prowler_cpu_s']:.1f} s"
                         + (f"; first API call {first:.0f} s after start (+-1 s: loading its checks)"
                            if first is not None else "") + "; "
                         f"{s['prowler_api_5xx']:.0f} calls answered 5xx (operations moto does not implement)")
    text = "\n".join(lines) + "\n"
    with open(path_md, "w") as f:
        f.write(text)
    return text


def palisade_services(binary):
    """The services palisade collects, from `palisade scan --help` ("Only these services (repeatable): ...")."""
    r = subprocess.run([binary, "scan", "--help"], capture_output=True, text=True)
    m = re.search(r"Only these services \(repeatable\): ([a-z0-9, -]+)", r.stdout)
    return [x.strip() for x in m.group(1).split(",") if x.strip()] if m else PALISADE_SERVICES_DEFAULT


def versions_of(args):
    v = {}
    r = subprocess.run([args.palisade, "--version"], capture_output=True, text=True)
    v["palisade"] = (r.stdout.strip().split() or ["?"])[-1]
    v["build"] = "release" if f"{os.sep}release{os.sep}" in os.path.realpath(args.palisade) else "debug"
    for name, py in (("prowler", args.prowler_python), ("moto", os.path.join(args.venv, "bin", "python"))):
        r = subprocess.run([py, "-c", f"from importlib.metadata import version; print(version('{name}'))"],
                           capture_output=True, text=True)
        v[name] = r.stdout.strip() or "?"
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,20", help="comma-separated --scale values (default 1,20)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool and scale (default 3)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--palisade", required=True, help="palisade binary")
    ap.add_argument("--prowler", required=True, help="prowler executable (in its own venv)")
    ap.add_argument("--venv", required=True, help="the emulator's venv (moto, boto3)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed per tool run (default 3600)")
    ap.add_argument("--report-only", action="store_true",
                    help="only (re)write summary.csv, summary.md and chart.svg from --out's runs.csv")
    ap.add_argument("--pids", help="append the pid of every process started to this file")
    ap.add_argument("--no-census", action="store_true", help="skip the census runs through the recording proxy (calls per service at the first scale, "
                    "palisade's fewest calls at every scale)")
    args = ap.parse_args()
    global PIDS_FILE
    PIDS_FILE = args.pids
    args.prowler_python = os.path.join(os.path.dirname(args.prowler), "python")
    scales = [int(x) for x in args.scales.split(",") if x.strip()]
    os.makedirs(args.out, exist_ok=True)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    versions = versions_of(args)
    services = palisade_services(args.palisade)
    unmapped = [x for x in services if x not in PROWLER_NAMES]
    PROWLER_SERVICES[:] = sorted({PROWLER_NAMES[x] for x in services if x in PROWLER_NAMES})
    log(f"bench: palisade's services {', '.join(services)}; Prowler's --service {' '.join(PROWLER_SERVICES)}"
        + (f" (no Prowler service for: {', '.join(unmapped)})" if unmapped else ""))
    log(f"bench: palisade {versions['palisade']}, Prowler {versions['prowler']}, moto {versions['moto']}; "
        f"scales {scales}, {args.runs} run(s) each")
    rows = []
    failures = {}
    runs_csv = os.path.join(args.out, "runs.csv")
    if args.report_only:
        report(args, versions, read_runs(runs_csv), failures)
        return
    try:
        for i, scale in enumerate(scales):
            workdir = os.path.join(args.out, f"scale-{scale}")
            shutil.rmtree(workdir, ignore_errors=True)
            os.makedirs(workdir)
            emu = None
            try:
                emu = Emulator(workdir, args.venv)
                t = time.monotonic()
                manifest = os.path.join(workdir, "manifest.json")
                r = subprocess.run([os.path.join(args.venv, "bin", "python"),
                                    os.path.join(REPO, "tests", "emulator", "seed.py"), "--endpoint", emu.url,
                                    "--scale", str(scale), "--manifest", manifest],
                                   capture_output=True, text=True, env=clean_env())
                if r.returncode != 0:
                    raise BenchError("seeding failed: " + r.stderr.strip()[-1500:])
                log(f"bench: scale {scale}: emulator on {emu.url}, seeded in {time.monotonic() - t:.1f} s")
                if not args.no_census:
                    # palisade's census at every scale (the fewest calls), Prowler's at the first only.
                    counts = {tool: census(tool, emu, args, workdir) for tool in TOOLS
                              if i == 0 or tool == "palisade"}
                    if i == 0:
                        write_census(os.path.join(args.out, "calls-by-service.md"), scale, counts)
                        log(f"bench: scale {scale}: calls per service written (census runs, untimed)")
                    rows_min, made, fewest = mincalls.analyse(
                        mincalls.read(os.path.join(workdir, "census-palisade.jsonl")))
                    with open(os.path.join(workdir, "calls-minimum.md"), "w") as f:
                        f.write(mincalls.markdown(rows_min, made, fewest,
                                                  f"# palisade's API calls against the fewest, --scale {scale}"))
                    with open(os.path.join(workdir, "mincalls.json"), "w") as f:
                        json.dump({"calls": made, "fewest": fewest}, f)
                    log(f"bench: scale {scale}: palisade made {made} calls, the fewest possible is {fewest} "
                        f"({workdir}/calls-minimum.md)")
                for run in range(args.runs):
                    order = TOOLS if run % 2 == 0 else TOOLS[::-1]
                    for k, tool in enumerate(order):
                        row = run_tool(tool, emu, args, os.path.join(workdir, tool))
                        row.update(scale=scale, run=run + 1, order=k + 1)
                        rows.append(row)
                        log(f"bench: scale {scale} run {run + 1} {tool:8}: wall {row['wall_s']:7.2f} s, "
                            f"cpu {row['cpu_s']:7.2f} s, peak {row['peak_rss_mib']:6.0f} MiB, "
                            f"{row['api_calls']:6d} API calls ({row['api_5xx']} 5xx), emulator cpu "
                            f"{row['emulator_cpu_s']:6.2f} s, {row['findings']} findings ({row['fail']} FAIL), "
                            f"exit {row['exit_code']}")
                        with open(runs_csv, "w", newline="") as f:
                            w = csv.DictWriter(f, FIELDS, extrasaction="ignore")
                            w.writeheader()
                            for rr in rows:
                                w.writerow({k: fmt(rr.get(k), 4) for k in FIELDS})
                if i == 0:
                    agree.write(os.path.join(args.out, "agreement.md"), palisade=args.palisade,
                                scan=os.path.join(workdir, "palisade", "scan.json"),
                                prowler=os.path.join(workdir, "prowler", "prowler", "prowler.csv"),
                                manifest=manifest, scale=scale)
                    log("bench: agreement table written")
                else:  # large reports of the bigger scales: keep the counts only
                    shutil.rmtree(os.path.join(workdir, "prowler", "prowler"), ignore_errors=True)
            except BenchError as e:
                failures[scale] = str(e)
                log(f"bench: scale {scale} not measured: {e}")
            finally:
                if emu:
                    emu.stop()
    finally:
        kill_children()
    report(args, versions, rows, failures)
    if failures:
        sys.exit(1)


def read_runs(path):
    """runs.csv back into rows (for --report-only)."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            row = {}
            for k, v in r.items():
                if k == "tool":
                    row[k] = v
                elif v == "":
                    row[k] = None
                else:
                    row[k] = int(v) if k in ("scale", "run", "order", "exit_code", "api_calls", "api_4xx",
                                             "api_5xx", "findings", "fail", "error") else float(v)
            rows.append(row)
    return rows


def report(args, versions, rows, failures):
    scales = sorted({r["scale"] for r in rows} | set(failures))
    args.runs = max((r["run"] for r in rows), default=0)
    summary = summarize(rows, scales, args.out)
    text = write_summary(summary, args, versions, os.path.join(args.out, "summary.csv"),
                         os.path.join(args.out, "summary.md"))
    for scale, why in sorted(failures.items()):
        text += f"- scale {scale}: NOT MEASURED: {why.splitlines()[-1] if why else ''}\n"
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text)
    chart.write(os.path.join(args.out, "chart.svg"), [s for s in summary if "palisade_wall_s" in s], versions)
    print(text)
    print(f"Results: {args.out}/ (runs.csv, summary.csv, summary.md, chart.svg, agreement.md, calls-by-service.md, "
          "scale-N/calls-minimum.md)")


if __name__ == "__main__":
    main()
