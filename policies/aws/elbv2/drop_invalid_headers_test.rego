package aws.elbv2.drop_invalid_headers_test

import rego.v1

import data.aws.elbv2.drop_invalid_headers
import data.lib.testing

lb(id, attrs) := testing.res("aws_lb", id, object.union({"load_balancer_type": "application"}, attrs))

test_dropping_alb_passes if {
	d := drop_invalid_headers.deny with input as testing.inv([lb("a", {"drop_invalid_header_fields": true})])
	count(d) == 0
}

test_not_dropping_alb_fails if {
	d := drop_invalid_headers.deny with input as testing.inv([
		lb("a", {"drop_invalid_header_fields": false}),
		lb("b", {}),
		lb("c", {"drop_invalid_header_fields": true}),
	])
	testing.ids(d) == {"a", "b"}
}

test_network_load_balancer_is_not_judged if {
	d := drop_invalid_headers.deny with input as testing.inv([lb("a", {"load_balancer_type": "network"})])
	count(d) == 0
}

test_absent_type_is_judged_as_application if {
	d := drop_invalid_headers.deny with input as testing.inv([testing.res("aws_lb", "a", {"drop_invalid_header_fields": false})])
	testing.ids(d) == {"a"}
}
