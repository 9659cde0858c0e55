package aws.s3.secure_transport_test

import rego.v1

import data.aws.s3.secure_transport
import data.lib.testing

bucket(name) := testing.res("aws_s3_bucket", sprintf("arn:aws:s3:::%s", [name]), {"bucket": name})

policy(name, stmts) := testing.res("aws_s3_bucket_policy", sprintf("arn:aws:s3:::%s/policy", [name]), {
	"bucket": name,
	"policy": json.marshal({"Version": "2012-10-17", "Statement": stmts}),
})

deny_http := {
	"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
	"Resource": ["arn:aws:s3:::a", "arn:aws:s3:::a/*"],
	"Condition": {"Bool": {"aws:SecureTransport": "false"}},
}

allow_read := {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}

test_deny_insecure_transport_passes if {
	d := secure_transport.deny with input as testing.inv([bucket("a"), policy("a", [allow_read, deny_http])])
	count(d) == 0
}

test_variants_pass if {
	stmt := object.union(object.remove(deny_http, ["Condition"]), {"Principal": {"AWS": "*"}, "Action": ["s3:*"], "Condition": {"Bool": {"aws:securetransport": false}}})
	d := secure_transport.deny with input as testing.inv([bucket("a"), policy("a", [stmt])])
	count(d) == 0
}

test_missing_policy_fails if {
	d := secure_transport.deny with input as testing.inv([bucket("a"), bucket("b"), policy("b", [deny_http])])
	testing.ids(d) == {"arn:aws:s3:::a"}
}

test_policy_without_deny_fails if {
	d := secure_transport.deny with input as testing.inv([bucket("a"), policy("a", [allow_read])])
	testing.ids(d) == {"arn:aws:s3:::a"}
}

test_partial_or_allow_statement_fails if {
	d := secure_transport.deny with input as testing.inv([
		bucket("a"), policy("a", [object.union(deny_http, {"Action": "s3:GetObject"})]),
		bucket("b"), policy("b", [object.union(deny_http, {"Effect": "Allow"})]),
		bucket("c"), policy("c", [object.union(deny_http, {"Condition": {"Bool": {"aws:SecureTransport": "true"}}})]),
	])
	testing.ids(d) == {"arn:aws:s3:::a", "arn:aws:s3:::b", "arn:aws:s3:::c"}
}
