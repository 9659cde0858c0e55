#!/usr/bin/env python3
"""The fewest API calls that can read what palisade reads, from a recording of its HTTP exchanges.

    python3 tests/bench/mincalls.py CENSUS.jsonl [--markdown OUT.md]

CENSUS.jsonl is what tests/emulator/record.py --proxy-only --raw writes (the benchmark's census run: one
exchange per line, request and response bodies). Every operation palisade calls is one of four kinds (OPS):

- list: a paginated listing. A listing is the set of calls with the same parameters apart from the page
  token and the page size; its fewest calls are the pages of the API's largest page size,
  max(1, ceil(items / page_max)), with the items counted in the responses.
- batch: takes up to N ids per call (e.g. ECS DescribeServices, 10): ceil(ids / N) per scope (e.g. cluster).
- each: one call per resource that no list or batch call of the API can replace (the reason is in OPS).
  Its fewest calls are the distinct requests: asking twice for the same thing is waste.
- once: one call per account and region: the distinct requests.

An operation missing from OPS is counted as made (its fewest calls = its calls) and listed as unclassified,
so that a new collector call shows up here instead of silently lowering the minimum.

The minimum is that of the real APIs. Where the emulator forces calls that AWS would not (smaller pages
than palisade asks for, a field it omits, an operation it lacks), the table says so.

Standard library only.
"""
import argparse
import collections
import json
import math
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True

# Parameters that only page: left out of a listing's scope.
PAGING = {"NextToken", "nextToken", "MaxResults", "maxResults", "Limit", "NextMarker", "Marker", "marker",
          "PageSize", "MaxRecords", "MaxItems", "maxitems", "max-items", "max-buckets", "continuation-token",
          "x-id", "Version"}

# operation -> (kind, parameter). list: (page_max, items, note); batch: (size, ids key, scope keys, note);
# each / once: note. items: a JSON key, or (XML list element, item element); a tuple of those is summed.
OPS = {
    # --- lists
    "secretsmanager:ListSecrets": ("list", 100, "SecretList", ""),
    "wafv2:ListWebACLs": ("list", 100, "WebACLs", ""),
    "wafv2:ListIPSets": ("list", 100, "IPSets", ""),
    "wafv2:ListLoggingConfigurations": ("list", 100, "LoggingConfigurations", ""),
    "codedeploy:ListApplications": ("list", 100, "applications", "pages set by AWS"),
    "codedeploy:ListDeploymentGroups": ("list", 100, "deploymentGroups", "per application; pages set by AWS"),
    "ecs:ListClusters": ("list", 100, "clusterArns", ""),
    "ecs:ListServices": ("list", 100, "serviceArns", "per cluster"),
    "elasticloadbalancing:DescribeLoadBalancers": ("list", 400, ("LoadBalancers", "member"), ""),
    "elasticloadbalancing:DescribeListeners": ("list", 400, ("Listeners", "member"), "per load balancer"),
    "s3:ListBuckets": ("list", 10000, ("Buckets", "Bucket"), ""),
    "cloudfront:ListDistributions": ("list", 1000, ("Items", "DistributionSummary"), ""),
    "cognito-idp:ListUserPools": ("list", 60, "UserPools", ""),
    "cognito-idp:ListUserPoolClients": ("list", 60, "UserPoolClients", "per user pool"),
    "codepipeline:ListPipelines": ("list", 1000, "pipelines", ""),
    "codebuild:ListProjects": ("list", 100, "projects", "pages set by AWS"),
    "sns:ListTopics": ("list", 100, ("Topics", "member"), "pages set by AWS"),
    "sns:ListSubscriptions": ("list", 100, ("Subscriptions", "member"), "pages set by AWS"),
    "rds:DescribeDBInstances": ("list", 100, ("DBInstances", "DBInstance"), ""),
    "rds:DescribeDBClusters": ("list", 100, ("DBClusters", "DBCluster"), ""),
    "rds:DescribeDBParameterGroups": ("list", 100, ("DBParameterGroups", "DBParameterGroup"), ""),
    "rds:DescribeDBParameters": ("list", 100, ("Parameters", "Parameter"),
                                 "per parameter group (its parameters are not in DescribeDBParameterGroups)"),
    "rds:DescribeDBClusterParameterGroups": ("list", 100, ("DBClusterParameterGroups", "DBClusterParameterGroup"),
                                             ""),
    "rds:DescribeDBClusterParameters": ("list", 100, ("Parameters", "Parameter"),
                                        "per cluster parameter group in use (its parameters are not in "
                                        "DescribeDBClusterParameterGroups)"),
    "ec2:DescribeSecurityGroups": ("list", 1000, ("securityGroupInfo", "item"), ""),
    "ec2:DescribeNetworkInterfaces": ("list", 1000, ("networkInterfaceSet", "item"), ""),
    "ecr:DescribeRepositories": ("list", 1000, "repositories", ""),
    "elasticache:DescribeReplicationGroups": ("list", 100, ("ReplicationGroups", "ReplicationGroup"), ""),
    "logs:DescribeLogGroups": ("list", 50, "logGroups", ""),
    "application-autoscaling:DescribeScalableTargets": ("list", 50, "ScalableTargets", ""),
    "application-autoscaling:DescribeScalingPolicies": ("list", 50, "ScalingPolicies", ""),
    "monitoring:DescribeAlarms": ("list", 100, "MetricAlarms", ""),
    "route53:ListHostedZones": ("list", 100, ("HostedZones", "HostedZone"), ""),
    "route53:ListHealthChecks": ("list", 1000, ("HealthChecks", "HealthCheck"), ""),
    "route53:ListQueryLoggingConfigs": ("list", 100, ("QueryLoggingConfigs", "QueryLoggingConfig"), ""),
    "iam:GetAccountAuthorizationDetails": ("list", 1000, (("UserDetailList", "member"),
                                                          ("GroupDetailList", "member"),
                                                          ("RoleDetailList", "member"),
                                                          ("Policies", "member")), ""),
    "shield:ListProtections": ("list", 10000, "Protections", ""),
    "synthetics:DescribeCanaries": ("list", 20, "Canaries", ""),
    "xray:GetSamplingRules": ("list", 100, "SamplingRuleRecords", "pages set by AWS"),
    # --- batches
    "elasticloadbalancing:DescribeTags": ("batch", 20, "ResourceArns", (), ""),
    "ecs:DescribeClusters": ("batch", 100, "clusters", (), ""),
    "ecs:DescribeServices": ("batch", 10, "services", ("cluster",), "per cluster"),
    "codebuild:BatchGetProjects": ("batch", 100, "names", (), ""),
    "codedeploy:GetDeploymentGroup": ("batch", 100, "deploymentGroupName", ("applicationName",),
                                      "BatchGetDeploymentGroups (up to 100 per application) would do; "
                                      "the emulator does not implement it, so palisade asks per group"),
    # --- one per resource
    "secretsmanager:GetResourcePolicy": ("each", "a secret's resource policy is not in ListSecrets"),
    "wafv2:GetWebACL": ("each", "ListWebACLs returns summaries, without rules or default action"),
    "wafv2:GetIPSet": ("each", "ListIPSets returns summaries, without addresses"),
    "wafv2:GetWebACLForResource": ("each", "per protected resource (load balancer, API, user pool); "
                                           "ListResourcesForWebACL would need a call per web ACL and resource type"),
    "ecs:DescribeTaskDefinition": ("each", "ECS has no batch describe for task definitions"),
    "elasticloadbalancing:DescribeLoadBalancerAttributes": ("each", "attributes are read one load balancer "
                                                                    "at a time"),
    "s3:GetBucketPolicy": ("each", "S3 has no batch read of bucket policies"),
    "s3:GetBucketPolicyStatus": ("each", "S3's own public/not public verdict, per bucket"),
    "s3:GetPublicAccessBlock": ("each", "per bucket"),
    "s3:GetBucketLocation": ("each-aws0", "on AWS, ListBuckets with max-buckets returns each bucket's region "
                                          "(BucketRegion) and palisade then asks nothing more; the emulator "
                                          "omits BucketRegion, so palisade asks per bucket"),
    "cloudfront:GetDistribution": ("each", "logging and the default root object are not in "
                                           "ListDistributions' summaries"),
    "codepipeline:GetPipeline": ("each", "ListPipelines returns names only"),
    "cognito-idp:DescribeUserPool": ("each", "ListUserPools returns names and ids only"),
    "cognito-idp:DescribeUserPoolClient": ("each", "ListUserPoolClients returns names and ids only"),
    "cognito-idp:GetUserPoolMfaConfig": ("each", "the MFA factors are not in DescribeUserPool"),
    "sns:GetTopicAttributes": ("each", "ListTopics returns ARNs only"),
    # --- one per account or region
    "sts:GetCallerIdentity": ("once", ""),
    "shield:DescribeSubscription": ("once", ""),
    "iam:GetAccountPasswordPolicy": ("once", ""),
    "iam:GetAccountSummary": ("once", ""),
    "s3control:GetPublicAccessBlock": ("once", ""),
    "ecr:GetRegistryScanningConfiguration": ("once", ""),
    "xray:GetEncryptionConfig": ("once", ""),
}

# REST operations: (service, method, path pattern) -> name.
REST = [
    ("s3", "GET", r"/\?(.*&)?x-id=ListBuckets", "ListBuckets"),
    ("s3", "GET", r"/v20180820/configuration/publicAccessBlock", "s3control:GetPublicAccessBlock"),
    ("s3", "GET", r"/[^/?]+/?\?location", "GetBucketLocation"),
    ("s3", "GET", r"/[^/?]+/?\?policyStatus", "GetBucketPolicyStatus"),
    ("s3", "GET", r"/[^/?]+/?\?policy", "GetBucketPolicy"),
    ("s3", "GET", r"/[^/?]+/?\?publicAccessBlock", "GetPublicAccessBlock"),
    ("cloudfront", "GET", r"/\d{4}-\d\d-\d\d/distribution/[^/?]+", "GetDistribution"),
    ("cloudfront", "GET", r"/\d{4}-\d\d-\d\d/distribution", "ListDistributions"),
    ("route53", "GET", r"/\d{4}-\d\d-\d\d/hostedzone", "ListHostedZones"),
    ("route53", "GET", r"/\d{4}-\d\d-\d\d/healthcheck", "ListHealthChecks"),
    ("route53", "GET", r"/\d{4}-\d\d-\d\d/queryloggingconfig", "ListQueryLoggingConfigs"),
    ("xray", "POST", r"/EncryptionConfig", "GetEncryptionConfig"),
    ("xray", "POST", r"/GetSamplingRules", "GetSamplingRules"),
    ("synthetics", "POST", r"/canaries", "DescribeCanaries"),
    ("monitoring", "POST", r"/service/[^/]+/operation/(\w+)", None),
]


def operation(ex):
    """`service:Operation` of one recorded exchange."""
    svc = ex.get("service") or "unsigned"
    req = ex["request"]
    target = req.get("target")
    if target:
        return f"{svc}:{target.rsplit('.', 1)[-1]}"
    body = req.get("body", {}).get("text")
    m = re.match(r"(?:.*&)?Action=([A-Za-z0-9]+)", body if isinstance(body, str) else "")
    if m:
        return f"{svc}:{m.group(1)}"
    for service, method, pattern, name in REST:
        if svc == service and req["method"] == method:
            m = re.fullmatch(pattern + r"(\?.*|&.*)?", req["path"])
            if m:
                if name is None:
                    return f"{svc}:{m.group(1)}"
                return name if ":" in name else f"{svc}:{name}"
    return f"{svc}:{rest_operation(svc, req['method'], req['path'])}"


def rest_operation(service, method, path):
    """A readable name for a REST call the table above does not name: literal path segments kept, ids and
    names as {}, the query's keys (S3 sub-resources such as ?policy) kept."""
    base, _, query = path.partition("?")
    segs = [x for x in base.split("/") if x]
    out = []
    for i, seg in enumerate(segs):
        literal = re.fullmatch(r"\d{4}-\d{2}-\d{2}|v\d+|[a-z][A-Za-z]*", seg)
        out.append(seg if literal and not (service == "s3" and i == 0 and not seg.startswith("v2")) else "{}")
    keys = sorted({kv.split("=", 1)[0] for kv in query.split("&") if kv})
    return f"{method} /{'/'.join(out)}" + (f"?{'&'.join(keys)}" if keys else "")


def params(ex):
    """The request's parameters as a sorted tuple of (name, value), the JSON body, or None."""
    req = ex["request"]
    body = req.get("body", {})
    if "json" in body and isinstance(body["json"], dict):
        return body["json"]
    text = body.get("text")
    pairs = []
    if isinstance(text, str) and "=" in text:
        pairs += urllib.parse.parse_qsl(text, keep_blank_values=True)
    _, _, query = req["path"].partition("?")
    pairs += urllib.parse.parse_qsl(query, keep_blank_values=True)
    return pairs


def scope(ex, keep=None):
    """What a call is about, without its paging parameters (or only the `keep` parameters)."""
    p = params(ex)
    path = ex["request"]["path"].split("?")[0]
    if isinstance(p, dict):
        items = [(k, json.dumps(v, sort_keys=True)) for k, v in p.items()]
    else:
        items = list(p)
    if keep is not None:
        items = [(k, v) for k, v in items if k in keep]
    else:
        items = [(k, v) for k, v in items if k not in PAGING and k != "Action"]
    return (path, tuple(sorted(items)))


def strip(tag):
    return tag.rsplit("}", 1)[-1]


def xml_root(ex):
    text = ex["response"]["body"].get("text")
    if isinstance(text, list):
        text = "\n".join(text)
    if not isinstance(text, str) or not text.strip().startswith("<"):
        return None
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        return None


def count_items(ex, spec):
    """The number of items a list response holds."""
    if isinstance(spec, tuple) and spec and isinstance(spec[0], tuple):
        return sum(count_items(ex, s) for s in spec)
    if isinstance(spec, str):
        body = ex["response"]["body"].get("json")
        if not isinstance(body, dict):
            return 0
        v = body.get(spec)
        return len(v) if isinstance(v, list) else 0
    outer, item = spec
    root = xml_root(ex)
    if root is None:
        return 0
    for el in root.iter():
        if strip(el.tag) == outer:
            return sum(1 for c in el if strip(c.tag) == item)
    return 0


def batch_ids(ex, key):
    """The ids one batch call asks for."""
    p = params(ex)
    if isinstance(p, dict):
        v = p.get(key)
        vals = v if isinstance(v, list) else ([] if v is None else [v])
        return {json.dumps(x, sort_keys=True) for x in vals}
    return {v for k, v in p if k == key or re.fullmatch(re.escape(key) + r"\.member\.\d+", k)}


def page_size_asked(ex):
    p = params(ex)
    keys = ("MaxResults", "maxResults", "Limit", "PageSize", "MaxRecords", "MaxItems", "maxitems",
            "max-items", "max-buckets")
    if isinstance(p, dict):
        for k in keys:
            if k in p:
                return p[k]
        return None
    for k, v in p:
        if k in keys:
            return int(v) if v.isdigit() else v
    return None


def analyse(exchanges):
    """Per operation: calls, fewest calls and a note. Returns (rows, total calls, total fewest)."""
    by_op = collections.defaultdict(list)
    for ex in exchanges:
        by_op[operation(ex)].append(ex)
    rows = []
    for op, exs in sorted(by_op.items()):
        spec = OPS.get(op)
        calls = len(exs)
        note = ""
        if spec is None:
            fewest, kind, note = calls, "unclassified", "not in tests/bench/mincalls.py's table: counted as made"
        elif spec[0] == "list":
            _, page_max, items_spec, note = spec
            kind = "list"
            listings = collections.defaultdict(list)
            for ex in exs:
                listings[scope(ex)].append(ex)
            fewest = 0
            asked = set()
            empty_last = 0
            for pages in listings.values():
                counts = [count_items(ex, items_spec) for ex in pages]
                fewest += max(1, math.ceil(sum(counts) / page_max))
                asked |= {page_size_asked(ex) for ex in pages}
                empty_last += len(counts) > 1 and counts[-1] == 0
            if calls > fewest:
                sizes = sorted(str(a) for a in asked if a is not None)
                extra = (f"palisade asked for pages of {', '.join(sizes)} (API maximum {page_max})"
                         if sizes and all(str(s) != str(page_max) for s in sizes)
                         else f"the emulator answered in pages smaller than {page_max}" if sizes
                         else "the API has no page size parameter: the emulator's pages"
                         if "pages set by AWS" in note
                         else f"palisade set no page size (API maximum {page_max})")
                if empty_last:
                    extra += f"; {empty_last} empty last page(s) after a page token"
                note = "; ".join(x for x in (note, extra) if x)
            note = "; ".join(x for x in (f"{len(listings)} listing(s), API pages of up to {page_max}", note) if x)
        elif spec[0] == "batch":
            _, size, key, keep, note = spec
            kind = "batch"
            groups = collections.defaultdict(set)
            for ex in exs:
                groups[scope(ex, set(keep))] |= batch_ids(ex, key)
            fewest = sum(max(1, math.ceil(len(ids) / size)) for ids in groups.values())
            note = "; ".join(x for x in (f"up to {size} per call", note) if x)
        else:
            kind = spec[0]
            note = spec[1]
            distinct = len({scope(ex) for ex in exs})
            fewest = 0 if kind == "each-aws0" else distinct
            if kind == "each-aws0":
                kind = "each"
            elif distinct < calls:
                note = "; ".join(x for x in (note, f"{calls - distinct} repeated request(s)") if x)
        if fewest > calls:
            note = "; ".join(x for x in (note, "the emulator answered with more items per page than the "
                                               "API's maximum: AWS would need the pages counted here") if x)
        rows.append({"operation": op, "kind": kind, "calls": calls, "fewest": fewest, "note": note})
    return rows, sum(r["calls"] for r in rows), sum(r["fewest"] for r in rows)


def read(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def markdown(rows, calls, fewest, title):
    lines = [title, "",
             f"palisade made **{calls}** calls; the fewest that read the same data from the APIs: **{fewest}** "
             f"({calls - fewest:+d}); calls above the fewest, summed over the operations that made more: "
             f"**{sum(max(0, r['calls'] - r['fewest']) for r in rows)}**. Kinds: list = pages of a listing at the API's largest page size; batch = "
             "ids per call at the API's largest batch; each = one per resource, no list or batch replaces it; "
             "once = per account and region (tests/bench/mincalls.py).", "",
             "| operation | kind | calls | fewest | why |", "|---|---|---:|---:|---|"]
    for r in sorted(rows, key=lambda r: (-(r["calls"] - r["fewest"]), -r["calls"], r["operation"])):
        lines.append(f"| {r['operation']} | {r['kind']} | {r['calls']} | {r['fewest']} | {r['note']} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("census", help="exchanges as JSON lines (record.py --proxy-only --raw)")
    ap.add_argument("--markdown", help="write the per-operation table here")
    args = ap.parse_args()
    rows, calls, fewest = analyse(read(args.census))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(rows, calls, fewest, f"# Fewest API calls ({args.census})"))
    print(json.dumps({"calls": calls, "fewest": fewest,
                      "unclassified": [r["operation"] for r in rows if r["kind"] == "unclassified"]}))


if __name__ == "__main__":
    main()
