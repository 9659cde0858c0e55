package aws.cloudfront.s3_origin_access_test

import rego.v1

import data.aws.cloudfront.s3_origin_access
import data.lib.testing

arn := "arn:aws:cloudfront::123456789012:distribution/E1APPDIST0001"

dist(origins) := {
	"id": arn, "type": "aws_cloudfront_distribution", "account": testing.account, "region": "global",
	"name": "E1APPDIST0001", "attributes": {"origin": origins}, "tags": {},
}

oac_origin := {
	"origin_id": "s3-assets", "domain_name": "assets.s3.us-east-1.amazonaws.com",
	"origin_access_control_id": "E2OACEXAMPLE01", "s3_origin_config": [{"origin_access_identity": ""}],
}

alb_origin := {
	"origin_id": "alb", "domain_name": "app-alb-123.us-east-1.elb.amazonaws.com",
	"custom_origin_config": [{"origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}],
}

bucket_policy(bucket, stmts) := testing.res("aws_s3_bucket_policy", sprintf("arn:aws:s3:::%s/policy", [bucket]), {
	"bucket": bucket,
	"policy": json.marshal({"Version": "2012-10-17", "Statement": stmts}),
})

oac_stmt(source) := {
	"Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow",
	"Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
	"Resource": "arn:aws:s3:::assets/*",
	"Condition": {"StringEquals": {"AWS:SourceArn": source}},
}

test_oac_origin_with_scoped_policy_passes if {
	d := s3_origin_access.deny with input as testing.inv([dist([oac_origin, alb_origin]), bucket_policy("assets", [oac_stmt(arn)])])
	count(d) == 0
}

test_condition_key_case_and_list_value_pass if {
	stmt := object.union(oac_stmt(null), {"Condition": {"ArnLike": {"aws:SourceArn": ["arn:x", arn]}}})
	d := s3_origin_access.deny with input as testing.inv([dist([oac_origin]), bucket_policy("assets", [stmt])])
	count(d) == 0
}

test_oai_origin_fails if {
	o := {"origin_id": "s3-legacy", "domain_name": "assets.s3.amazonaws.com",
		"s3_origin_config": [{"origin_access_identity": "origin-access-identity/cloudfront/E3OAIEXAMPLE"}]}
	d := s3_origin_access.deny with input as testing.inv([dist([o]), bucket_policy("assets", [oac_stmt(arn)])])
	testing.ids(d) == {arn}
}

test_policy_for_another_distribution_fails if {
	other := "arn:aws:cloudfront::123456789012:distribution/E9OTHER"
	d := s3_origin_access.deny with input as testing.inv([dist([oac_origin]), bucket_policy("assets", [oac_stmt(other)])])
	testing.ids(d) == {arn}
}

test_policy_without_source_arn_fails if {
	stmt := object.remove(oac_stmt(arn), ["Condition"])
	d := s3_origin_access.deny with input as testing.inv([dist([oac_origin]), bucket_policy("assets", [stmt])])
	testing.ids(d) == {arn}
}

test_missing_bucket_policy_fails if {
	d := s3_origin_access.deny with input as testing.inv([dist([oac_origin]), bucket_policy("other-bucket", [oac_stmt(arn)])])
	testing.ids(d) == {arn}
	some f in d
	contains(f.message, "no policy")
}

test_custom_origins_only_are_not_judged if {
	website := {"origin_id": "site", "domain_name": "assets.s3-website-us-east-1.amazonaws.com",
		"custom_origin_config": [{"origin_protocol_policy": "http-only"}]}
	d := s3_origin_access.deny with input as testing.inv([dist([alb_origin, website])])
	count(d) == 0
}
