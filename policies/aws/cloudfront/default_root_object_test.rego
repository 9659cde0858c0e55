package aws.cloudfront.default_root_object_test

import rego.v1

import data.aws.cloudfront.default_root_object
import data.lib.testing

dist(id, root, origins) := testing.res("aws_cloudfront_distribution", id, {"default_root_object": root, "origin": origins})

s3(bucket) := {"origin_id": bucket, "domain_name": sprintf("%s.s3.us-east-1.amazonaws.com", [bucket]), "origin_access_control_id": "E2OAC"}

bucket(name) := testing.res("aws_s3_bucket", sprintf("arn:aws:s3:::%s", [name]), {"bucket": name})

alb := {"origin_id": "alb", "domain_name": "alb-1.us-east-1.elb.amazonaws.com", "custom_origin_config": [{"origin_protocol_policy": "https-only"}]}

test_root_object_and_existing_bucket_pass if {
	d := default_root_object.deny with input as testing.inv([dist("a", "index.html", [s3("assets"), alb]), bucket("assets")])
	count(d) == 0
}

test_missing_root_object_fails if {
	d := default_root_object.deny with input as testing.inv([
		dist("a", "", [alb]),
		testing.res("aws_cloudfront_distribution", "b", {"origin": [alb]}),
		dist("c", "index.html", [alb]),
	])
	testing.ids(d) == {"a", "b"}
}

test_origin_bucket_not_found_fails if {
	d := default_root_object.deny with input as testing.inv([dist("a", "index.html", [s3("deleted-assets")]), bucket("assets")])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "deleted-assets was not found")
}

test_bucket_of_another_account_is_not_found if {
	other := object.union(bucket("assets"), {"account": "210987654321"})
	d := default_root_object.deny with input as testing.inv([dist("a", "index.html", [s3("assets")]), other])
	testing.ids(d) == {"a"}
}
