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
- root MFA cannot be enabled: GetAccountSummary says AccountMFAEnabled=0 (IAM-01 FAIL, fixture PASS).
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
        cluster = e.call("rds", "create_db_cluster", DBClusterIdentifier=f"legacy-reports{s}", Engine="aurora-mysql",
                         MasterUsername="admin", MasterUserPassword="legacy-password-1", StorageEncrypted=False,
                         BackupRetentionPeriod=1, DeletionProtection=False, EnableIAMDatabaseAuthentication=False,
                         VpcSecurityGroupIds=[sg["legacy-db-sg"]], DBSubnetGroupName=f"legacy-public{s}",
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

        if not first:
            return

        # ---- copy 1: the manifest ------------------------------------------------------------------
        R = self.resources
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

    # ---- run ---------------------------------------------------------------------------------------
    def run(self):
        self.prepare()
        for k in range(1, self.scale + 1):
            self.seed_copy(k)
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
            ],
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
