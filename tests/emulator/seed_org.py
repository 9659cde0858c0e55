#!/usr/bin/env python3
"""Seeds an AWS Organization in the local emulator for multi-account tests: creates the organization (the
caller's account, 123456789012, is its management account), N member accounts, and in each member, through
the role palisade assumes (moto accepts any role name), a small stack with one known violation:

  - a security group open to the internet on SSH (SG-01 FAIL) and one closed twin (SG-01 PASS);
  - an S3 bucket without a public access block (S3-01 FAIL).

    python tests/emulator/seed_org.py --endpoint http://127.0.0.1:PORT --members 3 [--role palisade-audit]
        [--groups N]

--groups N gives each member N more security groups (a closed SSH rule each), to make members of a size
that shows how an organization scan's memory grows (tests/bench/org.sh).

Prints a JSON object: {"management": "...", "members": ["...", ...]}. Loopback only.
"""
import argparse
import json
import sys
from urllib.parse import urlparse

import boto3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--members", type=int, default=3)
    p.add_argument("--role", default="palisade-audit")
    p.add_argument("--groups", type=int, default=0)
    a = p.parse_args()
    if urlparse(a.endpoint).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("seed_org.py: the endpoint must be on loopback")
    kw = dict(endpoint_url=a.endpoint, region_name="us-east-1",
              aws_access_key_id="testing", aws_secret_access_key="testing")
    org = boto3.client("organizations", **kw)
    try:
        org.create_organization(FeatureSet="ALL")
    except org.exceptions.AlreadyInOrganizationException:
        pass
    management = boto3.client("sts", **kw).get_caller_identity()["Account"]
    existing = {x["Name"]: x["Id"] for x in org.list_accounts()["Accounts"]}
    members = []
    for i in range(1, a.members + 1):
        name = f"member-{i}"
        if name not in existing:
            org.create_account(Email=f"{name}@example.com", AccountName=name)
            existing = {x["Name"]: x["Id"] for x in org.list_accounts()["Accounts"]}
        acct = existing[name]
        members.append(acct)
        c = boto3.client("sts", **kw).assume_role(
            RoleArn=f"arn:aws:iam::{acct}:role/{a.role}", RoleSessionName="seed-org")["Credentials"]
        mkw = dict(endpoint_url=a.endpoint, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                   aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
        ec2 = boto3.client("ec2", **mkw)
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        for gname, cidr in (("open-ssh", "0.0.0.0/0"), ("closed-ssh", "10.0.0.0/8")):
            g = ec2.create_security_group(GroupName=f"{gname}-{i}", Description=gname, VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}])
        for j in range(a.groups):
            g = ec2.create_security_group(GroupName=f"bulk-{i}-{j}", Description="bulk", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
        boto3.client("s3", **mkw).create_bucket(Bucket=f"member-{i}-{acct}-data")
    print(json.dumps({"management": management, "members": members}))


if __name__ == "__main__":
    main()
