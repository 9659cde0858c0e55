package aws.elbv2.deletion_protection_test

import rego.v1

import data.aws.elbv2.deletion_protection
import data.lib.testing

lb(id, attrs) := testing.res("aws_lb", id, object.union({"load_balancer_type": "application"}, attrs))

test_protected_alb_passes if {
	d := deletion_protection.deny with input as testing.inv([lb("a", {"enable_deletion_protection": true})])
	count(d) == 0
}

test_unprotected_alb_fails if {
	d := deletion_protection.deny with input as testing.inv([
		lb("a", {"enable_deletion_protection": false}),
		lb("b", {}),
		lb("c", {"enable_deletion_protection": true}),
		lb("n", {"load_balancer_type": "network", "enable_deletion_protection": false}),
	])
	testing.ids(d) == {"a", "b"}
}
