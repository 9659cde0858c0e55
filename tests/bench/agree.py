#!/usr/bin/env python3
"""Agreement table of palisade and Prowler on the checks both have.

Each palisade rule whose METADATA names Prowler checks (`palisade rules --format json`, frameworks.prowler;
the same mapping as the catalogue) is compared with the union of those checks: which resources each tool
marks FAIL, where both do, and where only one does (with the other tool's status for that resource, or "no
result" when it did not report the resource at all). Resource ids are matched by ARN, after two changes of
granularity: palisade judges ALB listeners and inline role policies, Prowler the load balancer and the role,
so a listener counts as its load balancer and an inline policy as its role.

For each disagreement the table shows what the seeding meant (tests/emulator/seed.py's manifest: the status
the reference architecture's copy 1 was built to have, and why) and a verdict, from VERDICTS below: which
tool is right and why, from the two rules' semantics and what the emulator can represent. A disagreement the
verdicts do not cover is shown as "not reviewed".

    agree.py --scan scan.json --prowler prowler.csv --manifest manifest.json [--palisade BIN] [--out FILE]
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Why the tools disagree, per palisade rule, reviewed against the seeded resources at --scale 1 (moto 5.2.5,
# Prowler 5.46.0). "side" names the tool that FAILs alone: "palisade" (palisade FAIL, Prowler PASS or no
# result) or "prowler" (the other way round). Each verdict says which tool is right for this account.
VERDICTS = {
    ("CF-01", "palisade"): (
        "palisade right",
        "The legacy distribution's default behaviour redirects to HTTPS but another cache behaviour allows "
        "HTTP (`allow-all`). Prowler's `cloudfront_distributions_https_enabled` reads only the default cache "
        "behaviour; CF-01 reads every behaviour, so only palisade sees the cleartext path."),
    ("CF-03", "palisade"): (
        "emulator artefact on app, palisade right on legacy",
        "moto drops `S3OriginConfig` and `OriginAccessControlId` from the origins it returns, so neither "
        "distribution shows an S3 origin with OAC: palisade FAILs both (the app distribution's FAIL is an "
        "emulator artefact, listed under `omitted` in the seed manifest), Prowler's check only looks at S3 "
        "origins and reports nothing. The legacy distribution really uses a legacy OAI: on AWS palisade's FAIL "
        "of it is right and Prowler would FAIL it too."),
    ("CF-04", "prowler"): (
        "palisade right",
        "Prowler's `cloudfront_distributions_origin_traffic_encrypted` FAILs the app distribution because "
        "moto returns its S3 origin without `S3OriginConfig`, so Prowler takes it for a custom origin with "
        "no `OriginProtocolPolicy` (empty string = unencrypted). The origin is an S3 bucket reached over "
        "HTTPS: an emulator artefact that Prowler turns into a FAIL; palisade's CF-04 judges the custom "
        "origins' protocol policy and TLS versions only."),
    ("COG-02", "palisade"): (
        "palisade right",
        "Prowler's default run does not execute `cognito_user_pool_advanced_security_enabled`: the check is in "
        "the `threat-detection` category, which Prowler 5 leaves out unless asked for (`--categories "
        "threat-detection` or `--check`). Run alone against the same emulator it FAILs legacy-users "
        "(AdvancedSecurityMode OFF) and PASSes app-users, as palisade does; in the default run the legacy "
        "pool's missing threat protection goes unreported."),
    ("IAM-01", "palisade"): (
        "palisade right",
        "The root user has no MFA (moto's GetAccountSummary: AccountMFAEnabled=0). Prowler reads root MFA "
        "and root keys from the credential report, whose root row moto does not produce, so Prowler reports "
        "nothing."),
    ("RDS-02", "palisade"): (
        "palisade right by the control as written (Prowler: not reachable today)",
        "legacy-db has `PubliclyAccessible=true` and legacy-db-sg opens 3306 to 0.0.0.0/0. Prowler's "
        "`rds_instance_no_public_access` FAILs only when the DB subnet also routes to an internet gateway; "
        "the seeded VPC has no internet gateway, so Prowler PASSes (\"not in a public subnet\"). The reference "
        "architecture keeps the database private outright and FSBP RDS.2 checks the flag alone: the instance "
        "gets a public DNS answer and is one route-table change away from the internet. palisade's FAIL is "
        "the control as written; Prowler's PASS is accurate about reachability right now."),
    ("RDS-04", "palisade"): (
        "palisade right",
        "legacy-db keeps backups for 1 day. Prowler's `rds_instance_backup_enabled` passes any retention >= 1 "
        "day; the reference architecture and FSBP RDS.11 require 7. The cluster `legacy-reports` "
        "(retention 1) is not judged by Prowler's instance check at all."),
    ("S3-01", "palisade"): (
        "palisade right by the control as written (Prowler: blocked at account level today)",
        "legacy-public-assets has a public bucket policy (GetBucketPolicyStatus IsPublic) and no bucket-level "
        "Block Public Access. Prowler's `s3_bucket_level_public_access_block` PASSes it because the account-"
        "level block has IgnorePublicAcls and RestrictPublicBuckets on, which does neutralise the policy "
        "today. S3-01 also requires that the bucket policy itself not be public (the reference architecture "
        "serves S3 only through CloudFront; FSBP S3.8 wants the block on the bucket): the bucket becomes "
        "public the moment the account block is relaxed. Both readings are consistent with the data; "
        "palisade's is the control as written."),
    ("SG-01", "palisade"): (
        "palisade right",
        "legacy-debug-sg allows all traffic from 0.0.0.0/0 and ::/0, so port 22 is open. Prowler's port-22 "
        "check PASSes it on purpose (\"has all ports open ... therefore was not checked against the specific "
        "port\") and reports the group once, under `..._to_all_ports` (SG-04, where both FAIL it). The PASS "
        "on the port check is literally false; a report filtered by check or by port misses the exposure."),
    ("SG-02", "palisade"): ("palisade right", "As SG-01, for port 3389."),
    ("SG-03", "palisade"): ("palisade right", "As SG-01, for 3306 and the high-risk ports."),
    ("SG-05", "palisade"): (
        "palisade right",
        "legacy-alb-sg (22, 3389, 8080) and legacy-db-sg (3306) open ports other than 80/443 to the internet. "
        "Prowler's `..._to_any_port` PASSes a group that is \"not attached to any network interface\", and "
        "moto creates no network interfaces for load balancers or DB instances (on AWS these groups sit on "
        "the ALB's and the database's ENIs and Prowler would FAIL them). legacy-debug-sg gets no result "
        "because Prowler skips groups its all-ports check already failed (reported under SG-04)."),
    ("SHD-02", "palisade"): (
        "palisade right",
        "The account is not subscribed to Shield Advanced (moto answers GetSubscriptionState with HTTP 500; "
        "the seeding leaves it unsubscribed on purpose, SHD-01 FAIL). Prowler skips every Shield check "
        "unless the subscription is ACTIVE, so it says nothing about the unprotected resources; palisade "
        "reports the subscription (SHD-01) and each resource without a protection."),
    ("SHD-03", "palisade"): ("palisade right", "As SHD-02: Prowler skips Shield checks without an ACTIVE subscription."),
    ("SHD-04", "palisade"): ("palisade right", "As SHD-02: Prowler skips Shield checks without an ACTIVE subscription."),
    ("SM-02", "prowler"): (
        "palisade right on this data",
        "Prowler's `secretsmanager_secret_rotated_periodically` FAILs every secret that has never been "
        "rotated (\"has never been rotated\"), however young. SM-02 measures the time since the last rotation, "
        "or since creation when never rotated, as the AWS Config rule behind FSBP SecretsManager.4 bounds "
        "\"the number of days a secret can remain unchanged\" (90): these secrets were created minutes ago, so "
        "none is overdue yet. That they do not rotate at all is "
        "SM-01's finding, on which both tools agree."),
    ("SM-04", "prowler"): (
        "palisade right on this data",
        "moto never reports `LastAccessedDate`. Prowler reads a missing date as \"never accessed\" and FAILs "
        "every secret; palisade does not call a secret created minutes ago unused for 90 days. On AWS a "
        "secret with no LastAccessedDate that is older than 90 days would FAIL both."),
    ("WAF-02", "prowler"): (
        "palisade right",
        "app-alb and legacy-admin-alb do have a regional web ACL associated (the seed's "
        "AssociateWebACL; palisade reads it with GetWebACLForResource). Prowler learns associations only from "
        "`ListResourcesForWebACL`, which moto does not implement (HTTP 500), and then FAILs every ALB as "
        "unprotected instead of reporting an error: false FAILs caused by an API error."),
    ("WAF-10", "palisade"): (
        "palisade right",
        "The legacy user pool has no web ACL (GetWebACLForResource). Prowler's default run does not execute "
        "`cognito_user_pool_waf_acl_attached` (category `threat-detection`, left out unless asked for). Run "
        "alone it FAILs both pools: it learns associations only from `ListResourcesForWebACL`, which moto "
        "does not implement (HTTP 500), so it would also miss app-users' ACL, as in WAF-02."),
    ("CICD-02", "prowler"): (
        "both right (another granularity)",
        "Prowler's `ecr_registry_scan_images_on_push_enabled` FAILs the registry because its enhanced-scanning "
        "rule has a repository filter (`app-*`), so scanning is not registry-wide. palisade judges each "
        "repository: it is scanned if it scans on push or a registry rule's filter matches it. The one "
        "repository that neither covers, legacy-web, is FAILed by both tools; the app-* repositories are "
        "scanned, so palisade has nothing to FAIL at the registry level."),
    ("CICD-03", "palisade"): (
        "palisade right",
        "legacy-pipeline's CodeBuild action passes SLACK_WEBHOOK_TOKEN as a PLAINTEXT environment variable "
        "(the action's `EnvironmentVariables` configuration). Prowler's `codebuild_project_no_secrets_in_"
        "variables` reads CodeBuild projects only, never the variables a pipeline action adds, so the "
        "pipeline's clear-text token goes unreported."),
    ("CW-01", "prowler"): (
        "emulator artefact (palisade ERROR, never PASS)",
        "moto 5.2.5 does not serve the protocol the Rust SDK's CloudWatch client speaks (Smithy RPC-v2 CBOR): "
        "it answers DescribeAlarms with HTTP 404, so palisade reports the call failed and CW-01 as not "
        "checked (ERROR, exit 3) instead of judging the alarms. Prowler (boto3, JSON protocol) reads them and "
        "rightly FAILs legacy-alb-5xx (actions disabled) and legacy-db-cpu (no ALARM action). Through the "
        "test-only protocol proxy (tests/emulator/cloudwatch_proxy.py: tests/live.rs and the demo) palisade "
        "FAILs the same two alarms, as seeded."),
    ("EC-01", "palisade"): (
        "palisade right",
        "legacy-sessions has no encryption in transit or at rest and no AUTH token or RBAC user group. "
        "Prowler's ElastiCache service fails while reading it (KeyError on the member cluster "
        "`cluster:legacy-sessions-001`, which moto does not list: see Prowler's log) and its three checks "
        "report nothing for either replication group, while the scan exits 0: a collection failure that "
        "leaves no trace in the findings."),
}


def rules_json(binary):
    r = subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def canonical(resource):
    """A resource id both tools share: listeners become their load balancer, inline role policies their
    role, log group ARNs lose the `:*` suffix."""
    m = re.match(r"(arn:aws:elasticloadbalancing:[^:]*:[^:]*:)listener/((?:app|net)/[^/]+/[^/]+)/[^/]+$", resource)
    if m:
        return f"{m.group(1)}loadbalancer/{m.group(2)}"
    m = re.match(r"(arn:aws:iam::\d+:role/(?:.*/)?[^/]+)/policy/[^/]+$", resource)
    if m:
        return m.group(1)
    # DescribeLogGroups' `arn` ends in `:*` (Prowler's id); palisade names the log group without it.
    m = re.match(r"(arn:aws:logs:[^:]*:\d+:log-group:.+):\*$", resource)
    if m:
        return m.group(1)
    return resource


RANK = {"FAIL": 3, "ERROR": 2, "PASS": 1}


def load_palisade(path):
    with open(path) as f:
        report = json.load(f)
    out = {}
    for r in report["results"]:
        d = out.setdefault(r["rule_id"], {})
        key = canonical(r["resource_id"])
        # A load balancer FAILs if any of its listeners does (then ERROR, then PASS).
        if RANK.get(r["status"], 0) > RANK.get(d.get(key), 0):
            d[key] = r["status"]
    return out


def load_prowler(path):
    csv.field_size_limit(1 << 30)
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            d = out.setdefault(row["CHECK_ID"], {})
            key = canonical(row["RESOURCE_UID"])
            if d.get(key, ("",))[0] != "FAIL":
                d[key] = (row["STATUS"], row["STATUS_EXTENDED"])
    return out


def write(out_path, scan, prowler, manifest, palisade=None, rules=None, scale=1):
    rules = rules if rules is not None else rules_json(palisade)
    pal = load_palisade(scan)
    prow = load_prowler(prowler)
    with open(manifest) as f:
        man = json.load(f)
    names = {arn: name for name, arn in man.get("resources", {}).items() if isinstance(arn, str)}
    expected = {(e["rule"], canonical(e["resource"])): (e["status"], e["why"]) for e in man.get("expected", [])}
    for e in man.get("omitted", []):
        expected.setdefault((e["rule"], canonical(e["resource"])),
                            (f'{e.get("emulator_status")} on the emulator, {e.get("fixture_status")} as designed',
                             e["why"]))

    def label(res):
        if res in names:
            return names[res]
        tail = re.split(r"[:/]", res)
        return "/".join(tail[-2:]) if ":loadbalancer/" in res else tail[-1]

    lines = [f"# Agreement of palisade and Prowler at --scale {scale}", "",
             "Same emulator, same account and region. For each palisade rule with Prowler equivalents (its "
             "METADATA `prowler:` ids, as in the catalogue), the resources each tool marks FAIL. Prowler's side "
             "is the union of the mapped checks. `n/m` = FAIL / resources judged. ALB listeners count as their "
             "load balancer, inline role policies as their role.", "",
             "Prowler ran as in the benchmark: `--service` with the services palisade covers, "
             "`--scan-unused-services` (moto gives load balancers and databases no network interfaces, so "
             "without it every security group looks unused and is skipped), no retries. Its default run leaves "
             "out the `threat-detection` category (e.g. `cognito_user_pool_advanced_security_enabled`, "
             "`cognito_user_pool_waf_acl_attached`). \"no result\" = the tool reported nothing for the "
             "resource under the mapped checks.", "",
             "| rule | Prowler checks | palisade FAIL | Prowler FAIL | both FAIL | only palisade FAILs | "
             "only Prowler FAILs | verdict |", "|---|---|---|---|---|---|---|---|"]
    details = []
    totals = {"rules": 0, "compared": 0, "agree": 0, "pairs_both": 0, "only_pal": 0, "only_prow": 0}
    for rule in sorted(rules, key=lambda r: r["id"]):
        checks = (rule.get("frameworks") or {}).get("prowler") or []
        if not checks:
            continue
        rid = rule["id"]
        p_all = pal.get(rid, {})
        p = {r: st for r, st in p_all.items() if st in ("PASS", "FAIL")}
        p_err = sum(st == "ERROR" for st in p_all.values())
        q = {}
        for c in checks:
            for res, (st, why) in prow.get(c, {}).items():
                if q.get(res, ("",))[0] != "FAIL":
                    q[res] = (st, f"{c}: {why}")
        p_fail = {r for r, s in p.items() if s == "FAIL"}
        q_fail = {r for r, (s, _) in q.items() if s == "FAIL"}
        both = p_fail & q_fail
        only_p = sorted(p_fail - q_fail)
        only_q = sorted(q_fail - p_fail)
        totals["rules"] += 1
        totals["pairs_both"] += len(both)
        totals["only_pal"] += len(only_p)
        totals["only_prow"] += len(only_q)

        def other(res, side):
            if side == "palisade":
                return f"Prowler {q[res][0]}" if res in q else "Prowler: no result"
            return f"palisade {p_all[res]}" if res in p_all else "palisade: no result"

        cells = []
        verdict = []
        for side, items in (("palisade", only_p), ("prowler", only_q)):
            cells.append(", ".join(f"{label(r)} ({other(r, side)})" for r in items) or "—")
            if items:
                v = VERDICTS.get((rid, side))
                verdict.append(v[0] if v else "not reviewed")
                for r in items:
                    exp = expected.get((rid, r))
                    prow_says = q[r][1] if r in q else "(no finding)"
                    details.append((rid, side, label(r), r, p_all.get(r, "no result"),
                                    q[r][0] if r in q else "no result", prow_says, exp, v))
        if not p and not q:
            verdict.append("not compared: palisade ERROR (not collected yet)" if p_err
                           else "not compared: no such resources")
        elif not only_p and not only_q:
            totals["agree"] += 1
            verdict.append("agree")
        if p or q:
            totals["compared"] += 1
        n_p = f"{len(p_fail)}/{len(p)}" + (f" (+{p_err} ERROR)" if p_err else "")
        n_q = f"{len(q_fail)}/{len(q)}" if q else "no result"
        lines.append(f"| {rid} | {', '.join(checks)} | {n_p} | {n_q} | {len(both)} | {cells[0]} | {cells[1]} | "
                     f"{'; '.join(verdict)} |")
    lines += ["", f"{totals['rules']} rules with Prowler equivalents, {totals['compared']} with resources to "
              f"compare: {totals['agree']} agree on every resource; "
              f"{totals['pairs_both']} resource FAILs found by both, {totals['only_pal']} by palisade alone, "
              f"{totals['only_prow']} by Prowler alone.", "", "## Disagreements, resource by resource", ""]
    seen = set()
    for rid, side, name, res, p_st, q_st, prow_says, exp, v in details:
        lines.append(f"- **{rid}** `{name}` — palisade {p_st}, Prowler {q_st}.")
        lines.append(f"  - Prowler says: {prow_says.strip()}")
        if exp:
            lines.append(f"  - seeded as: {exp[0]} for {rid} — {exp[1]}")
        if v and (rid, side) not in seen:
            lines.append(f"  - **verdict: {v[0]}.** {v[1]}")
            seen.add((rid, side))
        elif not v:
            lines.append("  - verdict: not reviewed")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return totals


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scan", required=True, help="palisade scan --format json output")
    ap.add_argument("--prowler", required=True, help="Prowler CSV output")
    ap.add_argument("--manifest", required=True, help="tests/emulator/seed.py --manifest output")
    ap.add_argument("--palisade", default=os.path.join(REPO, "target", "debug", "palisade"))
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    out = "/dev/stdout" if a.out == "-" else a.out
    write(out, a.scan, a.prowler, a.manifest, palisade=a.palisade, scale=a.scale)


if __name__ == "__main__":
    sys.exit(main())
