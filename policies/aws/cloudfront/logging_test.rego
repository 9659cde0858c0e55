package aws.cloudfront.logging_test

import rego.v1

import data.aws.cloudfront.logging
import data.lib.testing

dist(id, attrs) := testing.res("aws_cloudfront_distribution", id, attrs)

test_s3_logging_passes if {
	d := logging.deny with input as testing.inv([dist("a", {"logging_config": [{"bucket": "app-logs.s3.amazonaws.com", "include_cookies": false}]})])
	count(d) == 0
}

test_v2_logging_passes if {
	d := logging.deny with input as testing.inv([dist("a", {"logging_config": [], "standard_logging_v2_enabled": true})])
	count(d) == 0
}

test_no_logging_fails if {
	d := logging.deny with input as testing.inv([
		dist("a", {"logging_config": [], "standard_logging_v2_enabled": false}),
		dist("b", {"logging_config": [{"bucket": ""}]}),
		dist("c", {}),
		dist("d", {"logging_config": [{"bucket": "app-logs.s3.amazonaws.com"}]}),
	])
	testing.ids(d) == {"a", "b", "c"}
}
