package aws.cloudfront.origin_tls_test

import rego.v1

import data.aws.cloudfront.origin_tls
import data.lib.testing

dist(id, origins) := testing.res("aws_cloudfront_distribution", id, {"origin": origins})

custom(id, policy, protocols) := {
	"origin_id": id, "domain_name": sprintf("%s-123456.us-east-1.elb.amazonaws.com", [id]),
	"custom_origin_config": [{"origin_protocol_policy": policy, "origin_ssl_protocols": protocols, "https_port": 443}],
}

s3 := {"origin_id": "s3", "domain_name": "assets.s3.amazonaws.com", "origin_access_control_id": "E2OAC"}

test_https_only_tls12_passes if {
	d := origin_tls.deny with input as testing.inv([
		dist("a", [custom("alb", "https-only", ["TLSv1.2"]), s3]),
		dist("b", [s3]),
	])
	count(d) == 0
}

test_http_only_origin_fails if {
	d := origin_tls.deny with input as testing.inv([
		dist("a", [custom("alb", "http-only", ["TLSv1.2"])]),
		dist("b", [custom("alb", "match-viewer", ["TLSv1.2"])]),
		dist("c", [custom("alb", "https-only", ["TLSv1.2"])]),
	])
	testing.ids(d) == {"a", "b"}
}

test_deprecated_ssl_protocols_fail if {
	d := origin_tls.deny with input as testing.inv([
		dist("a", [custom("alb", "https-only", ["TLSv1", "TLSv1.1", "TLSv1.2"])]),
		dist("b", [custom("alb", "https-only", ["SSLv3"])]),
	])
	testing.ids(d) == {"a", "b"}
}

test_one_bad_origin_of_two_fails if {
	d := origin_tls.deny with input as testing.inv([dist("a", [custom("ok", "https-only", ["TLSv1.2"]), custom("old", "http-only", ["TLSv1", "SSLv3"])])])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "old")
	not contains(f.message, "ok:")
}

test_unknown_origin_settings_fail if {
	o := {"origin_id": "alb", "domain_name": "x.elb.amazonaws.com", "custom_origin_config": [{}]}
	d := origin_tls.deny with input as testing.inv([dist("a", [o])])
	testing.ids(d) == {"a"}
}
