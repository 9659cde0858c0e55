#!/usr/bin/env python3
"""Seeds the local AWS emulator (moto server) with palisade's reference architecture.

The account holds the reference web application twice, as in tests/fixtures/reference/README.md: the "app"
stack follows every measure of the reference architecture (compliant twins) and the "legacy" stack breaks
them (known violations). `--scale N` builds N copies of both stacks (copy 1 keeps the README's names, copy k
gets the suffix "-k"). `--manifest FILE` writes the ARNs palisade will report for copy 1 and the rule
results the seeding deliberately produces, so that a live scan of the emulator can be asserted.

    seed.py --endpoint http://127.0.0.1:PORT [--scale N] [--manifest FILE] [--region us-east-1] [--reset]

Run it against a freshly reset emulator (POST /moto-api/reset, or pass --reset): it creates, it does not
reconcile. Every call that fails stops the seeding with a non-zero exit and the failing operation, except
the few operations moto 5.2.5 does not implement, which are skipped with a warning on stderr (and the
expectations that depend on them are listed under "omitted" in the manifest).

What the emulator cannot represent (moto 5.2.5), hence "omitted" rather than "expected":
- dates: CreatedDate/LastRotatedDate are the seeding time and LastAccessedDate is never reported, so old,
  unused or overdue secrets (SM-02/03/04 failures) cannot exist; LatestRestorableTime is always "now" (RDS-12);
- RDS never reports PerformanceInsightsEnabled or CertificateDetails (RDS-11/RDS-09 compliant twins);
- CloudFront drops OriginAccessControlId and S3OriginConfig from the origins it returns (CF-03 compliant twin);
- Shield has no EnableApplicationLayerAutomaticResponse (SHD-05 compliant twins); the account is left
  unsubscribed on purpose (SHD-01 FAIL);
- root MFA cannot be enabled: GetAccountSummary says AccountMFAEnabled=0 (IAM-01 FAIL, fixture PASS);
- Tier 3 (tests/fixtures/reference/tier3.json): X-Ray answers every call with 404 (no KMS encryption, no sampling
  rules: XR-01/XR-02); canaries cannot be started (they stay READY: CW-05); every SNS subscription is confirmed at
  once (legacy-alerts gets none instead of a pending one); moto numbers task definition revisions from 1 and
  generates the ids of scalable targets, scaling policies, subscriptions, health checks and query logging configs,
  and the names of the target-tracking alarms (two per policy). The fixture's second account is not seeded.
The rules whose data the emulator cannot serve to the Rust SDK are listed under "emulator_gaps" in the manifest.
Side effect on the emulator: POST /moto-api/config {"lambda": {"use_docker": false}}, so that RotateSecret can
"run" the rotation Lambdas without Docker (a reset does not undo it; it only matters for Lambda invocations).
"""
import argparse
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

# Dummy credentials: moto checks that requests are signed, never the signature.
for _k, _v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_SESSION_TOKEN": "testing", "AWS_SECURITY_TOKEN": "testing"}.items():
    os.environ[_k] = _v
for _k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE",
           "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(_k, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
# The emulator is on loopback: never go through a proxy configured for the machine.
for _k in ("NO_PROXY", "no_proxy"):
    os.environ[_k] = ",".join(x for x in (os.environ.get(_k, ""), "127.0.0.1,localhost,::1") if x)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402

ACCOUNT = "123456789012"
GLOBAL_REGION = "us-east-1"  # CloudFront, Route 53, IAM, Shield, CLOUDFRONT-scope WAF and its ACM certificates
CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"
# AWS managed cache policies (CachingOptimized, CachingDisabled): referenced only, never resolved by moto.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
LEGACY_OAI = "origin-access-identity/cloudfront/E4LEGACYOAI01"  # moto has no CreateCloudFrontOriginAccessIdentity
ECS_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
# Rules whose data the emulator cannot serve to palisade's collectors (moto 5.2.5, Rust SDK): a live scan reports
# ERROR for what they would pass, while what they fail on other data stays FAIL.
EMULATOR_GAPS = {
    "XR-01": "X-Ray: moto answers every call with HTTP 404 (GetSamplingRules), so no sampling rule is collected; the "
             "task definitions the rule would pass are ERROR, legacy-web (no sidecar) stays FAIL",
    "XR-02": "X-Ray: GetEncryptionConfig answers HTTP 404, no encryption configuration is collected",
}
# Tier 3, copy 1: the alarms and log groups (retention in days, None = never expire) of tier3.json.
ALARMS = ("app-alb-5xx", "app-alb-latency", "app-db-cpu", "app-db-free-storage", "app-db-connections", "app-waf-blocked",
          "app-edge-waf-blocked", "app-cdn-5xx", "app-frontend-cpu", "app-frontend-memory", "app-backend-cpu",
          "app-backend-memory", "app-health-check", "app-canary-success", "legacy-alb-5xx", "legacy-db-cpu",
          "legacy-web-cpu")
LOG_GROUPS = {"/ecs/app-frontend": 365, "/ecs/app-backend": 365, "aws-waf-logs-app-regional-acl": 400,
              "/aws/rds/instance/app-db/error": 731, "/aws/rds/instance/app-db/slowquery": 731,
              "/aws/route53/app.example.com": 365, "/aws/codebuild/app-build": None, "/ecs/legacy-web": 14,
              "/aws/rds/instance/legacy-db/error": 7}


class SeedError(Exception):
    pass


def warn(msg):
    print(f"seed.py: warning: {msg}", file=sys.stderr)


def not_implemented(err):
    """True for moto's answers to operations it does not implement (404/500/501 HTML pages)."""
    if isinstance(err, NotImplementedError):
        return True
    if isinstance(err, ClientError):
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = str(err.response.get("Error", {}).get("Code", ""))
        return status in (404, 500, 501) and code in ("404", "500", "501", "NotImplemented", "InternalFailure",
                                                     "InternalError", "")
    return False


def jdump(obj):
    return json.dumps(obj, separators=(",", ":"))


class Emulator:
    """boto3 clients on the emulator, with loud failures."""

    def __init__(self, endpoint, region):
        self.endpoint = endpoint.rstrip("/")
        self.region = region
        self.session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                             aws_session_token="testing", region_name=region)
        # No retries: moto answers at once, and an unimplemented operation would otherwise back off.
        self.config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5,
                             read_timeout=120, s3={"addressing_style": "path"})
        self.clients = {}
        self.calls = 0
        self.unsupported = {}

    def client(self, service, region=None):
        key = (service, region or self.region)
        if key not in self.clients:
            c = self.session.client(service, endpoint_url=self.endpoint, region_name=key[1], config=self.config)
            if service == "s3control":
                # The SDK prefixes the account id to the host (123456789012.127.0.0.1), which does not resolve.
                c.meta.events.register("before-send.s3-control", _strip_account_host_prefix)
            self.clients[key] = c
        return self.clients[key]

    def call(self, service, op, region=None, **kwargs):
        client = self.client(service, region)
        self.calls += 1
        try:
            return getattr(client, op)(**kwargs)
        except (ClientError, BotoCoreError) as e:
            raise SeedError(f"{service}:{op} failed: {e}") from e

    def optional(self, service, op, why, region=None, **kwargs):
        """Calls an operation moto may not implement; skips it (warning once per operation) when it does not."""
        key = f"{service}:{op}"
        if key in self.unsupported:
            return None
        client = self.client(service, region)
        self.calls += 1
        try:
            return getattr(client, op)(**kwargs)
        except (ClientError, NotImplementedError) as e:
            if not_implemented(e):
                self.unsupported[key] = why
                warn(f"{key} is not implemented by the emulator, skipped ({why})")
                return None
            raise SeedError(f"{key} failed: {e}") from e
        except BotoCoreError as e:
            raise SeedError(f"{key} failed: {e}") from e

    def moto_api(self, path, body=None):
        url = self.endpoint + path
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method="GET" if data is None else "POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.read()
        except (urllib.error.URLError, OSError) as e:
            raise SeedError(f"emulator API {url} failed: {e}") from e


def _strip_account_host_prefix(request, **_):
    parts = urllib.parse.urlsplit(request.url)
    host = parts.hostname or ""
    if host.startswith(ACCOUNT + "."):
        netloc = parts.netloc.replace(ACCOUNT + ".", "", 1)
        request.url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        if "host" in request.headers:
            del request.headers["host"]


def tags_kv(stack, **extra):
    t = {"stack": stack, "env": "prod", "seeded-by": "palisade"}
    t.update(extra)
    return [{"Key": k, "Value": v} for k, v in t.items()]


def tag_spec(resource_type, stack, name=None):
    extra = {"Name": name} if name else {}
    return [{"ResourceType": resource_type, "Tags": tags_kv(stack, **extra)}]


def vis(metric, metrics=True):
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": metrics, "MetricName": metric}


def managed_rule(name, priority, override="None", rule_action_overrides=None):
    stmt = {"VendorName": "AWS", "Name": name}
    if rule_action_overrides:
        stmt["RuleActionOverrides"] = [{"Name": n, "ActionToUse": {"Count": {}}} for n in rule_action_overrides]
    return {"Name": f"AWS-{name}", "Priority": priority, "OverrideAction": {override: {}},
            "Statement": {"ManagedRuleGroupStatement": stmt}, "VisibilityConfig": vis(f"AWS-{name}")}


def make_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


def assume_policy(service):
    return jdump({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})


def deny_insecure_transport(bucket):
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


class Seeder:
    def __init__(self, emu, scale):
        self.e = emu
        self.region = emu.region
        self.scale = scale
        self.counts = {}
        self.resources = {}  # copy 1: logical name -> ARN
        self.fixture_ids = {}  # copy 1: fixture id -> ARN
        self.expected = []
        self.omitted = []
        self.zip = make_zip()
        self.prefix_list = None
        self.log_groups = []  # Tier 3 log groups of every copy: created after the copies (see seed_log_groups)
        self.query_logs = []  # (first copy?, hosted zone id, log group name): Route 53 query logging of app zones

    # ---- bookkeeping -------------------------------------------------------------------------------
    def count(self, kind, n=1):
        self.counts[kind] = self.counts.get(kind, 0) + n

    def sg_arn(self, sg_id):
        return f"arn:aws:ec2:{self.region}:{ACCOUNT}:security-group/{sg_id}"

    # ---- account-wide ------------------------------------------------------------------------------
    def prepare(self):
        # Rotation Lambdas must exist for RotateSecret; moto's simple Lambda backend "runs" them without Docker.
        self.e.moto_api("/moto-api/config", {"lambda": {"use_docker": False}})
        existing = self.e.call("s3", "list_buckets").get("Buckets", [])
        if any(b["Name"] in ("app-static-assets", "legacy-public-assets", "app-logs") for b in existing):
            raise SeedError("the emulator already holds the reference architecture: reset it first "
                            "(POST /moto-api/reset, or pass --reset)")
        pls = self.e.call("ec2", "describe_managed_prefix_lists",
                          Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT_PREFIX_LIST]}])["PrefixLists"]
        if pls:
            self.prefix_list = pls[0]["PrefixListId"]
        else:  # older emulators: stand in with a customer-managed list of the same name
            self.prefix_list = self.e.call(
                "ec2", "create_managed_prefix_list", PrefixListName=CLOUDFRONT_PREFIX_LIST, MaxEntries=5,
                AddressFamily="IPv4", Entries=[{"Cidr": "130.176.0.0/18", "Description": "CloudFront"}],
            )["PrefixList"]["PrefixListId"]

    def finish(self):
        # Account-level S3 public access block, all four on (after every bucket policy is in place).
        self.e.call("s3control", "put_public_access_block", AccountId=ACCOUNT, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        self.count("s3_account_public_access_block")
        got = self.e.call("s3control", "get_public_access_block", AccountId=ACCOUNT)["PublicAccessBlockConfiguration"]
        if not all(got.values()):
            raise SeedError(f"s3control account public access block did not stick: {got}")
        summary = self.e.call("iam", "get_account_summary", region=GLOBAL_REGION)["SummaryMap"]
        self.account_summary = {k: summary.get(k) for k in ("AccountMFAEnabled", "AccountAccessKeysPresent")}

    # ---- one copy of both stacks ------------------------------------------------------------------
    def seed_copy(self, k):
        s = "" if k == 1 else f"-{k}"
        first = k == 1
        e, r, g = self.e, self.region, GLOBAL_REGION
        ids = {}

        # -- keys and certificates
        kms_key = e.call("kms", "create_key", Description=f"app{s} data key",
                         Tags=[{"TagKey": "stack", "TagValue": "app"}])["KeyMetadata"]["Arn"]
        self.count("kms_key")
        app_domain, legacy_domain = f"app{s}.example.com", f"legacy{s}.example.com"
        cf_cert = e.call("acm", "request_certificate", region=g, DomainName=app_domain, ValidationMethod="DNS",
                         Tags=tags_kv("app"))["CertificateArn"]
        alb_cert = e.call("acm", "request_certificate", DomainName=f"*{s}.example.com",
                          SubjectAlternativeNames=[app_domain, legacy_domain], ValidationMethod="DNS",
                          Tags=tags_kv("app"))["CertificateArn"]
        self.count("acm_certificate", 2)

        # -- network: VPCs, subnets, security groups
        vpcs, subnets = {}, {}
        for stack, cidr in (("app", "10.0"), ("legacy", "10.1")):
            vpc = e.call("ec2", "create_vpc", CidrBlock=f"{cidr}.0.0/16",
                         TagSpecifications=tag_spec("vpc", stack, f"{stack}-vpc{s}"))["Vpc"]["VpcId"]
            vpcs[stack] = vpc
            subnets[stack] = [
                e.call("ec2", "create_subnet", VpcId=vpc, CidrBlock=f"{cidr}.{i + 1}.0/24",
                       AvailabilityZone=f"{r}{az}",
                       TagSpecifications=tag_spec("subnet", stack, f"{stack}-{az}{s}"))["Subnet"]["SubnetId"]
                for i, az in enumerate("ab")]
        self.count("vpc", 2)
        self.count("subnet", 4)
        default_sg = {}
        for stack, vpc in vpcs.items():
            sg = e.call("ec2", "describe_security_groups", Filters=[
                {"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
            if len(sg) != 1:
                raise SeedError(f"VPC {vpc} has {len(sg)} default security groups, expected 1")
            default_sg[stack] = sg[0]
        # app VPC: the default group closed (no rules at all)
        d = default_sg["app"]
        if d.get("IpPermissions"):
            e.call("ec2", "revoke_security_group_ingress", GroupId=d["GroupId"], IpPermissions=_clean(d["IpPermissions"]))
        if d.get("IpPermissionsEgress"):
            e.call("ec2", "revoke_security_group_egress", GroupId=d["GroupId"],
                   IpPermissions=_clean(d["IpPermissionsEgress"]))
        # legacy VPC: AWS's defaults left in place - all traffic from the group itself, all traffic out
        d = default_sg["legacy"]
        e.call("ec2", "authorize_security_group_ingress", GroupId=d["GroupId"], IpPermissions=[
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": d["GroupId"]}]}])
        if not any(p.get("IpProtocol") == "-1" and any(x.get("CidrIp") == "0.0.0.0/0" for x in p.get("IpRanges", []))
                   for p in d.get("IpPermissionsEgress", [])):
            e.call("ec2", "authorize_security_group_egress", GroupId=d["GroupId"], IpPermissions=[
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        self.count("aws_default_security_group", 2)

        sg_specs = [  # name, stack, description
            ("app-alb-sg", "app", "app ALB: HTTP/HTTPS from CloudFront only"),
            ("legacy-alb-sg", "legacy", "legacy ALB"),
            ("app-db-sg", "app", "app-db: MySQL from the ECS service only"),
            ("legacy-db-sg", "legacy", "legacy-db"),
            ("app-ecs-sg", "app", "app ECS service: from the ALB only"),
            ("legacy-debug-sg", "legacy", "temporary debug access"),
        ]
        sg = {}
        for name, stack, desc in sg_specs:
            sg[name] = e.call("ec2", "create_security_group", GroupName=f"{name}{s}", Description=desc,
                              VpcId=vpcs[stack], TagSpecifications=tag_spec("security-group", stack, f"{name}{s}"))["GroupId"]
        self.count("aws_security_group", len(sg_specs))
        any_egress = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        for name in ("app-alb-sg", "app-db-sg", "app-ecs-sg"):  # app groups: no default allow-all egress
            e.call("ec2", "revoke_security_group_egress", GroupId=sg[name], IpPermissions=any_egress)

        def tcp(port, desc, cidrs=(), v6=(), groups=(), prefix_lists=()):
            p = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
            if cidrs:
                p["IpRanges"] = [{"CidrIp": c, "Description": desc} for c in cidrs]
            if v6:
                p["Ipv6Ranges"] = [{"CidrIpv6": c, "Description": desc} for c in v6]
            if groups:
                p["UserIdGroupPairs"] = [{"GroupId": x, "Description": desc} for x in groups]
            if prefix_lists:
                p["PrefixListIds"] = [{"PrefixListId": x, "Description": desc} for x in prefix_lists]
            return p

        world = ("0.0.0.0/0",)
        ingress = {
            "app-alb-sg": [tcp(443, "HTTPS from CloudFront origin-facing", prefix_lists=[self.prefix_list]),
                           tcp(80, "HTTP from CloudFront origin-facing (redirected to HTTPS)",
                               prefix_lists=[self.prefix_list])],
            "legacy-alb-sg": [tcp(80, "HTTP", world, ("::/0",)), tcp(443, "HTTPS", world), tcp(22, "SSH admin", world),
                              tcp(3389, "RDP admin", world), tcp(8080, "app direct", world)],
            "app-db-sg": [tcp(3306, "MySQL from app-ecs-sg", groups=[sg["app-ecs-sg"]])],
            "legacy-db-sg": [tcp(3306, "MySQL", world)],
            "app-ecs-sg": [tcp(8080, "from app-alb-sg", groups=[sg["app-alb-sg"]])],
            "legacy-debug-sg": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "debug - remove me"}],
                                 "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "debug - remove me"}]}],
        }
        egress = {
            "app-alb-sg": [tcp(8080, "to ECS tasks", groups=[sg["app-ecs-sg"]])],
            "app-ecs-sg": [tcp(443, "HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch)", world),
                           tcp(3306, "MySQL to app-db", groups=[sg["app-db-sg"]])],
        }
        for name, perms in ingress.items():
            e.call("ec2", "authorize_security_group_ingress", GroupId=sg[name], IpPermissions=perms)
        for name, perms in egress.items():
            e.call("ec2", "authorize_security_group_egress", GroupId=sg[name], IpPermissions=perms)

        # -- IAM (global)
        role_arn = {}
        for name, service, stack in (("app-backend-task", "ecs-tasks.amazonaws.com", "app"),
                                     ("app-ecs-execution", "ecs-tasks.amazonaws.com", "app"),
                                     ("legacy-ecs-task", "ecs-tasks.amazonaws.com", "legacy"),
                                     ("app-secret-rotation", "lambda.amazonaws.com", "app"),
                                     ("app-waf-log-delivery", "firehose.amazonaws.com", "app")):
            role_arn[name] = e.call("iam", "create_role", region=g, RoleName=f"{name}{s}",
                                    AssumeRolePolicyDocument=assume_policy(service), Tags=tags_kv(stack))["Role"]["Arn"]
        self.count("iam_role", len(role_arn))
        e.call("iam", "create_user", region=g, UserName=f"legacy-admin{s}", Tags=tags_kv("legacy"))
        self.count("iam_user")

        # -- Lambda rotation functions (never run: moto's simple backend)
        fn = {}
        for name, stack in (("app-api-key-rotation", "app"), ("legacy-mysql-rotation", "legacy")):
            fn[name] = e.call("lambda", "create_function", FunctionName=f"{name}{s}", Runtime="python3.12",
                              Role=role_arn["app-secret-rotation"], Handler="index.handler",
                              Code={"ZipFile": self.zip}, Tags={"stack": stack})["FunctionArn"]
        self.count("lambda_function", 2)

        # -- RDS
        e.call("rds", "create_db_subnet_group", DBSubnetGroupName=f"app-db-private{s}",
               DBSubnetGroupDescription="app database subnets (private)", SubnetIds=subnets["app"], Tags=tags_kv("app"))
        e.call("rds", "create_db_subnet_group", DBSubnetGroupName=f"legacy-public{s}",
               DBSubnetGroupDescription="legacy database subnets (public)", SubnetIds=subnets["legacy"],
               Tags=tags_kv("legacy"))
        pg = f"app-mysql80-tls{s}"
        pg_arn = e.call("rds", "create_db_parameter_group", DBParameterGroupName=pg, DBParameterGroupFamily="mysql8.0",
                        Description="app MySQL 8.0: TLS required, slow query log",
                        Tags=tags_kv("app"))["DBParameterGroup"]["DBParameterGroupArn"]
        e.call("rds", "modify_db_parameter_group", DBParameterGroupName=pg, Parameters=[
            {"ParameterName": n, "ParameterValue": v, "ApplyMethod": "immediate"} for n, v in (
                ("long_query_time", "2"), ("log_output", "FILE"), ("require_secure_transport", "1"),
                ("slow_query_log", "1"), ("tls_version", "TLSv1.2,TLSv1.3"))])
        self.count("aws_db_parameter_group")
        app_db = e.call("rds", "create_db_instance", DBInstanceIdentifier=f"app-db{s}", Engine="mysql",
                        EngineVersion="8.0.39", DBInstanceClass="db.m5.large", AllocatedStorage=100,
                        MasterUsername="admin", ManageMasterUserPassword=True, MultiAZ=True, StorageEncrypted=True,
                        KmsKeyId=kms_key, BackupRetentionPeriod=7, DeletionProtection=True,
                        EnableIAMDatabaseAuthentication=True, DBParameterGroupName=pg,
                        EnableCloudwatchLogsExports=["error", "slowquery"], AutoMinorVersionUpgrade=True,
                        CACertificateIdentifier="rds-ca-rsa2048-g1", VpcSecurityGroupIds=[sg["app-db-sg"]],
                        DBSubnetGroupName=f"app-db-private{s}", PubliclyAccessible=False,
                        EnablePerformanceInsights=True, Port=3306, Tags=tags_kv("app"))["DBInstance"]
        master_secret = (app_db.get("MasterUserSecret") or {}).get("SecretArn")
        if not master_secret:
            raise SeedError("rds:CreateDBInstance(ManageMasterUserPassword=True) returned no MasterUserSecret")
        legacy_db = e.call("rds", "create_db_instance", DBInstanceIdentifier=f"legacy-db{s}", Engine="mysql",
                           EngineVersion="8.0.28", DBInstanceClass="db.t3.medium", AllocatedStorage=20,
                           MasterUsername="admin", MasterUserPassword="legacy-password-1", MultiAZ=False,
                           StorageEncrypted=False, BackupRetentionPeriod=1, DeletionProtection=False,
                           EnableIAMDatabaseAuthentication=False, AutoMinorVersionUpgrade=False,
                           CACertificateIdentifier="rds-ca-2019", VpcSecurityGroupIds=[sg["legacy-db-sg"]],
                           DBSubnetGroupName=f"legacy-public{s}", PubliclyAccessible=True,
                           EnablePerformanceInsights=False, Port=3306, Tags=tags_kv("legacy"))["DBInstance"]
        self.count("aws_db_instance", 2)
        # The legacy cluster's own cluster parameter group leaves TLS optional (RDS-07 FAIL on the cluster).
        e.call("rds", "create_db_cluster_parameter_group", DBClusterParameterGroupName=f"legacy-reports-params{s}",
               DBParameterGroupFamily="aurora-mysql8.0", Description="legacy reports: TLS optional",
               Tags=tags_kv("legacy"))
        e.call("rds", "modify_db_cluster_parameter_group", DBClusterParameterGroupName=f"legacy-reports-params{s}",
               Parameters=[{"ParameterName": "require_secure_transport", "ParameterValue": "OFF",
                            "ApplyMethod": "immediate"},
                           {"ParameterName": "long_query_time", "ParameterValue": "5", "ApplyMethod": "immediate"}])
        self.count("aws_rds_cluster_parameter_group")
        cluster = e.call("rds", "create_db_cluster", DBClusterIdentifier=f"legacy-reports{s}", Engine="aurora-mysql",
                         MasterUsername="admin", MasterUserPassword="legacy-password-1", StorageEncrypted=False,
                         BackupRetentionPeriod=1, DeletionProtection=False, EnableIAMDatabaseAuthentication=False,
                         VpcSecurityGroupIds=[sg["legacy-db-sg"]], DBSubnetGroupName=f"legacy-public{s}",
                         DBClusterParameterGroupName=f"legacy-reports-params{s}",
                         Tags=tags_kv("legacy"))["DBCluster"]
        self.count("aws_rds_cluster")

        # -- Secrets Manager (values are placeholders: nothing ever reads them)
        sec = {}

        def secret(name, stack, desc, **kw):
            arn = e.call("secretsmanager", "create_secret", Name=f"{name}{s}", Description=desc,
                         SecretString=jdump({"placeholder": True}), Tags=tags_kv(stack), **kw)["ARN"]
            sec[name] = arn
            return arn

        secret("app/api-key", "app", "Third-party API key used by the backend service", KmsKeyId=kms_key)
        e.call("secretsmanager", "rotate_secret", SecretId=sec["app/api-key"],
               RotationLambdaARN=fn["app-api-key-rotation"], RotationRules={"AutomaticallyAfterDays": 30})
        e.call("secretsmanager", "put_resource_policy", SecretId=sec["app/api-key"], ResourcePolicy=jdump({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "BackendTaskReads", "Effect": "Allow", "Principal": {"AWS": role_arn["app-backend-task"]},
                "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
        secret("legacy/db-password", "legacy", "legacy-db admin password")
        secret("legacy/partner-api-token", "legacy", "token shared with a partner account")
        e.call("secretsmanager", "put_resource_policy", SecretId=sec["legacy/partner-api-token"], ResourcePolicy=jdump({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "PartnerRead", "Effect": "Allow", "Principal": "*",
                "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource": "*"}]}))
        secret("legacy/reporting-db-credentials", "legacy", "read-only reporting user on legacy-db")
        e.call("secretsmanager", "rotate_secret", SecretId=sec["legacy/reporting-db-credentials"],
               RotationLambdaARN=fn["legacy-mysql-rotation"], RotationRules={"AutomaticallyAfterDays": 30})
        secret("legacy/smtp-credentials", "legacy", "old SMTP relay credentials")
        # The RDS-managed master secret (OwningService rds): managed rotation every 7 days, no Lambda.
        e.call("secretsmanager", "rotate_secret", SecretId=master_secret, RotationRules={"AutomaticallyAfterDays": 7})
        self.count("aws_secretsmanager_secret", 6)

        # -- IAM policies (the least-privilege one names this copy's database secret)
        admin = e.call("iam", "create_policy", region=g, PolicyName=f"legacy-admin-access{s}", PolicyDocument=jdump({
            "Version": "2012-10-17", "Statement": [{"Sid": "Everything", "Effect": "Allow", "Action": "*",
                                                    "Resource": "*"}]}), Tags=tags_kv("legacy"))["Policy"]["Arn"]
        task = e.call("iam", "create_policy", region=g, PolicyName=f"app-ecs-task-access{s}", PolicyDocument=jdump({
            "Version": "2012-10-17", "Statement": [
                {"Sid": "ReadStaticAssets", "Effect": "Allow", "Action": ["s3:GetObject"],
                 "Resource": f"arn:aws:s3:::app-static-assets{s}/*"},
                {"Sid": "ReadDbSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": master_secret},
                {"Sid": "XRay", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                 "Resource": "*"}]}), Tags=tags_kv("app"))["Policy"]["Arn"]
        e.call("iam", "attach_role_policy", region=g, RoleName=f"legacy-ecs-task{s}", PolicyArn=admin)
        e.call("iam", "attach_user_policy", region=g, UserName=f"legacy-admin{s}", PolicyArn=admin)
        e.call("iam", "attach_role_policy", region=g, RoleName=f"app-backend-task{s}", PolicyArn=task)
        e.call("iam", "put_role_policy", region=g, RoleName=f"legacy-ecs-task{s}", PolicyName="legacy-task-all",
               PolicyDocument=jdump({"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Action": ["*"], "Resource": "*"}]}))
        e.call("iam", "put_role_policy", region=g, RoleName=f"app-ecs-execution{s}", PolicyName="app-logs-write",
               PolicyDocument=jdump({"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": f"arn:aws:logs:{r}:{ACCOUNT}:log-group:/ecs/app{s}:*"}]}))
        self.count("aws_iam_policy", 2)
        self.count("aws_iam_role_policy", 2)
        if not s:
            # One password policy per account (the legacy one: short, no symbols, no expiry).
            e.call("iam", "update_account_password_policy", region=g, MinimumPasswordLength=8,
                   RequireSymbols=False, RequireNumbers=True, RequireUppercaseCharacters=True,
                   RequireLowercaseCharacters=True, AllowUsersToChangePassword=True)

        # -- S3 buckets (the app-static-assets policy follows the distribution it names)
        buckets = {"app-static-assets": "app", "app-logs": "app", "legacy-public-assets": "legacy"}
        for b, stack in buckets.items():
            loc = {} if r == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": r}}
            e.call("s3", "create_bucket", Bucket=f"{b}{s}", **loc)
            e.call("s3", "put_bucket_tagging", Bucket=f"{b}{s}", Tagging={"TagSet": tags_kv(stack)})
        self.count("aws_s3_bucket", 3)
        logs_bucket = f"app-logs{s}"
        e.call("s3", "put_bucket_policy", Bucket=logs_bucket, Policy=jdump({"Version": "2012-10-17", "Statement": [
            {"Sid": "AllowELBAccessLogs", "Effect": "Allow",
             "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{logs_bucket}/alb/AWSLogs/{ACCOUNT}/*"},
            deny_insecure_transport(logs_bucket)]}))
        legacy_bucket = f"legacy-public-assets{s}"
        e.call("s3", "put_bucket_policy", Bucket=legacy_bucket, Policy=jdump({"Version": "2012-10-17", "Statement": [
            {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{legacy_bucket}/*"},
            {"Sid": "LegacyOAIRead", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E4LEGACYOAI01"},
             "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{legacy_bucket}/*"}]}))
        self.count("aws_s3_bucket_policy", 2)

        # -- Cognito user pools and clients
        app_pool = e.call("cognito-idp", "create_user_pool", PoolName=f"app-users{s}", MfaConfiguration="ON",
                          DeletionProtection="ACTIVE", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
                          Policies={"PasswordPolicy": {
                              "MinimumLength": 14, "RequireUppercase": True, "RequireLowercase": True,
                              "RequireNumbers": True, "RequireSymbols": True, "TemporaryPasswordValidityDays": 7}},
                          UserPoolTags={"stack": "app", "env": "prod"})["UserPool"]
        e.call("cognito-idp", "set_user_pool_mfa_config", UserPoolId=app_pool["Id"],
               SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON")
        legacy_pool = e.call("cognito-idp", "create_user_pool", PoolName=f"legacy-users{s}", MfaConfiguration="OPTIONAL",
                             DeletionProtection="INACTIVE", UserPoolAddOns={"AdvancedSecurityMode": "OFF"},
                             Policies={"PasswordPolicy": {
                                 "MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
                                 "RequireNumbers": False, "RequireSymbols": False, "TemporaryPasswordValidityDays": 30}},
                             UserPoolTags={"stack": "legacy", "env": "prod"})["UserPool"]
        e.call("cognito-idp", "set_user_pool_mfa_config", UserPoolId=legacy_pool["Id"],
               SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL")
        app_client = e.call("cognito-idp", "create_user_pool_client", UserPoolId=app_pool["Id"],
                            ClientName="app-web-client", PreventUserExistenceErrors="ENABLED",
                            EnableTokenRevocation=True)["UserPoolClient"]["ClientId"]
        legacy_client = e.call("cognito-idp", "create_user_pool_client", UserPoolId=legacy_pool["Id"],
                               ClientName="legacy-web-client", PreventUserExistenceErrors="LEGACY",
                               EnableTokenRevocation=False)["UserPoolClient"]["ClientId"]
        self.count("aws_cognito_user_pool", 2)
        self.count("aws_cognito_user_pool_client", 2)

        # -- Application load balancers
        tg_app = e.call("elbv2", "create_target_group", Name=f"app-frontend{s}", Protocol="HTTP", Port=8080,
                        VpcId=vpcs["app"], TargetType="ip", Tags=tags_kv("app"))["TargetGroups"][0]["TargetGroupArn"]
        tg_legacy = e.call("elbv2", "create_target_group", Name=f"legacy-web{s}", Protocol="HTTP", Port=80,
                           VpcId=vpcs["legacy"], TargetType="ip", Tags=tags_kv("legacy"))["TargetGroups"][0]["TargetGroupArn"]

        def alb(name, stack, subnet_ids, groups):
            return e.call("elbv2", "create_load_balancer", Name=f"{name}{s}", Subnets=subnet_ids, SecurityGroups=groups,
                          Scheme="internet-facing", Type="application", IpAddressType="ipv4",
                          Tags=tags_kv(stack))["LoadBalancers"][0]

        app_alb = alb("app-alb", "app", subnets["app"], [sg["app-alb-sg"]])
        legacy_alb = alb("legacy-alb", "legacy", subnets["legacy"][:1], [sg["legacy-alb-sg"]])
        # As in the fixture (additions.json): legacy subnets in 2 AZs, app-alb-sg, otherwise hardened; no listeners.
        admin_alb = alb("legacy-admin-alb", "legacy", subnets["legacy"], [sg["app-alb-sg"]])
        self.count("aws_lb", 3)
        lst = {}
        lst["app-alb-http-80"] = e.call("elbv2", "create_listener", LoadBalancerArn=app_alb["LoadBalancerArn"],
                                        Protocol="HTTP", Port=80, DefaultActions=[{"Type": "redirect", "RedirectConfig": {
                                            "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}",
                                            "Query": "#{query}", "StatusCode": "HTTP_301"}}])["Listeners"][0]["ListenerArn"]
        lst["app-alb-https-443"] = e.call("elbv2", "create_listener", LoadBalancerArn=app_alb["LoadBalancerArn"],
                                          Protocol="HTTPS", Port=443, SslPolicy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                                          Certificates=[{"CertificateArn": alb_cert}],
                                          DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_app}])["Listeners"][0]["ListenerArn"]
        lst["legacy-alb-http-80"] = e.call("elbv2", "create_listener", LoadBalancerArn=legacy_alb["LoadBalancerArn"],
                                           Protocol="HTTP", Port=80,
                                           DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_legacy}])["Listeners"][0]["ListenerArn"]
        lst["legacy-alb-https-443"] = e.call("elbv2", "create_listener", LoadBalancerArn=legacy_alb["LoadBalancerArn"],
                                             Protocol="HTTPS", Port=443, SslPolicy="ELBSecurityPolicy-2016-08",
                                             Certificates=[{"CertificateArn": alb_cert}],
                                             DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_legacy}])["Listeners"][0]["ListenerArn"]
        self.count("aws_lb_listener", 4)

        def lb_attrs(arn, drop, deletion, logs, desync):
            attrs = [("routing.http.drop_invalid_header_fields.enabled", drop), ("deletion_protection.enabled", deletion),
                     ("access_logs.s3.enabled", logs), ("routing.http.desync_mitigation_mode", desync),
                     ("waf.fail_open.enabled", "false")]
            if logs == "true":
                attrs += [("access_logs.s3.bucket", logs_bucket), ("access_logs.s3.prefix", "alb")]
            e.call("elbv2", "modify_load_balancer_attributes", LoadBalancerArn=arn,
                   Attributes=[{"Key": k, "Value": v} for k, v in attrs])

        lb_attrs(app_alb["LoadBalancerArn"], "true", "true", "true", "defensive")
        lb_attrs(legacy_alb["LoadBalancerArn"], "false", "false", "false", "monitor")
        lb_attrs(admin_alb["LoadBalancerArn"], "true", "true", "true", "defensive")

        # -- WAF: IP sets, web ACLs, logging, associations
        blocklist = ["192.0.2.44/32", "198.51.100.0/24", "203.0.113.128/25"]
        ipset_edge = e.call("wafv2", "create_ip_set", region=g, Name=f"app-edge-blocklist{s}", Scope="CLOUDFRONT",
                            IPAddressVersion="IPV4", Addresses=blocklist,
                            Description="Abusive clients (threat intel feed)", Tags=tags_kv("app"))["Summary"]
        ipset_regional = e.call("wafv2", "create_ip_set", Name=f"app-regional-blocklist{s}", Scope="REGIONAL",
                                IPAddressVersion="IPV4", Addresses=blocklist,
                                Description="Abusive clients (threat intel feed)", Tags=tags_kv("app"))["Summary"]
        ipset_legacy = e.call("wafv2", "create_ip_set", Name=f"legacy-blocklist{s}", Scope="REGIONAL",
                              IPAddressVersion="IPV4", Addresses=[], Tags=tags_kv("legacy"))["Summary"]
        self.count("aws_wafv2_ip_set", 3)

        def app_rules(prefix, limit, ipset_arn, crs_overrides=None):
            return [
                {"Name": "rate-limit-per-ip", "Priority": 0, "Action": {"Block": {}},
                 "Statement": {"RateBasedStatement": {"Limit": limit, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}},
                 "VisibilityConfig": vis(f"{prefix}RateLimit")},
                {"Name": "block-listed-ips", "Priority": 1, "Action": {"Block": {}},
                 "Statement": {"IPSetReferenceStatement": {"ARN": ipset_arn}}, "VisibilityConfig": vis(f"{prefix}BlockedIps")},
                managed_rule("AWSManagedRulesAmazonIpReputationList", 2),
                managed_rule("AWSManagedRulesCommonRuleSet", 3, rule_action_overrides=crs_overrides),
                managed_rule("AWSManagedRulesKnownBadInputsRuleSet", 4),
                managed_rule("AWSManagedRulesSQLiRuleSet", 5),
            ]

        def web_acl(name, scope, desc, rules, stack, region=None):
            return e.call("wafv2", "create_web_acl", region=region, Name=f"{name}{s}", Scope=scope,
                          DefaultAction={"Allow": {}}, Description=desc, Rules=rules,
                          VisibilityConfig=vis(name.replace("-", "")), Tags=tags_kv(stack))["Summary"]["ARN"]

        acl = {}
        acl["app-edge-acl"] = web_acl("app-edge-acl", "CLOUDFRONT", "Edge web ACL of the app CloudFront distribution",
                                      app_rules("appEdge", 2000, ipset_edge["ARN"], ["SizeRestrictions_BODY"]), "app", g)
        acl["app-regional-acl"] = web_acl("app-regional-acl", "REGIONAL", "Regional web ACL of the app ALB and user pool",
                                          app_rules("appRegional", 1000, ipset_regional["ARN"]), "app")
        acl["legacy-acl"] = web_acl("legacy-acl", "REGIONAL", "Legacy web ACL", [
            {"Name": "legacy-rate-limit", "Priority": 0, "Action": {"Count": {}},
             "Statement": {"RateBasedStatement": {"Limit": 10000, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}},
             "VisibilityConfig": vis("legacyRateLimit")},
            {"Name": "legacy-blocklist", "Priority": 1, "Action": {"Block": {}},
             "Statement": {"IPSetReferenceStatement": {"ARN": ipset_legacy["ARN"]}},
             "VisibilityConfig": vis("legacyBlocklist", metrics=False)},
            managed_rule("AWSManagedRulesCommonRuleSet", 2, override="Count"),
            managed_rule("AWSManagedRulesKnownBadInputsRuleSet", 3,
                         rule_action_overrides=["Log4JRCE_BODY", "Log4JRCE_QUERYSTRING"]),
        ], "legacy")
        acl["legacy-admin-acl"] = web_acl("legacy-admin-acl", "REGIONAL", "Placeholder web ACL of the legacy admin ALB",
                                          [], "legacy")
        self.count("aws_wafv2_web_acl", 4)
        # Log destinations: a Firehose stream (edge) and a CloudWatch Logs group (regional), named aws-waf-logs-*.
        stream = e.call("firehose", "create_delivery_stream", region=g, DeliveryStreamName=f"aws-waf-logs-app-edge{s}",
                        DeliveryStreamType="DirectPut", ExtendedS3DestinationConfiguration={
                            "RoleARN": role_arn["app-waf-log-delivery"], "BucketARN": f"arn:aws:s3:::{logs_bucket}",
                            "Prefix": "waf/"})["DeliveryStreamARN"]
        log_group = f"aws-waf-logs-app-regional{s}"
        e.call("logs", "create_log_group", logGroupName=log_group, tags={"stack": "app"})
        e.call("logs", "put_retention_policy", logGroupName=log_group, retentionInDays=365)
        e.call("wafv2", "put_logging_configuration", region=g, LoggingConfiguration={
            "ResourceArn": acl["app-edge-acl"], "LogDestinationConfigs": [stream]})
        e.call("wafv2", "put_logging_configuration", LoggingConfiguration={
            "ResourceArn": acl["app-regional-acl"],
            "LogDestinationConfigs": [f"arn:aws:logs:{r}:{ACCOUNT}:log-group:{log_group}"]})
        self.count("aws_wafv2_web_acl_logging_configuration", 2)
        for acl_name, resource in (("app-regional-acl", app_alb["LoadBalancerArn"]),
                                   ("app-regional-acl", app_pool["Arn"]),
                                   ("legacy-admin-acl", admin_alb["LoadBalancerArn"])):
            e.call("wafv2", "associate_web_acl", WebACLArn=acl[acl_name], ResourceArn=resource)
        self.count("aws_wafv2_web_acl_association", 3)

        # -- CloudFront distributions
        oac = e.call("cloudfront", "create_origin_access_control", region=g, OriginAccessControlConfig={
            "Name": f"app-static-assets{s}", "Description": "app static assets", "SigningProtocol": "sigv4",
            "SigningBehavior": "always", "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
        static_bucket = f"app-static-assets{s}"

        def behaviour(path, origin, policy, cache=CACHING_OPTIMIZED):
            b = {"TargetOriginId": origin, "ViewerProtocolPolicy": policy, "CachePolicyId": cache, "Compress": True}
            if path:
                b["PathPattern"] = path
            return b

        app_dist_cfg = {
            "CallerReference": f"palisade-app{s}", "Comment": f"app{s}", "Enabled": True,
            "Aliases": {"Quantity": 1, "Items": [app_domain]}, "DefaultRootObject": "index.html",
            "WebACLId": acl["app-edge-acl"], "HttpVersion": "http2and3", "PriceClass": "PriceClass_100",
            "Origins": {"Quantity": 2, "Items": [
                {"Id": "s3-app-static-assets", "DomainName": f"{static_bucket}.s3.{r}.amazonaws.com",
                 "OriginAccessControlId": oac, "S3OriginConfig": {"OriginAccessIdentity": ""}},
                {"Id": "alb-app", "DomainName": app_alb["DNSName"], "CustomOriginConfig": {
                    "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only",
                    "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
            "DefaultCacheBehavior": behaviour(None, "s3-app-static-assets", "redirect-to-https"),
            "CacheBehaviors": {"Quantity": 2, "Items": [
                behaviour("/api/*", "alb-app", "https-only", CACHING_DISABLED),
                behaviour("/auth/*", "alb-app", "redirect-to-https", CACHING_DISABLED)]},
            "ViewerCertificate": {"CloudFrontDefaultCertificate": False, "ACMCertificateArn": cf_cert,
                                  "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"},
            "Logging": {"Enabled": True, "IncludeCookies": False, "Bucket": f"{logs_bucket}.s3.amazonaws.com",
                        "Prefix": "cloudfront/"},
        }
        app_dist = e.call("cloudfront", "create_distribution_with_tags", region=g, DistributionConfigWithTags={
            "DistributionConfig": app_dist_cfg, "Tags": {"Items": tags_kv("app")}})["Distribution"]
        legacy_dist_cfg = {
            "CallerReference": f"palisade-legacy{s}", "Comment": f"legacy{s}", "Enabled": True,
            "Aliases": {"Quantity": 1, "Items": [legacy_domain]}, "DefaultRootObject": "", "WebACLId": "",
            "Origins": {"Quantity": 3, "Items": [
                {"Id": "s3-legacy-public-assets", "DomainName": f"{legacy_bucket}.s3.amazonaws.com",
                 "S3OriginConfig": {"OriginAccessIdentity": LEGACY_OAI}},
                {"Id": "alb-legacy", "DomainName": legacy_alb["DNSName"], "CustomOriginConfig": {
                    "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
                    "OriginSslProtocols": {"Quantity": 2, "Items": ["SSLv3", "TLSv1"]}}},
                {"Id": "s3-legacy-old-assets", "DomainName": f"legacy-old-assets{s}.s3.amazonaws.com",  # no such bucket
                 "S3OriginConfig": {"OriginAccessIdentity": LEGACY_OAI}}]},
            "DefaultCacheBehavior": behaviour(None, "s3-legacy-public-assets", "redirect-to-https"),
            "CacheBehaviors": {"Quantity": 3, "Items": [
                behaviour("/static/*", "s3-legacy-public-assets", "redirect-to-https"),
                behaviour("/api/*", "alb-legacy", "allow-all", CACHING_DISABLED),
                behaviour("/archive/*", "s3-legacy-old-assets", "redirect-to-https")]},
            "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1",
                                  "SSLSupportMethod": "vip"},
            "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""},
        }
        legacy_dist = e.call("cloudfront", "create_distribution_with_tags", region=g, DistributionConfigWithTags={
            "DistributionConfig": legacy_dist_cfg, "Tags": {"Items": tags_kv("legacy")}})["Distribution"]
        self.count("aws_cloudfront_distribution", 2)
        e.call("s3", "put_bucket_policy", Bucket=static_bucket, Policy=jdump({"Version": "2012-10-17", "Statement": [
            {"Sid": "AllowCloudFrontServicePrincipalReadOnly", "Effect": "Allow",
             "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::{static_bucket}/*",
             "Condition": {"StringEquals": {"AWS:SourceArn": app_dist["ARN"]}}},
            deny_insecure_transport(static_bucket)]}))
        self.count("aws_s3_bucket_policy")
        for b in (static_bucket, logs_bucket):
            e.call("s3", "put_public_access_block", Bucket=b, PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True})
        self.count("aws_s3_bucket_public_access_block", 2)

        # -- Route 53 hosted zones
        def zone(name, ref, comment, vpc=None):
            kw = {"Name": name, "CallerReference": ref, "HostedZoneConfig": {"Comment": comment, "PrivateZone": bool(vpc)}}
            if vpc:
                kw["VPC"] = {"VPCRegion": r, "VPCId": vpc}
            return e.call("route53", "create_hosted_zone", region=g, **kw)["HostedZone"]["Id"].split("/")[-1]

        zones = {"app": zone(app_domain, f"palisade-app{s}", "Public zone of the app"),
                 "legacy": zone(legacy_domain, f"palisade-legacy{s}", ""),
                 "private": zone(f"app{s}.internal", f"palisade-private{s}", "Private zone of the app VPC", vpcs["app"])}
        self.count("aws_route53_zone", 3)
        zone_arn = {k: f"arn:aws:route53:::hostedzone/{v}" for k, v in zones.items()}

        # -- Shield Advanced protections. The account is NOT subscribed (SHD-01 FAIL): moto's DescribeSubscription
        #    after CreateSubscription returns dates the Rust SDK cannot parse.
        prot = {}
        for name, arn in (("app-cloudfront", app_dist["ARN"]), ("app-alb", app_alb["LoadBalancerArn"]),
                          ("app-zone", zone_arn["app"]), ("legacy-admin-alb", admin_alb["LoadBalancerArn"])):
            pid = e.call("shield", "create_protection", region=g, Name=f"{name}{s}", ResourceArn=arn,
                         Tags=tags_kv("legacy" if name.startswith("legacy") else "app"))["ProtectionId"]
            prot[name] = f"arn:aws:shield::{ACCOUNT}:protection/{pid}"
        self.count("aws_shield_protection", 4)
        for arn in (app_dist["ARN"], app_alb["LoadBalancerArn"]):
            e.optional("shield", "enable_application_layer_automatic_response",
                       "Shield protections report no ApplicationLayerAutomaticResponseConfiguration", region=g,
                       ResourceArn=arn, Action={"Block": {}})

        # -- Tier 3: containers, monitoring, tracing, health checks, CI/CD, cache
        tier3 = self.seed_tier3(s, first, {
            "kms_key": kms_key, "vpcs": vpcs, "subnets": subnets, "sg": sg, "role_arn": role_arn,
            "task_policy": task, "master_secret": master_secret, "app_db": app_db, "legacy_db": legacy_db,
            "app_pool": app_pool, "app_alb": app_alb, "legacy_alb": legacy_alb, "app_dist": app_dist,
            "zones": zones, "https_listener": lst["app-alb-https-443"], "tg_legacy": tg_legacy,
            "logs_bucket": logs_bucket, "app_domain": app_domain, "legacy_domain": legacy_domain})

        if not first:
            return

        # ---- copy 1: the manifest ------------------------------------------------------------------
        R = self.resources
        R.update(tier3)
        R.update({
            "account-public-access-block": f"arn:aws:s3::{ACCOUNT}:account-public-access-block",
            "iam-account-summary": f"arn:aws:iam::{ACCOUNT}:root",
            "shield-subscription": f"arn:aws:shield::{ACCOUNT}:subscription",
            "vpc-app": vpcs["app"], "vpc-legacy": vpcs["legacy"],
            "default-sg-app": self.sg_arn(default_sg["app"]["GroupId"]),
            "default-sg-legacy": self.sg_arn(default_sg["legacy"]["GroupId"]),
            **{n: self.sg_arn(i) for n, i in sg.items()},
            "app-db": app_db["DBInstanceArn"], "legacy-db": legacy_db["DBInstanceArn"],
            "legacy-reports": cluster["DBClusterArn"], "app-mysql80-tls": pg_arn,
            **{f"secret:{n}": a for n, a in sec.items()}, "secret:rds-master-app-db": master_secret,
            "app-users": app_pool["Arn"], "legacy-users": legacy_pool["Arn"],
            "app-web-client": f"{app_pool['Arn']}/client/{app_client}",
            "legacy-web-client": f"{legacy_pool['Arn']}/client/{legacy_client}",
            "app-alb": app_alb["LoadBalancerArn"], "legacy-alb": legacy_alb["LoadBalancerArn"],
            "legacy-admin-alb": admin_alb["LoadBalancerArn"], **lst,
            **acl, "app-edge-blocklist": ipset_edge["ARN"], "app-regional-blocklist": ipset_regional["ARN"],
            "legacy-blocklist": ipset_legacy["ARN"],
            "cloudfront-app": app_dist["ARN"], "cloudfront-legacy": legacy_dist["ARN"],
            "s3:app-static-assets": "arn:aws:s3:::app-static-assets", "s3:app-logs": "arn:aws:s3:::app-logs",
            "s3:legacy-public-assets": "arn:aws:s3:::legacy-public-assets",
            "legacy-admin-access": admin, "app-ecs-task-access": task,
            "legacy-ecs-task/legacy-task-all": f"{role_arn['legacy-ecs-task']}/policy/legacy-task-all",
            "app-ecs-execution/app-logs-write": f"{role_arn['app-ecs-execution']}/policy/app-logs-write",
            "zone-app": zone_arn["app"], "zone-legacy": zone_arn["legacy"], "zone-private": zone_arn["private"],
            **{f"protection:{n}": a for n, a in prot.items()},
            "acm-cloudfront-app": cf_cert, "acm-alb": alb_cert, "kms-app": kms_key, "oac-app": oac,
            "waf-log-firehose": stream, "waf-log-group": f"arn:aws:logs:{r}:{ACCOUNT}:log-group:{log_group}",
            "lambda:app-api-key-rotation": fn["app-api-key-rotation"],
            "lambda:legacy-mysql-rotation": fn["legacy-mysql-rotation"],
        })
        self.fixture_map(R)
        self.build_expectations(R)
        self.build_tier3_expectations(R)

    # ---- Tier 3 of one copy (tests/fixtures/reference/tier3.json) ---------------------------------------
    def seed_tier3(self, s, first, c):
        """ECS, Application Auto Scaling, CloudWatch alarms, SNS, CloudWatch Logs, Synthetics, X-Ray, Route 53
        health checks and query logging, CodeBuild, CodePipeline, CodeDeploy, ECR and ElastiCache of one copy.
        `c` holds what the Tier 1/2 part of the copy created. Returns logical name -> ARN (for the manifest)."""
        e, r, g = self.e, self.region, GLOBAL_REGION
        kms_key, sg, role_arn = c["kms_key"], c["sg"], c["role_arn"]
        app_domain = c["app_domain"]
        out = {}

        def ecs_tags(stack):
            return [{"key": x["Key"], "value": x["Value"]} for x in tags_kv(stack)]

        # -- IAM: the task role the app task definitions name (least privilege, X-Ray write included), the AWS
        #    managed execution policy, and the pipelines' service roles (moto checks that CodePipeline may
        #    assume them). legacy-ecs-task (Allow * inline and attached) is the legacy task and execution role.
        task_role = e.call("iam", "create_role", region=g, RoleName=f"app-ecs-task{s}",
                           AssumeRolePolicyDocument=assume_policy("ecs-tasks.amazonaws.com"),
                           Tags=tags_kv("app"))["Role"]["Arn"]
        e.call("iam", "attach_role_policy", region=g, RoleName=f"app-ecs-task{s}", PolicyArn=c["task_policy"])
        e.call("iam", "attach_role_policy", region=g, RoleName=f"app-ecs-execution{s}", PolicyArn=ECS_EXECUTION_POLICY)
        pipeline_role = {
            stack: e.call("iam", "create_role", region=g, RoleName=f"{stack}-pipeline-codepipeline{s}",
                          AssumeRolePolicyDocument=assume_policy("codepipeline.amazonaws.com"),
                          Tags=tags_kv(stack))["Role"]["Arn"]
            for stack in ("app", "legacy")}
        self.count("iam_role", 3)
        self.count("aws_iam_role_policy_attachment", 2)
        out.update({
            "iam-role:app-ecs-task": task_role, "iam-role:app-ecs-execution": role_arn["app-ecs-execution"],
            "iam-role:legacy-ecs-task": role_arn["legacy-ecs-task"],
            "iam-attachment:app-ecs-task/app-ecs-task-access": f"{task_role}/attachment/{c['task_policy']}",
            "iam-attachment:app-ecs-execution/AmazonECSTaskExecutionRolePolicy":
                f"{role_arn['app-ecs-execution']}/attachment/{ECS_EXECUTION_POLICY}",
        })

        # -- CloudWatch Logs: retention >= 365 days (or never expire) for the app, days for the legacy stack. They are
        #    created after every copy, by seed_log_groups, with the app zone's query logging.
        log_groups = [  # name, stack, retention in days (None: never expire), region
            (f"/ecs/app-frontend{s}", "app", 365, r),
            (f"/ecs/app-backend{s}", "app", 365, r),
            (f"aws-waf-logs-app-regional-acl{s}", "app", 400, r),
            (f"/aws/rds/instance/app-db{s}/error", "app", 731, r),
            (f"/aws/rds/instance/app-db{s}/slowquery", "app", 731, r),
            (f"/aws/route53/{app_domain}", "app", 365, g),  # Route 53 query logs go to us-east-1
            (f"/aws/codebuild/app-build{s}", "app", None, r),
            (f"/ecs/legacy-web{s}", "legacy", 14, r),
            (f"/aws/rds/instance/legacy-db{s}/error", "legacy", 7, r),
        ]
        for name, stack, days, region in log_groups:
            self.log_groups.append((name, stack, days, region, kms_key if stack == "app" else None))
            out[f"log-group:{name}"] = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}"
        self.query_logs.append((first, c["zones"]["app"], f"/aws/route53/{app_domain}"))

        # -- ECS: clusters, task definitions (moto numbers revisions from 1), target groups, services
        clusters = {}
        for stack, insights in (("app", "enabled"), ("legacy", "disabled")):
            clusters[stack] = e.call("ecs", "create_cluster", clusterName=f"{stack}-cluster{s}",
                                     settings=[{"name": "containerInsights", "value": insights}],
                                     tags=ecs_tags(stack))["cluster"]["clusterArn"]
        self.count("aws_ecs_cluster", 2)
        ecr_host = f"{ACCOUNT}.dkr.ecr.{r}.amazonaws.com"
        app_db_host = (c["app_db"].get("Endpoint") or {}).get("Address") or f"app-db{s}.{r}.rds.amazonaws.com"
        legacy_db_host = (c["legacy_db"].get("Endpoint") or {}).get("Address") or f"legacy-db{s}.{r}.rds.amazonaws.com"

        def awslogs(group):
            return {"logDriver": "awslogs", "options": {"awslogs-group": group, "awslogs-region": r,
                                                        "awslogs-stream-prefix": "ecs"}}

        def app_containers(name, port):
            group = f"/ecs/{name}{s}"
            return [
                {"name": name, "image": f"{ecr_host}/{name}{s}:2026.11.3", "essential": True, "cpu": 992,
                 "memory": 1792, "portMappings": [{"containerPort": port, "hostPort": port, "protocol": "tcp"}],
                 "environment": [{"name": "NODE_ENV", "value": "production"}, {"name": "DB_HOST", "value": app_db_host},
                                 {"name": "COGNITO_USER_POOL_ID", "value": c["app_pool"]["Id"]},
                                 {"name": "AWS_XRAY_DAEMON_ADDRESS", "value": "localhost:2000"}],
                 "secrets": [{"name": "DB_CREDENTIALS", "valueFrom": c["master_secret"]},
                             {"name": "SESSION_SECRET",
                              "valueFrom": f"arn:aws:ssm:{r}:{ACCOUNT}:parameter/app{s}/session-secret"}],
                 "logConfiguration": awslogs(group)},
                {"name": "xray-daemon", "image": "public.ecr.aws/xray/aws-xray-daemon:3.3.12", "essential": False,
                 "cpu": 32, "memoryReservation": 256,
                 "portMappings": [{"containerPort": 2000, "hostPort": 2000, "protocol": "udp"}],
                 "logConfiguration": awslogs(group)}]

        legacy_containers = [
            {"name": "legacy-web", "image": f"{ecr_host}/legacy-web{s}:latest", "essential": True, "cpu": 512,
             "memory": 1024, "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
             # Clear-text credentials (ECS-02): a database password and a live API key.
             "environment": [{"name": "DB_HOST", "value": legacy_db_host}, {"name": "DB_USER", "value": "admin"},
                             {"name": "DB_PASSWORD", "value": "Legacy-Passw0rd!"},
                             {"name": "STRIPE_API_KEY", "value": "sk_live_51LegacyExampleNotARealKey"}],
             "logConfiguration": awslogs(f"/ecs/legacy-web{s}")},
            {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
             "essential": False, "cpu": 64, "memory": 128}]  # no log driver, no X-Ray sidecar
        taskdef = {}
        for family, stack, containers, task_r, exec_r in (
                ("app-frontend", "app", app_containers("app-frontend", 3000), task_role, role_arn["app-ecs-execution"]),
                ("app-backend", "app", app_containers("app-backend", 8080), task_role, role_arn["app-ecs-execution"]),
                ("legacy-web", "legacy", legacy_containers, role_arn["legacy-ecs-task"], role_arn["legacy-ecs-task"])):
            taskdef[family] = e.call("ecs", "register_task_definition", family=f"{family}{s}", networkMode="awsvpc",
                                     requiresCompatibilities=["FARGATE"], cpu="1024", memory="2048",
                                     taskRoleArn=task_r, executionRoleArn=exec_r,
                                     runtimePlatform={"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
                                     containerDefinitions=containers,
                                     tags=ecs_tags(stack))["taskDefinition"]["taskDefinitionArn"]
        self.count("aws_ecs_task_definition", 3)
        tg = {}  # the blue target groups the services start on (the deployment groups name the green ones)
        for svc, port in (("app-frontend", 3000), ("app-backend", 8080)):
            tg[f"{svc}-blue"] = e.call(
                "elbv2", "create_target_group", Name=f"{svc}-blue{s}", Protocol="HTTP", Port=port,
                VpcId=c["vpcs"]["app"], TargetType="ip", Tags=tags_kv("app"))["TargetGroups"][0]["TargetGroupArn"]
        self.count("aws_lb_target_group", len(tg))
        services = {}
        for name, stack, count, subnets, groups, public, platform, target_group, port, controller in (
                ("app-frontend", "app", 2, c["subnets"]["app"], [sg["app-ecs-sg"]], "DISABLED", "LATEST",
                 tg["app-frontend-blue"], 3000, "CODE_DEPLOY"),
                ("app-backend", "app", 2, c["subnets"]["app"], [sg["app-ecs-sg"]], "DISABLED", "LATEST",
                 tg["app-backend-blue"], 8080, "CODE_DEPLOY"),
                ("legacy-web", "legacy", 1, c["subnets"]["legacy"][:1], [sg["legacy-debug-sg"]], "ENABLED", "1.3.0",
                 c["tg_legacy"], 80, "ECS")):
            services[name] = e.call(
                "ecs", "create_service", cluster=f"{stack}-cluster{s}", serviceName=f"{name}{s}",
                taskDefinition=taskdef[name], desiredCount=count, launchType="FARGATE", platformVersion=platform,
                schedulingStrategy="REPLICA", networkConfiguration={"awsvpcConfiguration": {
                    "subnets": subnets, "securityGroups": groups, "assignPublicIp": public}},
                loadBalancers=[{"targetGroupArn": target_group, "containerName": name, "containerPort": port}],
                deploymentController={"type": controller}, enableExecuteCommand=False, propagateTags="SERVICE",
                tags=ecs_tags(stack))["service"]["serviceArn"]
        self.count("aws_ecs_service", 3)
        out.update({f"ecs-cluster:{k}-cluster": v for k, v in clusters.items()})
        out.update({f"ecs-task-definition:{k}": v for k, v in taskdef.items()})
        out.update({f"ecs-service:{k}": v for k, v in services.items()})
        out.update({f"target-group:{k}": v for k, v in tg.items()})

        # -- Application Auto Scaling: CPU target tracking at 70% (app), 90% on a target that cannot scale (legacy).
        #    moto creates the policies' TargetTracking-… AlarmHigh/AlarmLow alarms, as AWS does.
        dim = "ecs:service:DesiredCount"
        scaling_alarms = {}
        for name, stack, lo, hi, target in (("app-frontend", "app", 2, 10, 70.0), ("app-backend", "app", 2, 12, 70.0),
                                            ("legacy-web", "legacy", 1, 1, 90.0)):
            rid = f"service/{stack}-cluster{s}/{name}{s}"
            out[f"scalable-target:{name}"] = e.call(
                "application-autoscaling", "register_scalable_target", ServiceNamespace="ecs", ResourceId=rid,
                ScalableDimension=dim, MinCapacity=lo, MaxCapacity=hi,
                Tags={"stack": stack, "env": "prod"})["ScalableTargetARN"]
            pol = e.call("application-autoscaling", "put_scaling_policy", PolicyName=f"{name}-cpu",
                         ServiceNamespace="ecs", ResourceId=rid, ScalableDimension=dim,
                         PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={
                             "TargetValue": target, "DisableScaleIn": False, "ScaleInCooldown": 300,
                             "ScaleOutCooldown": 60,
                             "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
            out[f"scaling-policy:{name}-cpu"] = pol["PolicyARN"]
            for a in pol.get("Alarms", []):
                if "-AlarmHigh-" in a["AlarmName"]:
                    scaling_alarms[name] = a["AlarmARN"]
        self.count("aws_appautoscaling_target", 3)
        self.count("aws_appautoscaling_policy", 3)
        if "app-backend" in scaling_alarms:
            out["alarm:TargetTracking-app-backend-AlarmHigh"] = scaling_alarms["app-backend"]

        # -- SNS: app-alerts with confirmed email and SMS subscriptions; legacy-alerts with none confirmed (moto
        #    confirms every subscription at once, so the fixture's pending email subscription is left out).
        topic = {"app": e.call("sns", "create_topic", Name=f"app-alerts{s}", Attributes={"KmsMasterKeyId": "alias/aws/sns"},
                               Tags=tags_kv("app"))["TopicArn"],
                 "legacy": e.call("sns", "create_topic", Name=f"legacy-alerts{s}", Tags=tags_kv("legacy"))["TopicArn"]}
        out["sns-topic:app-alerts"], out["sns-topic:legacy-alerts"] = topic["app"], topic["legacy"]
        for proto, endpoint in (("email", f"oncall{s}@example.com"), ("sms", "+15555550100")):
            out[f"sns-subscription:app-alerts/{proto}"] = e.call(
                "sns", "subscribe", TopicArn=topic["app"], Protocol=proto, Endpoint=endpoint,
                ReturnSubscriptionArn=True)["SubscriptionArn"]
        self.count("aws_sns_topic", 2)
        self.count("aws_sns_topic_subscription", 2)

        # -- Route 53: health checks on both public endpoints (only the app's is alarmed), query logging of the
        #    app zone (the log group ARN with ":*", as moto requires)
        hc = {}
        for stack, domain in (("app", app_domain), ("legacy", c["legacy_domain"])):
            hc[stack] = e.call("route53", "create_health_check", region=g, CallerReference=f"palisade-hc-{stack}{s}",
                               HealthCheckConfig={
                                   "Type": "HTTPS", "FullyQualifiedDomainName": domain, "Port": 443,
                                   "ResourcePath": "/health", "RequestInterval": 30, "FailureThreshold": 3,
                                   "MeasureLatency": True, "Inverted": False, "Disabled": False,
                                   "EnableSNI": True})["HealthCheck"]["Id"]
            e.call("route53", "change_tags_for_resource", region=g, ResourceType="healthcheck", ResourceId=hc[stack],
                   AddTags=tags_kv(stack))
            out[f"health-check:{stack}"] = f"arn:aws:route53:::healthcheck/{hc[stack]}"
        self.count("aws_route53_health_check", 2)

        # -- CloudWatch alarms (metrics of global resources live in us-east-1)
        def lb_dim(lb):
            return lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1]

        app_alerts, legacy_alerts = [topic["app"]], [topic["legacy"]]
        db_app, db_legacy = {"DBInstanceIdentifier": f"app-db{s}"}, {"DBInstanceIdentifier": f"legacy-db{s}"}
        svc_dims = {n: {"ClusterName": f"{st}-cluster{s}", "ServiceName": f"{n}{s}"}
                    for n, st in (("app-frontend", "app"), ("app-backend", "app"), ("legacy-web", "legacy"))}
        alarms = [  # name, stack, region, namespace, metric, dimensions, statistic, threshold, operator, actions, ok, enabled, period
            ("app-alb-5xx", "app", r, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb_dim(c["app_alb"])},
             "Sum", 10, "GreaterThanThreshold", app_alerts, app_alerts, True, 60),
            ("app-alb-latency", "app", r, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb_dim(c["app_alb"])},
             "p95", 1.5, "GreaterThanThreshold", app_alerts, app_alerts, True, 60),
            ("app-db-cpu", "app", r, "AWS/RDS", "CPUUtilization", db_app, "Average", 80, "GreaterThanThreshold",
             app_alerts, app_alerts, True, 60),
            ("app-db-free-storage", "app", r, "AWS/RDS", "FreeStorageSpace", db_app, "Minimum", 5368709120,
             "LessThanThreshold", app_alerts, app_alerts, True, 60),
            ("app-db-connections", "app", r, "AWS/RDS", "DatabaseConnections", db_app, "Maximum", 300,
             "GreaterThanThreshold", app_alerts, app_alerts, True, 60),
            ("app-waf-blocked", "app", r, "AWS/WAFV2", "BlockedRequests",
             {"WebACL": f"app-regional-acl{s}", "Region": r, "Rule": "ALL"}, "Sum", 1000, "GreaterThanThreshold",
             app_alerts, app_alerts, True, 60),
            ("app-edge-waf-blocked", "app", g, "AWS/WAFV2", "BlockedRequests", {"WebACL": f"app-edge-acl{s}", "Rule": "ALL"},
             "Sum", 1000, "GreaterThanThreshold", app_alerts, app_alerts, True, 60),
            ("app-cdn-5xx", "app", g, "AWS/CloudFront", "5xxErrorRate",
             {"DistributionId": c["app_dist"]["Id"], "Region": "Global"}, "Average", 5, "GreaterThanThreshold",
             app_alerts, app_alerts, True, 60),
            *[(f"{n}-{short}", "app", r, "AWS/ECS", m, svc_dims[n], "Average", 90, "GreaterThanThreshold",
               app_alerts, app_alerts, True, 60)
              for n in ("app-frontend", "app-backend") for short, m in (("cpu", "CPUUtilization"),
                                                                        ("memory", "MemoryUtilization"))],
            ("app-health-check", "app", g, "AWS/Route53", "HealthCheckStatus", {"HealthCheckId": hc["app"]}, "Minimum",
             1, "LessThanThreshold", app_alerts, app_alerts, True, 60),
            ("app-canary-success", "app", r, "CloudWatchSynthetics", "SuccessPercent", {"CanaryName": f"app-homepage{s}"},
             "Average", 90, "LessThanThreshold", app_alerts, app_alerts, True, 300),
            ("legacy-alb-5xx", "legacy", r, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb_dim(c["legacy_alb"])}, "Sum", 10, "GreaterThanThreshold", legacy_alerts, [], False, 60),
            ("legacy-db-cpu", "legacy", r, "AWS/RDS", "CPUUtilization", db_legacy, "Average", 80, "GreaterThanThreshold",
             [], [], True, 60),
            ("legacy-web-cpu", "legacy", r, "AWS/ECS", "CPUUtilization", svc_dims["legacy-web"], "Average", 80,
             "GreaterThanThreshold", legacy_alerts, [], True, 60),
        ]
        for name, stack, region, ns, metric, dims, stat, threshold, op, actions, ok, enabled, period in alarms:
            kw = {"ExtendedStatistic": stat} if stat.startswith("p") else {"Statistic": stat}
            e.call("cloudwatch", "put_metric_alarm", region=region, AlarmName=f"{name}{s}", Namespace=ns,
                   MetricName=metric, Dimensions=[{"Name": k, "Value": v} for k, v in dims.items()], Period=period,
                   EvaluationPeriods=5, Threshold=float(threshold), ComparisonOperator=op, TreatMissingData="missing",
                   ActionsEnabled=enabled, AlarmActions=actions, OKActions=ok, Tags=tags_kv(stack), **kw)
            out[f"alarm:{name}"] = f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}{s}"
        self.count("aws_cloudwatch_metric_alarm", len(alarms) + 2 * 3)  # + the target-tracking alarms

        # -- CloudWatch Synthetics: canaries on the app (moto cannot start them: they stay READY)
        for name, stack, expression in (("app-homepage", "app", "rate(5 minutes)"),
                                        ("app-api-login", "app", "cron(0/5 * * * ? *)"),
                                        ("legacy-homepage", "legacy", "rate(1 hour)")):
            e.call("synthetics", "create_canary", Name=f"{name}{s}", Code={"Handler": "index.handler", "ZipFile": self.zip},
                   ArtifactS3Location=f"s3://{c['logs_bucket']}/canary/{name}{s}/",
                   ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/app-canary{s}",
                   Schedule={"Expression": expression, "DurationInSeconds": 0},
                   RunConfig={"TimeoutInSeconds": 60, "MemoryInMB": 1024, "ActiveTracing": True},
                   SuccessRetentionPeriodInDays=31, FailureRetentionPeriodInDays=31,
                   RuntimeVersion="syn-nodejs-puppeteer-9.1", Tags={"stack": stack, "env": "prod"})
            if stack == "app":
                e.optional("synthetics", "start_canary", "canaries stay READY, never RUNNING", Name=f"{name}{s}")
            out[f"canary:{name}"] = f"arn:aws:synthetics:{r}:{ACCOUNT}:canary:{name}{s}"
        self.count("aws_synthetics_canary", 3)

        # -- X-Ray (account-wide: copy 1 only): KMS encryption and per-service sampling rules. moto 5.2.5 answers
        #    every X-Ray call with 404, so these are skipped with a warning.
        out["xray-encryption-config"] = f"arn:aws:xray:{r}:{ACCOUNT}:encryption-config"
        out["xray-sampling-rule:Default"] = f"arn:aws:xray:{r}:{ACCOUNT}:sampling-rule/Default"
        if first:
            if e.optional("xray", "put_encryption_config", "X-Ray encryption stays the default (unknown to the scan)",
                          Type="KMS", KeyId=kms_key) is not None:
                self.count("aws_xray_encryption_config")
            for rule, priority, rate, reservoir, service, path in (("app-api-login", 100, 0.5, 10, "app-backend", "/api/auth/*"),
                                                                   ("app-frontend", 200, 0.1, 5, "app-frontend", "*")):
                if e.optional("xray", "create_sampling_rule", "no sampling rule beyond Default", SamplingRule={
                        "RuleName": rule, "Priority": priority, "FixedRate": rate, "ReservoirSize": reservoir,
                        "ServiceName": service, "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": path,
                        "ResourceARN": "*", "Version": 1}) is not None:
                    self.count("aws_xray_sampling_rule")

        # -- CodeBuild: secrets from Secrets Manager / Parameter Store (app), clear-text credentials (legacy).
        #    moto requires a source and artifacts location even for CODEPIPELINE projects.
        artifacts = f"app-pipeline-artifacts{s}"

        def project(name, stack, desc, variables):
            return e.call("codebuild", "create_project", name=f"{name}{s}", description=desc,
                          source={"type": "CODEPIPELINE", "buildspec": "buildspec.yml", "location": artifacts},
                          artifacts={"type": "CODEPIPELINE", "location": artifacts},
                          environment={"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                                       "computeType": "BUILD_GENERAL1_MEDIUM", "privilegedMode": True,
                                       "imagePullCredentialsType": "CODEBUILD",
                                       "environmentVariables": [{"name": n, "value": v, "type": t} for n, v, t in variables]},
                          serviceRole=f"arn:aws:iam::{ACCOUNT}:role/{name}-codebuild{s}",
                          encryptionKey=f"arn:aws:kms:{r}:{ACCOUNT}:alias/aws/s3",
                          logsConfig={"cloudWatchLogs": {"status": "ENABLED", "groupName": f"/aws/codebuild/{name}{s}"}},
                          tags=ecs_tags(stack))["project"]["arn"]

        out["codebuild:app-build"] = project("app-build", "app", "Builds the app images and pushes them to ECR", [
            ("AWS_ACCOUNT_ID", ACCOUNT, "PLAINTEXT"), ("IMAGE_REPO_NAME", f"app-frontend{s}", "PLAINTEXT"),
            ("NPM_TOKEN", "/ci/npm-token", "PARAMETER_STORE"), ("SONAR_TOKEN", "ci/sonar-token", "SECRETS_MANAGER")])
        out["codebuild:app-test"] = project("app-test", "app", "Runs the unit and integration tests", [
            ("TEST_DB_PASSWORD", "ci/test-db:password", "SECRETS_MANAGER"), ("NODE_ENV", "test", "PLAINTEXT")])
        out["codebuild:legacy-build"] = project("legacy-build", "legacy", "Legacy image build", [
            ("DOCKERHUB_USERNAME", "legacyci", "PLAINTEXT"), ("DOCKERHUB_PASSWORD", "Dockerhub-Legacy-2019", "PLAINTEXT"),
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "PLAINTEXT")])
        self.count("aws_codebuild_project", 3)

        # -- CodePipeline: the app pipeline (source, test, build, blue/green deploy) and the legacy one
        def action(name, category, provider, config, inputs=(), outputs=(), owner="AWS"):
            return {"name": name, "actionTypeId": {"category": category, "owner": owner, "provider": provider,
                                                   "version": "1"}, "runOrder": 1, "configuration": config,
                    "inputArtifacts": [{"name": x} for x in inputs], "outputArtifacts": [{"name": x} for x in outputs]}

        def pipeline(name, stack, stages):
            e.call("codepipeline", "create_pipeline", pipeline={
                "name": f"{name}{s}", "roleArn": pipeline_role[stack], "pipelineType": "V2",
                "artifactStore": {"type": "S3", "location": artifacts, "encryptionKey": {"id": "alias/aws/s3", "type": "KMS"}},
                "stages": [{"name": n, "actions": a} for n, a in stages]}, tags=ecs_tags(stack))
            return f"arn:aws:codepipeline:{r}:{ACCOUNT}:{name}{s}"

        out["codepipeline:app-pipeline"] = pipeline("app-pipeline", "app", [
            ("Source", [action("Source", "Source", "CodeStarSourceConnection", {
                "ConnectionArn": f"arn:aws:codeconnections:{r}:{ACCOUNT}:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "FullRepositoryId": "example/task-manager", "BranchName": "main", "DetectChanges": "true"},
                outputs=["source"])]),
            ("Test", [action("UnitAndIntegration", "Test", "CodeBuild", {
                "ProjectName": f"app-test{s}",
                "EnvironmentVariables": jdump([{"name": "API_KEY", "value": "ci/api-key", "type": "SECRETS_MANAGER"}])},
                inputs=["source"])]),
            ("Build", [action("BuildAndPush", "Build", "CodeBuild", {"ProjectName": f"app-build{s}"},
                              inputs=["source"], outputs=["images"])]),
            ("Deploy", [action("BlueGreen", "Deploy", "CodeDeployToECS", {
                "ApplicationName": f"app-deploy{s}", "DeploymentGroupName": "app-frontend-dg",
                "TaskDefinitionTemplateArtifact": "images", "AppSpecTemplateArtifact": "images",
                "Image1ArtifactName": "images", "Image1ContainerName": "IMAGE1_NAME"}, inputs=["images"])])])
        out["codepipeline:legacy-pipeline"] = pipeline("legacy-pipeline", "legacy", [
            ("Source", [action("Source", "Source", "CodeCommit", {"RepositoryName": f"legacy-web{s}", "BranchName": "master"},
                               outputs=["source"])]),
            ("Build", [action("Build", "Build", "CodeBuild", {
                "ProjectName": f"legacy-build{s}",
                "EnvironmentVariables": jdump([{"name": "SLACK_WEBHOOK_TOKEN", "value": "xoxb-legacy-example",
                                                "type": "PLAINTEXT"}])}, inputs=["source"], outputs=["build"])]),
            ("Deploy", [action("Deploy", "Deploy", "ECS", {"ClusterName": f"legacy-cluster{s}",
                                                           "ServiceName": f"legacy-web{s}",
                                                           "FileName": "imagedefinitions.json"}, inputs=["build"])])])
        self.count("aws_codepipeline", 2)

        # -- CodeDeploy: blue/green with rollback for the app services; a group without rollback for a legacy API
        deploy_app = f"app-deploy{s}"
        e.call("codedeploy", "create_application", applicationName=deploy_app, computePlatform="ECS",
               tags=tags_kv("app"))
        for group, stack, cluster, service, rollback in (
                ("app-frontend-dg", "app", f"app-cluster{s}", f"app-frontend{s}", True),
                ("app-backend-dg", "app", f"app-cluster{s}", f"app-backend{s}", True),
                ("legacy-api-dg", "legacy", f"legacy-cluster{s}", f"legacy-api{s}", False)):
            tg_base = group[:-3]
            e.call("codedeploy", "create_deployment_group", applicationName=deploy_app, deploymentGroupName=group,
                   deploymentConfigName="CodeDeployDefault.ECSAllAtOnce",
                   serviceRoleArn=f"arn:aws:iam::{ACCOUNT}:role/app-codedeploy{s}",
                   deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
                   autoRollbackConfiguration={"enabled": rollback, "events": [
                       "DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] if rollback else []},
                   alarmConfiguration={"enabled": rollback, "ignorePollAlarmFailure": False,
                                       "alarms": [{"name": f"app-alb-5xx{s}"}] if rollback else []},
                   blueGreenDeploymentConfiguration={
                       "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0},
                       "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE",
                                                                     "terminationWaitTimeInMinutes": 15}},
                   ecsServices=[{"clusterName": cluster, "serviceName": service}],
                   loadBalancerInfo={"targetGroupPairInfoList": [{
                       "targetGroups": [{"name": f"{tg_base}-blue{s}"}, {"name": f"{tg_base}-green{s}"}],
                       "prodTrafficRoute": {"listenerArns": [c["https_listener"]]}}]},
                   tags=tags_kv(stack))
            out[f"codedeploy:{group}"] = f"arn:aws:codedeploy:{r}:{ACCOUNT}:deploymentgroup:{deploy_app}/{group}"
        self.count("aws_codedeploy_deployment_group", 3)

        # -- ECR: immutable tags and scan on push (app), mutable and unscanned (legacy); enhanced registry scanning
        #    of app-* (one configuration per registry: copy 1)
        for name, stack in (("app-frontend", "app"), ("app-backend", "app"), ("legacy-web", "legacy")):
            enc = {"encryptionType": "KMS", "kmsKey": kms_key} if stack == "app" else {"encryptionType": "AES256"}
            out[f"ecr:{name}"] = e.call("ecr", "create_repository", repositoryName=f"{name}{s}",
                                        imageTagMutability="IMMUTABLE" if stack == "app" else "MUTABLE",
                                        imageScanningConfiguration={"scanOnPush": stack == "app"},
                                        encryptionConfiguration=enc, tags=tags_kv(stack))["repository"]["repositoryArn"]
        self.count("aws_ecr_repository", 3)
        out["ecr-registry-scanning"] = f"arn:aws:ecr:{r}:{ACCOUNT}:registry/scanning-configuration"
        if first:
            e.call("ecr", "put_registry_scanning_configuration", scanType="ENHANCED", rules=[{
                "scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "app-*", "filterType": "WILDCARD"}]}])
            self.count("aws_ecr_registry_scanning_configuration")

        # -- ElastiCache: session caches. moto has no CreateUserGroup (HTTP 500) but keeps the UserGroupIds given.
        for name, stack, secure in (("app-sessions", "app", True), ("legacy-sessions", "legacy", False)):
            kw = {"TransitEncryptionMode": "required", "UserGroupIds": [f"app-sessions-users{s}"],
                  "KmsKeyId": kms_key} if secure else {}
            out[f"elasticache:{name}"] = e.call(
                "elasticache", "create_replication_group", ReplicationGroupId=f"{name}{s}",
                ReplicationGroupDescription=f"{name} session cache", Engine="valkey", EngineVersion="8.0",
                CacheNodeType="cache.t3.small", NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True,
                Port=6379, SecurityGroupIds=[sg["app-ecs-sg"]], TransitEncryptionEnabled=secure,
                AtRestEncryptionEnabled=secure, Tags=tags_kv(stack), **kw)["ReplicationGroup"]["ARN"]
        self.count("aws_elasticache_replication_group", 2)
        return out

    def fixture_map(self, R):
        """Fixture id (tests/fixtures/reference) -> emulator ARN, for copy 1."""
        f = "arn:aws:{}:us-east-1:123456789012:{}".format
        sgf = lambda x: f("ec2", f"security-group/{x}")  # noqa: E731
        self.fixture_ids = {
            "arn:aws:cloudfront::123456789012:distribution/E1APPDIST0001": R["cloudfront-app"],
            "arn:aws:cloudfront::123456789012:distribution/E2LEGACYDIST2": R["cloudfront-legacy"],
            f("wafv2", "global/webacl/app-edge-acl/11111111-1111-1111-1111-111111111111"): R["app-edge-acl"],
            f("wafv2", "regional/webacl/app-regional-acl/22222222-2222-2222-2222-222222222222"): R["app-regional-acl"],
            f("wafv2", "regional/webacl/legacy-acl/33333333-3333-3333-3333-333333333333"): R["legacy-acl"],
            f("wafv2", "regional/webacl/legacy-admin-acl/77777777-7777-7777-7777-777777777777"): R["legacy-admin-acl"],
            f("elasticloadbalancing", "loadbalancer/app/app-alb/50dc6c495c0c9188"): R["app-alb"],
            f("elasticloadbalancing", "loadbalancer/app/legacy-alb/6f1d2e3c4b5a6978"): R["legacy-alb"],
            f("elasticloadbalancing", "loadbalancer/app/legacy-admin-alb/7a8b9c0d1e2f3a4b"): R["legacy-admin-alb"],
            f("elasticloadbalancing", "listener/app/app-alb/50dc6c495c0c9188/1a2b3c4d5e6f7a80"): R["app-alb-http-80"],
            f("elasticloadbalancing", "listener/app/app-alb/50dc6c495c0c9188/1a2b3c4d5e6f7a81"): R["app-alb-https-443"],
            f("elasticloadbalancing", "listener/app/legacy-alb/6f1d2e3c4b5a6978/2b3c4d5e6f7a8b90"): R["legacy-alb-http-80"],
            f("elasticloadbalancing", "listener/app/legacy-alb/6f1d2e3c4b5a6978/2b3c4d5e6f7a8b91"): R["legacy-alb-https-443"],
            f("rds", "db:app-db"): R["app-db"], f("rds", "db:legacy-db"): R["legacy-db"],
            f("rds", "cluster:legacy-reports"): R["legacy-reports"],
            f("cognito-idp", "userpool/us-east-1_AppPool01"): R["app-users"],
            f("cognito-idp", "userpool/us-east-1_LegacyP02"): R["legacy-users"],
            f("cognito-idp", "userpool/us-east-1_AppPool01/client/4f2k9q7m1c8v3n6b5x0z2p4r7t"): R["app-web-client"],
            f("cognito-idp", "userpool/us-east-1_LegacyP02/client/7h3j5k7m9n1p3q5r7s9t1v3w5x"): R["legacy-web-client"],
            "arn:aws:route53:::hostedzone/Z0APPZONE00001": R["zone-app"],
            "arn:aws:route53:::hostedzone/Z0LEGACYZONE02": R["zone-legacy"],
            "arn:aws:route53:::hostedzone/Z0PRIVZONE0003": R["zone-private"],
            "arn:aws:shield::123456789012:subscription": R["shield-subscription"],
            "arn:aws:shield::123456789012:protection/a1b2c3d4-0001-4e5f-8a9b-000000000001": R["protection:app-cloudfront"],
            "arn:aws:shield::123456789012:protection/a1b2c3d4-0002-4e5f-8a9b-000000000002": R["protection:app-alb"],
            "arn:aws:shield::123456789012:protection/a1b2c3d4-0003-4e5f-8a9b-000000000003": R["protection:app-zone"],
            "arn:aws:shield::123456789012:protection/a1b2c3d4-0004-4e5f-8a9b-000000000004": R["protection:legacy-admin-alb"],
            sgf("sg-0a1b2c3d4e5f60001"): R["app-alb-sg"], sgf("sg-0a1b2c3d4e5f60002"): R["legacy-alb-sg"],
            sgf("sg-0a1b2c3d4e5f60003"): R["app-db-sg"], sgf("sg-0a1b2c3d4e5f60004"): R["legacy-db-sg"],
            sgf("sg-0a1b2c3d4e5f60005"): R["app-ecs-sg"], sgf("sg-0a1b2c3d4e5f60006"): R["legacy-debug-sg"],
            sgf("sg-0default000000001"): R["default-sg-app"], sgf("sg-0default000000002"): R["default-sg-legacy"],
            f("secretsmanager", "secret:app/api-key-K9mX2p"): R["secret:app/api-key"],
            f("secretsmanager", "secret:legacy/db-password-Lg7Qw1"): R["secret:legacy/db-password"],
            f("secretsmanager", "secret:legacy/partner-api-token-Pt5Zx9"): R["secret:legacy/partner-api-token"],
            f("secretsmanager", "secret:legacy/reporting-db-credentials-Rp2Vb6"): R["secret:legacy/reporting-db-credentials"],
            f("secretsmanager", "secret:legacy/smtp-credentials-Sm3Tp8"): R["secret:legacy/smtp-credentials"],
            f("secretsmanager", "secret:rds!db-app-db-AbCdEf"): R["secret:rds-master-app-db"],
            "arn:aws:s3:::app-static-assets": R["s3:app-static-assets"], "arn:aws:s3:::app-logs": R["s3:app-logs"],
            "arn:aws:s3:::legacy-public-assets": R["s3:legacy-public-assets"],
            "arn:aws:iam::123456789012:root": R["iam-account-summary"],
            "arn:aws:iam::123456789012:policy/legacy-admin-access": R["legacy-admin-access"],
            "arn:aws:iam::123456789012:policy/app-ecs-task-access": R["app-ecs-task-access"],
            "arn:aws:iam::123456789012:role/legacy-ecs-task/policy/legacy-task-all": R["legacy-ecs-task/legacy-task-all"],
            "arn:aws:iam::123456789012:role/app-ecs-execution/policy/app-logs-write": R["app-ecs-execution/app-logs-write"],
        }

    @staticmethod
    def tier3_fixture_map(R):
        """Tier 3 fixture ids (tests/fixtures/reference/tier3.json) -> emulator ARNs, for copy 1. The fixture's
        second account (210987654321), its custom X-Ray sampling rules and its pending SNS subscription have no
        emulator twin."""
        f = "arn:aws:{}:us-east-1:123456789012:{}".format
        iam = "arn:aws:iam::123456789012:"
        m = {
            iam + "role/app-ecs-task": R["iam-role:app-ecs-task"],
            iam + "role/app-ecs-execution": R["iam-role:app-ecs-execution"],
            iam + "role/legacy-ecs-task": R["iam-role:legacy-ecs-task"],
            iam + "role/app-ecs-task/attachment/" + iam + "policy/app-ecs-task-access":
                R["iam-attachment:app-ecs-task/app-ecs-task-access"],
            iam + "role/app-ecs-execution/attachment/" + ECS_EXECUTION_POLICY:
                R["iam-attachment:app-ecs-execution/AmazonECSTaskExecutionRolePolicy"],
            f("sns", "app-alerts"): R["sns-topic:app-alerts"], f("sns", "legacy-alerts"): R["sns-topic:legacy-alerts"],
            f("sns", "app-alerts:0b6f3c52-3b7a-4a2e-9d1c-5e8f7a6b4c01"): R["sns-subscription:app-alerts/email"],
            f("sns", "app-alerts:1c7a4d63-4c8b-4b3f-8e2d-6f9a8b7c5d12"): R["sns-subscription:app-alerts/sms"],
            f("cloudwatch", "alarm:TargetTracking-service/app-cluster/app-backend-AlarmHigh-"
                            "3f1e2d4c-5b6a-4978-8c9d-0e1f2a3b4c5d"): R["alarm:TargetTracking-app-backend-AlarmHigh"],
            f("xray", "encryption-config"): R["xray-encryption-config"],
            f("xray", "sampling-rule/Default"): R["xray-sampling-rule:Default"],
            "arn:aws:route53:::queryloggingconfig/8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c54": R["route53-query-log:app"],
            "arn:aws:route53:::healthcheck/5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a10": R["health-check:app"],
            "arn:aws:route53:::healthcheck/6f5a4b3c-2d1e-4f0a-9b8c-7d6e5f4a3b21": R["health-check:legacy"],
            f("ecr", "registry/scanning-configuration"): R["ecr-registry-scanning"],
        }
        for n in ("app-cluster", "legacy-cluster"):
            m[f("ecs", f"cluster/{n}")] = R[f"ecs-cluster:{n}"]
        for name, cluster, revision, target, policy in (
                ("app-frontend", "app-cluster", 12, "4f1c6a5e9b2d4c3e8a7f0b1c2d3e4f50", "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c40"),
                ("app-backend", "app-cluster", 34, "5a2d7b6f0c3e4d4f9b8a1c2d3e4f5061", "7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d51"),
                ("legacy-web", "legacy-cluster", 7, "6b3e8c7a1d4f4e5a0c9b2d3e4f506172", "8c3d4e5f-6a7b-4c8d-ae9f-1a2b3c4d5e62")):
            m[f("ecs", f"task-definition/{name}:{revision}")] = R[f"ecs-task-definition:{name}"]
            m[f("ecs", f"service/{cluster}/{name}")] = R[f"ecs-service:{name}"]
            m[f("application-autoscaling", f"scalable-target/{target}")] = R[f"scalable-target:{name}"]
            m[f("autoscaling", f"scalingPolicy:{policy}:resource/ecs/service/{cluster}/{name}:policyName/{name}-cpu")] = \
                R[f"scaling-policy:{name}-cpu"]
        for n in ALARMS:
            m[f("cloudwatch", f"alarm:{n}")] = R[f"alarm:{n}"]
        for n in LOG_GROUPS:
            m[f("logs", f"log-group:{n}")] = R[f"log-group:{n}"]
        for n in ("app-homepage", "app-api-login", "legacy-homepage"):
            m[f("synthetics", f"canary:{n}")] = R[f"canary:{n}"]
        for n in ("app-build", "app-test", "legacy-build"):
            m[f("codebuild", f"project/{n}")] = R[f"codebuild:{n}"]
        for n in ("app-pipeline", "legacy-pipeline"):
            m[f("codepipeline", n)] = R[f"codepipeline:{n}"]
        for n in ("app-frontend", "app-backend", "legacy-web"):
            m[f("ecr", f"repository/{n}")] = R[f"ecr:{n}"]
        for n in ("app-frontend-dg", "app-backend-dg", "legacy-api-dg"):
            m[f("codedeploy", f"deploymentgroup:app-deploy/{n}")] = R[f"codedeploy:{n}"]
        for n in ("app-sessions", "legacy-sessions"):
            m[f("elasticache", f"replicationgroup:{n}")] = R[f"elasticache:{n}"]
        return m

    def build_expectations(self, R):
        exp, omit = self.expected, self.omitted

        def x(rule, key, status, why):
            exp.append({"rule": rule, "resource": R[key], "status": status, "why": why})

        def o(rule, key, fixture_status, why, emulator_status=None):
            omit.append({"rule": rule, "resource": R[key], "fixture_status": fixture_status,
                         "emulator_status": emulator_status, "why": why})

        cf_app, cf_leg = "cloudfront-app", "cloudfront-legacy"
        acls = ("app-edge-acl", "app-regional-acl", "legacy-acl", "legacy-admin-acl")
        # WAF
        x("WAF-01", cf_app, "PASS", "WebACLId = app-edge-acl ARN")
        x("WAF-01", cf_leg, "FAIL", "WebACLId empty")
        x("WAF-02", "app-alb", "PASS", "app-regional-acl associated (GetWebACLForResource)")
        x("WAF-02", "legacy-alb", "FAIL", "no web ACL associated")
        for a in acls[:3]:
            x("WAF-03", a, "PASS", "ACL has rules")
        x("WAF-03", "legacy-admin-acl", "FAIL", "ACL has no rules")
        x("WAF-04", "app-edge-acl", "PASS", "rate-based rule, limit 2000 per IP, Block")
        x("WAF-04", "app-regional-acl", "PASS", "rate-based rule, limit 1000 per IP, Block")
        x("WAF-04", "legacy-acl", "FAIL", "rate-based rule only counts (Action Count, limit 10000)")
        x("WAF-04", "legacy-admin-acl", "FAIL", "no rules")
        for a in acls[:2]:
            x("WAF-05", a, "PASS", "IP set deny-list rule (Block) with 3 addresses")
        x("WAF-05", "legacy-acl", "FAIL", "IP set reference rule on an empty IP set")
        x("WAF-05", "legacy-admin-acl", "FAIL", "no rules")
        for a in acls[:2]:
            x("WAF-06", a, "PASS", "AWSManagedRulesCommonRuleSet with OverrideAction None")
        x("WAF-06", "legacy-acl", "FAIL", "AWSManagedRulesCommonRuleSet with OverrideAction Count")
        x("WAF-06", "legacy-admin-acl", "FAIL", "no rules")
        for a in acls[:2]:
            x("WAF-07", a, "PASS", "AWSManagedRulesKnownBadInputsRuleSet, nothing overridden")
        x("WAF-07", "legacy-acl", "FAIL", "Log4JRCE_BODY and Log4JRCE_QUERYSTRING overridden to Count")
        x("WAF-07", "legacy-admin-acl", "FAIL", "no rules")
        x("WAF-08", "app-regional-acl", "PASS", "AWSManagedRulesSQLiRuleSet present")
        x("WAF-08", "legacy-acl", "PASS", "associated with no ALB: not judged, passes")
        x("WAF-08", "legacy-admin-acl", "FAIL", "fronts legacy-admin-alb without AWSManagedRulesSQLiRuleSet")
        x("WAF-09", "app-edge-acl", "PASS", "logging to Firehose aws-waf-logs-app-edge, metrics on ACL and every rule")
        x("WAF-09", "app-regional-acl", "PASS", "logging to log group aws-waf-logs-app-regional, metrics on")
        x("WAF-09", "legacy-acl", "FAIL", "no logging configuration; a rule without CloudWatch metrics")
        x("WAF-09", "legacy-admin-acl", "FAIL", "no logging configuration")
        x("WAF-10", "app-users", "PASS", "app-regional-acl associated with the user pool")
        x("WAF-10", "legacy-users", "FAIL", "no web ACL associated")
        # Shield
        x("SHD-01", "shield-subscription", "FAIL", "emulator account not subscribed to Shield Advanced "
          "(DescribeSubscription: ResourceNotFoundException); the fixture fails it for AutoRenew DISABLED instead")
        x("SHD-02", cf_app, "PASS", "Shield protection app-cloudfront")
        x("SHD-02", cf_leg, "FAIL", "not protected")
        x("SHD-03", "app-alb", "PASS", "Shield protection app-alb")
        x("SHD-03", "legacy-alb", "FAIL", "internet-facing, not protected")
        x("SHD-04", "zone-app", "PASS", "Shield protection app-zone")
        x("SHD-04", "zone-private", "PASS", "private zone: not judged / passes as in the fixture")
        x("SHD-04", "zone-legacy", "FAIL", "public zone, not protected")
        x("SHD-05", "protection:legacy-admin-alb", "FAIL", "no application-layer automatic response")
        for p in ("protection:app-cloudfront", "protection:app-alb"):
            o("SHD-05", p, "PASS", "moto 5.2.5 does not implement EnableApplicationLayerAutomaticResponse (HTTP 500): "
              "the protection reports no automatic response", "FAIL")
        # Security groups
        for rule, key, status, why in (
                ("SG-01", "app-alb-sg", "PASS", "only 80/443 from the CloudFront prefix list"),
                ("SG-01", "legacy-alb-sg", "FAIL", "22 from 0.0.0.0/0"),
                ("SG-01", "legacy-debug-sg", "FAIL", "all traffic from 0.0.0.0/0 and ::/0"),
                ("SG-01", "default-sg-app", "PASS", "no rules"),
                ("SG-02", "app-alb-sg", "PASS", "only 80/443 from the CloudFront prefix list"),
                ("SG-02", "legacy-alb-sg", "FAIL", "3389 from 0.0.0.0/0"),
                ("SG-03", "legacy-alb-sg", "FAIL", "8080 from 0.0.0.0/0"),
                ("SG-03", "app-db-sg", "PASS", "3306 from app-ecs-sg only"),
                ("SG-03", "legacy-db-sg", "FAIL", "3306 from 0.0.0.0/0"),
                ("SG-03", "app-ecs-sg", "PASS", "8080 from app-alb-sg only"),
                ("SG-04", "legacy-alb-sg", "PASS", "single ports only"),
                ("SG-04", "legacy-debug-sg", "FAIL", "all traffic from 0.0.0.0/0 and ::/0"),
                ("SG-04", "default-sg-legacy", "PASS", "all traffic from itself only"),
                ("SG-05", "app-alb-sg", "PASS", "nothing open to the internet"),
                ("SG-05", "legacy-alb-sg", "FAIL", "22, 3389, 8080 open to the internet"),
                ("SG-05", "legacy-db-sg", "FAIL", "3306 open to the internet"),
                ("SG-05", "app-ecs-sg", "PASS", "nothing open to the internet"),
                ("SG-05", "legacy-debug-sg", "FAIL", "all traffic open to the internet"),
                ("SG-06", "app-db", "PASS", "app-db-sg admits 3306 from app-ecs-sg only"),
                ("SG-06", "legacy-db", "FAIL", "legacy-db-sg admits 3306 from 0.0.0.0/0"),
                ("SG-07", "app-alb", "PASS", "app-alb-sg: 80/443 from the CloudFront origin-facing prefix list"),
                ("SG-07", "legacy-alb", "FAIL", "legacy-alb-sg opens 22, 3389, 8080"),
                ("SG-08", "default-sg-app", "PASS", "default group of the app VPC has no rules"),
                ("SG-08", "default-sg-legacy", "FAIL", "default group of the legacy VPC keeps allow-all rules")):
            x(rule, key, status, why)
        # Secrets Manager
        api, pw, partner = "secret:app/api-key", "secret:legacy/db-password", "secret:legacy/partner-api-token"
        rep, smtp, master = "secret:legacy/reporting-db-credentials", "secret:legacy/smtp-credentials", "secret:rds-master-app-db"
        never = "moto stamps CreatedDate/LastRotatedDate with the seeding time and never reports LastAccessedDate: " \
                "an old or overdue secret cannot be represented"
        x("SM-01", api, "PASS", "rotation enabled (Lambda app-api-key-rotation, 30 days)")
        x("SM-01", pw, "FAIL", "rotation not enabled")
        x("SM-01", smtp, "FAIL", "rotation not enabled")
        x("SM-01", master, "PASS", "RDS-managed secret, rotation every 7 days")
        x("SM-02", api, "PASS", "rotated at seeding time")
        x("SM-02", partner, "PASS", "created at seeding time, never rotated")
        x("SM-02", master, "PASS", "rotated at seeding time")
        o("SM-02", pw, "FAIL", never + " (fixture: created 2024, never rotated)", "PASS")
        o("SM-02", rep, "FAIL", never + " (fixture: last rotated 2026-08-14)", "PASS")
        x("SM-03", api, "PASS", "rotated now, next rotation in 30 days, Lambda configured")
        x("SM-03", master, "PASS", "OwningService rds: rotates without a Lambda")
        o("SM-03", rep, "FAIL", never + " (fixture: rotation overdue)", "PASS")
        x("SM-04", api, "PASS", "created at seeding time (no LastAccessedDate in moto)")
        x("SM-04", pw, "PASS", "created at seeding time (no LastAccessedDate in moto)")
        o("SM-04", smtp, "FAIL", never + " (fixture: last accessed 2025-12-01)", "PASS")
        x("SM-05", api, "PASS", "resource policy grants one role")
        x("SM-05", partner, "FAIL", "resource policy grants Principal *")
        x("SM-05", master, "PASS", "no resource policy")
        # RDS
        for rule, why_app, why_legacy in (
                ("RDS-01", "MultiAZ true", "MultiAZ false"),
                ("RDS-02", "PubliclyAccessible false", "PubliclyAccessible true"),
                ("RDS-03", "StorageEncrypted true (KMS key)", "StorageEncrypted false"),
                ("RDS-04", "BackupRetentionPeriod 7", "BackupRetentionPeriod 1"),
                ("RDS-05", "DeletionProtection true", "DeletionProtection false"),
                ("RDS-06", "IAM database authentication on", "IAM database authentication off"),
                ("RDS-07", "parameter group app-mysql80-tls: require_secure_transport=1",
                 "default group default.mysql8.0: require_secure_transport not set (TLS optional)"),
                ("RDS-08", "log exports error+slowquery, auto minor version upgrade",
                 "no log exports, auto minor version upgrade off"),
                ("RDS-10", "ManageMasterUserPassword: MasterUserSecret present", "password not managed")):
            x(rule, "app-db", "PASS", why_app)
            x(rule, "legacy-db", "FAIL", why_legacy)
        for rule in ("RDS-03", "RDS-04", "RDS-05", "RDS-06", "RDS-10"):
            x(rule, "legacy-reports", "FAIL", "Aurora cluster: unencrypted, 1-day backups, no deletion protection, "
              "no IAM auth, no managed secret")
        x("RDS-07", "legacy-reports", "FAIL", "Aurora cluster: its cluster parameter group sets "
          "require_secure_transport=OFF (fixture: the default group, TLS optional)")
        x("RDS-09", "legacy-db", "FAIL", "CA rds-ca-2019 is not current (moto returns no CertificateDetails)")
        o("RDS-09", "app-db", "PASS", "moto returns no CertificateDetails.ValidTill, so the expiry is unknown", "FAIL")
        x("RDS-11", "legacy-db", "FAIL", "Performance Insights off (moto never reports PerformanceInsightsEnabled)")
        o("RDS-11", "app-db", "PASS", "moto accepts EnablePerformanceInsights but never reports "
          "PerformanceInsightsEnabled", "FAIL")
        x("RDS-12", "app-db", "PASS", "backups on; moto reports LatestRestorableTime = now")
        x("RDS-12", "legacy-reports", "PASS", "backups on; moto reports LatestRestorableTime = now")
        o("RDS-12", "legacy-db", "FAIL", "moto always reports LatestRestorableTime = now (fixture: 5 h behind)", "PASS")
        # Cognito
        for rule, why_app, why_legacy in (
                ("COG-01", "MFA ON, software token enabled", "MFA OPTIONAL"),
                ("COG-02", "AdvancedSecurityMode ENFORCED", "AdvancedSecurityMode OFF"),
                ("COG-03", "length 14, all classes, 7-day temporary passwords", "length 8, no numbers/symbols, 30 days"),
                ("COG-04", "DeletionProtection ACTIVE", "DeletionProtection INACTIVE")):
            x(rule, "app-users", "PASS", why_app)
            x(rule, "legacy-users", "FAIL", why_legacy)
        x("COG-05", "app-web-client", "PASS", "PreventUserExistenceErrors ENABLED, token revocation on")
        x("COG-05", "legacy-web-client", "FAIL", "PreventUserExistenceErrors LEGACY, token revocation off")
        # CloudFront
        x("CF-01", cf_app, "PASS", "redirect-to-https / https-only on the default and every cache behaviour")
        x("CF-01", cf_leg, "FAIL", "cache behaviour /api/* allows HTTP (allow-all)")
        x("CF-02", cf_app, "PASS", "ACM certificate, TLSv1.2_2021, CloudFrontDefaultCertificate false")
        x("CF-02", cf_leg, "FAIL", "default CloudFront certificate (TLSv1)")
        o("CF-03", cf_app, "PASS", "moto drops OriginAccessControlId (and S3OriginConfig) from the origins it "
          "returns, so the OAC cannot be shown", "FAIL")
        x("CF-03", cf_leg, "FAIL", "S3 origins without Origin Access Control (fixture: OAI; moto drops S3OriginConfig)")
        x("CF-04", cf_app, "PASS", "ALB origin https-only, TLSv1.2 only")
        x("CF-04", cf_leg, "FAIL", "ALB origin http-only with SSLv3/TLSv1")
        x("CF-05", cf_app, "PASS", "standard logging to app-logs")
        x("CF-05", cf_leg, "FAIL", "logging disabled")
        x("CF-06", cf_app, "PASS", "DefaultRootObject index.html; S3 origin bucket exists")
        x("CF-06", cf_leg, "FAIL", "no DefaultRootObject; origin bucket legacy-old-assets does not exist")
        # ALB
        x("ALB-01", "app-alb-http-80", "PASS", "HTTP listener redirects to HTTPS (301)")
        x("ALB-01", "legacy-alb-http-80", "FAIL", "HTTP listener forwards")
        x("ALB-02", "app-alb-https-443", "PASS", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
        x("ALB-02", "legacy-alb-https-443", "FAIL", "ELBSecurityPolicy-2016-08")
        for rule, why_app, why_legacy in (
                ("ALB-03", "drop_invalid_header_fields true", "drop_invalid_header_fields false"),
                ("ALB-04", "deletion protection on", "deletion protection off"),
                ("ALB-05", "access logs to app-logs", "access logs off"),
                ("ALB-06", "desync defensive, 2 AZs", "desync monitor, 1 AZ")):
            x(rule, "app-alb", "PASS", why_app)
            x(rule, "legacy-alb", "FAIL", why_legacy)
        # S3
        for b in ("s3:app-static-assets", "s3:app-logs"):
            x("S3-01", b, "PASS", "bucket and account public access blocks on, policy not public")
            x("S3-02", b, "PASS", "policy denies aws:SecureTransport false")
        x("S3-01", "s3:legacy-public-assets", "FAIL", "public bucket policy, no bucket public access block")
        x("S3-02", "s3:legacy-public-assets", "FAIL", "no statement denying insecure transport")
        # IAM
        o("IAM-01", "iam-account-summary", "PASS", "moto's account summary always reports AccountMFAEnabled=0 "
          "(root MFA cannot be enabled in the emulator) and AccountAccessKeysPresent=0, so the scan fails it", "FAIL")
        x("IAM-02", "app-ecs-task-access", "PASS", "least-privilege customer policy, attached to app-backend-task")
        x("IAM-02", "app-ecs-execution/app-logs-write", "PASS", "inline policy limited to the log group")
        x("IAM-02", "legacy-admin-access", "FAIL", "customer policy Allow * on *, attached to a role and a user")
        x("IAM-02", "legacy-ecs-task/legacy-task-all", "FAIL", "inline role policy Allow [*] on *")

    def build_tier3_expectations(self, R):
        """Tier 3 (tests/fixtures/reference/tier3.json): every fixture expectation is either expected here, with the
        emulator's ARN, or omitted with the reason and the status the emulator gives."""
        exp, omit = self.expected, self.omitted

        def x(rule, key, status, why):
            exp.append({"rule": rule, "resource": R[key], "status": status, "why": why})

        def o(rule, resource, fixture_status, why, emulator_status=None):
            omit.append({"rule": rule, "resource": R.get(resource, resource), "fixture_status": fixture_status,
                         "emulator_status": emulator_status, "why": why})

        # ECS services: public IPs and platform (ECS-01), CPU scaling (ECS-03), blue/green (CICD-01), alarms (CW-02)
        for svc in ("app-frontend", "app-backend"):
            k = f"ecs-service:{svc}"
            x("ECS-01", k, "PASS", "Fargate, assignPublicIp DISABLED, platform LATEST")
            x("ECS-03", k, "PASS", "scalable target can scale, target tracking on ECSServiceAverageCPUUtilization at 70%")
            x("CICD-01", k, "PASS", f"CODE_DEPLOY controller, deployed by app-deploy/{svc}-dg")
            x("CW-02", k, "PASS", "alarms on CPUUtilization and MemoryUtilization (ClusterName, ServiceName)")
        k = "ecs-service:legacy-web"
        x("ECS-01", k, "FAIL", "assignPublicIp ENABLED, platform 1.3.0")
        x("ECS-03", k, "FAIL", "scalable target 1..1 cannot scale; CPU target tracking at 90%")
        x("CICD-01", k, "FAIL", "behind a load balancer, ECS deployment controller, no CodeDeploy deployment group")
        x("CW-02", k, "FAIL", "no MemoryUtilization alarm (its target-tracking alarms scale, they do not alert)")
        # Task definitions: secrets and logs (ECS-02), X-Ray sidecar and task role permission (XR-01)
        for td in ("app-frontend", "app-backend"):
            k = f"ecs-task-definition:{td}"
            x("ECS-02", k, "PASS", "secrets from Secrets Manager and SSM, every container logs to awslogs")
            x("XR-01", k, "PASS", "xray-daemon sidecar (UDP 2000); task role app-ecs-task may PutTraceSegments "
              "(attached app-ecs-task-access)")
        k = "ecs-task-definition:legacy-web"
        x("ECS-02", k, "FAIL", "DB_PASSWORD and STRIPE_API_KEY in clear-text environment; log-router has no log driver")
        x("XR-01", k, "FAIL", "no X-Ray daemon or OpenTelemetry collector sidecar")
        # Alarms: actions (CW-01), a confirmed SNS subscription (CW-04)
        for a in ALARMS:
            if a.startswith("app-"):
                x("CW-01", f"alarm:{a}", "PASS", "actions enabled, notifies app-alerts")
                x("CW-04", f"alarm:{a}", "PASS", "app-alerts has confirmed email and SMS subscriptions")
        k = "alarm:TargetTracking-app-backend-AlarmHigh"
        x("CW-01", k, "PASS", "target-tracking alarm created by Application Auto Scaling, action: the scaling policy")
        x("CW-04", k, "PASS", "scaling-only alarm: not judged")
        x("CW-01", "alarm:legacy-alb-5xx", "FAIL", "actions disabled")
        x("CW-01", "alarm:legacy-db-cpu", "FAIL", "no alarm action")
        x("CW-01", "alarm:legacy-web-cpu", "PASS", "actions enabled, notifies legacy-alerts")
        x("CW-04", "alarm:legacy-alb-5xx", "FAIL", "legacy-alerts has no confirmed subscription")
        x("CW-04", "alarm:legacy-db-cpu", "FAIL", "notifies no SNS topic")
        x("CW-04", "alarm:legacy-web-cpu", "FAIL", "legacy-alerts has no confirmed subscription (the fixture's pending "
          "email subscription is left out: moto confirms every subscription at once)")
        # Required alarms (CW-02) of the Tier 1/2 resources
        for key, why in (("app-alb", "HTTPCode_ELB_5XX_Count and TargetResponseTime on LoadBalancer app/app-alb/<id>"),
                         ("app-db", "CPUUtilization, FreeStorageSpace, DatabaseConnections"),
                         ("app-regional-acl", "BlockedRequests on WebACL app-regional-acl"),
                         ("app-edge-acl", "BlockedRequests on WebACL app-edge-acl (us-east-1)"),
                         ("cloudfront-app", "5xxErrorRate on the distribution id (us-east-1)")):
            x("CW-02", key, "PASS", why)
        for key, why in (("legacy-alb", "only an HTTPCode_ELB_5XX_Count alarm (actions disabled still counts as an alarm), "
                                        "no TargetResponseTime"),
                         ("legacy-admin-alb", "no alarms"), ("legacy-db", "CPUUtilization only"),
                         ("legacy-acl", "no BlockedRequests alarm"), ("legacy-admin-acl", "no BlockedRequests alarm"),
                         ("cloudfront-legacy", "no 5xxErrorRate alarm")):
            x("CW-02", key, "FAIL", why)
        # Log retention (CW-03)
        for g, days in LOG_GROUPS.items():
            if days is None or days >= 365:
                x("CW-03", f"log-group:{g}", "PASS", "never expires" if days is None else f"retention {days} days")
            else:
                x("CW-03", f"log-group:{g}", "FAIL", f"retention {days} days")
        # Canaries (CW-05): moto creates canaries READY and cannot start them
        x("CW-05", "canary:legacy-homepage", "FAIL", "not RUNNING (moto: READY; fixture: STOPPED), hourly")
        never = "moto cannot start a canary (StartCanary: 404), so none is RUNNING"
        for n in ("app-homepage", "app-api-login"):
            o("CW-05", f"canary:{n}", "PASS", never + " (fixture: RUNNING every 5 minutes)", "FAIL")
        for key in ("cloudfront-app", "cloudfront-legacy", "app-alb", "legacy-alb", "legacy-admin-alb"):
            o("CW-05", key, "PASS", never + ": no running canary in the account", "FAIL")
        # X-Ray: moto 5.2.5 answers every X-Ray call with 404 (XR-01's sampling rules, XR-02)
        xray = "moto 5.2.5 answers every X-Ray call with 404: "
        o("XR-02", "xray-encryption-config", "PASS", xray + "KMS encryption cannot be set nor read", "ERROR")
        o("XR-01", "xray-sampling-rule:Default", "PASS", xray + "sampling rules cannot be created nor read", "ERROR")
        for rule in ("app-api-login", "app-frontend"):
            o("XR-01", f"arn:aws:xray:us-east-1:{ACCOUNT}:sampling-rule/{rule}", "PASS",
              xray + "CreateSamplingRule fails, the rule does not exist")
        second = "second account of the fixture: the emulator holds account 123456789012 only"
        o("XR-02", "arn:aws:xray:us-east-1:210987654321:encryption-config", "FAIL", second)
        o("XR-01", "arn:aws:xray:us-east-1:210987654321:sampling-rule/Default", "FAIL", second)
        # Route 53: query logging (R53-01), alarmed health checks (R53-02)
        x("R53-01", "zone-app", "PASS", "query logging to /aws/route53/app.example.com")
        x("R53-01", "zone-legacy", "FAIL", "public zone without query logging")
        x("R53-01", "zone-private", "PASS", "private zone: not judged")
        x("R53-02", "health-check:app", "PASS", "enabled, alarm app-health-check on HealthCheckStatus")
        x("R53-02", "health-check:legacy", "FAIL", "watched by no alarm")
        x("R53-02", "zone-app", "PASS", "health check on app.example.com, alarmed")
        x("R53-02", "zone-legacy", "FAIL", "its health check is watched by no alarm")
        x("R53-02", "zone-private", "PASS", "private zone: not judged")
        # CI/CD: build secrets (CICD-03), ECR (CICD-02), deployment groups (CICD-01)
        x("CICD-03", "codebuild:app-build", "PASS", "NPM_TOKEN from Parameter Store, SONAR_TOKEN from Secrets Manager")
        x("CICD-03", "codebuild:app-test", "PASS", "TEST_DB_PASSWORD from Secrets Manager")
        x("CICD-03", "codebuild:legacy-build", "FAIL", "DOCKERHUB_PASSWORD and an AKIA access key id in PLAINTEXT")
        x("CICD-03", "codepipeline:app-pipeline", "PASS", "CodeBuild action variables from Secrets Manager")
        x("CICD-03", "codepipeline:legacy-pipeline", "FAIL", "SLACK_WEBHOOK_TOKEN PLAINTEXT in a CodeBuild action")
        for n in ("app-frontend", "app-backend"):
            x("CICD-02", f"ecr:{n}", "PASS", "IMMUTABLE tags, scan on push (and enhanced scanning of app-*)")
        x("CICD-02", "ecr:legacy-web", "FAIL", "MUTABLE tags, no scan on push, not matched by the registry rules")
        for n in ("app-frontend-dg", "app-backend-dg"):
            x("CICD-01", f"codedeploy:{n}", "PASS", "BLUE_GREEN, automatic rollback on DEPLOYMENT_FAILURE")
        x("CICD-01", "codedeploy:legacy-api-dg", "FAIL", "automatic rollback disabled")
        # ElastiCache (EC-01)
        x("EC-01", "elasticache:app-sessions", "PASS", "in-transit (required) and at-rest encryption, RBAC user group")
        x("EC-01", "elasticache:legacy-sessions", "FAIL", "no encryption in transit or at rest, no AUTH token, no RBAC")

    # ---- run ---------------------------------------------------------------------------------------
    def seed_log_groups(self):
        """The Tier 3 log groups of every copy, and the query logging of each app zone. moto's
        CreateQueryLoggingConfig looks for the log group in the first page (50, by name) of us-east-1's log groups, so
        the Route 53 groups come first, each sorting before every group that exists when it is created."""
        e, g = self.e, GLOBAL_REGION
        by_name = {job[0]: job for job in self.log_groups}

        def create(name):
            _, stack, days, region, kms = by_name.pop(name)
            kw = {"kmsKeyId": kms} if kms else {}
            e.call("logs", "create_log_group", region=region, logGroupName=name, tags={"stack": stack, "env": "prod"},
                   **kw)
            if days is not None:
                e.call("logs", "put_retention_policy", region=region, logGroupName=name, retentionInDays=days)
            self.count("aws_cloudwatch_log_group")

        for first, zone_id, name in sorted(self.query_logs, key=lambda q: q[2], reverse=True):
            create(name)
            qlog = e.call("route53", "create_query_logging_config", region=g, HostedZoneId=zone_id,
                          CloudWatchLogsLogGroupArn=f"arn:aws:logs:{g}:{ACCOUNT}:log-group:{name}:*",
                          )["QueryLoggingConfig"]["Id"]
            self.count("aws_route53_query_log")
            if first:
                self.resources["route53-query-log:app"] = f"arn:aws:route53:::queryloggingconfig/{qlog}"
        for name in list(by_name):
            create(name)
        self.fixture_ids.update(self.tier3_fixture_map(self.resources))

    def run(self):
        self.prepare()
        for k in range(1, self.scale + 1):
            self.seed_copy(k)
        self.seed_log_groups()
        self.finish()


def _clean(perms):
    """IpPermissions as DescribeSecurityGroups returns them, reduced to what Revoke accepts."""
    out = []
    for p in perms:
        q = {"IpProtocol": p["IpProtocol"]}
        for key in ("FromPort", "ToPort"):
            if key in p:
                q[key] = p[key]
        for key, inner in (("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6"), ("PrefixListIds", "PrefixListId"),
                           ("UserIdGroupPairs", "GroupId")):
            if p.get(key):
                q[key] = [{inner: x[inner]} for x in p[key]]
        out.append(q)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", required=True, help="emulator URL, e.g. http://127.0.0.1:4566")
    ap.add_argument("--scale", type=int, default=1, help="copies of both stacks (default 1)")
    ap.add_argument("--manifest", help="write the JSON manifest (ARNs and expected results of copy 1) here")
    ap.add_argument("--region", default="us-east-1", help="region of the regional resources (default us-east-1)")
    ap.add_argument("--reset", action="store_true", help="POST /moto-api/reset before seeding")
    args = ap.parse_args(argv)
    if args.scale < 1:
        ap.error("--scale must be at least 1")
    host = urllib.parse.urlsplit(args.endpoint).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        ap.error(f"--endpoint must be a loopback emulator, not {host}")

    started = time.monotonic()
    emu = Emulator(args.endpoint, args.region)
    seeder = Seeder(emu, args.scale)
    try:
        if args.reset:
            emu.moto_api("/moto-api/reset", {})
        seeder.run()
    except SeedError as err:
        print(f"seed.py: FAILED: {err}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    total = sum(seeder.counts.values())
    if args.manifest:
        manifest = {
            "endpoint": args.endpoint, "scale": args.scale, "account": ACCOUNT, "region": args.region,
            "notes": [
                "resources and expected cover copy 1 only (the README's names); copy k>1 has the suffix -k",
                "the account is not subscribed to Shield Advanced (moto's DescribeSubscription after subscribing "
                "returns dates the Rust SDK cannot parse)",
                "omitted: fixture expectations the emulator cannot represent, with the status the emulator gives",
                "expected, for the rules of emulator_gaps: the status on complete data; a live scan reports ERROR "
                "where that is PASS (a FAIL does not rest on the missing data and stays FAIL)",
            ],
            "emulator_gaps": EMULATOR_GAPS,
            "needs_cloudwatch_proxy": {
                "rules": ["CW-01", "CW-02", "CW-04", "CW-05", "R53-02"],
                "why": "they read CloudWatch alarms (the Rust SDK speaks Smithy RPC-v2 CBOR, which moto does not) or "
                       "Synthetics canaries (moto sends ISO dates where AWS sends epoch seconds): scan through "
                       "tests/emulator/cloudwatch_proxy.py, which translates both; without it they are ERROR where "
                       "the missing data could change the result"},
            "account_summary": getattr(seeder, "account_summary", None),
            "unsupported_operations": emu.unsupported,
            "counts": dict(sorted(seeder.counts.items())),
            "resources": seeder.resources,
            "fixture_ids": seeder.fixture_ids,
            "expected": seeder.expected,
            "omitted": seeder.omitted,
        }
        with open(args.manifest, "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
    print(f"seeded {args.endpoint}: scale {args.scale}, {total} resources, {emu.calls} calls, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
