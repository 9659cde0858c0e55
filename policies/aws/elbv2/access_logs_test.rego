package aws.elbv2.access_logs_test

import rego.v1

import data.aws.elbv2.access_logs
import data.lib.testing

lb(id, attrs) := testing.res("aws_lb", id, object.union({"load_balancer_type": "application"}, attrs))

test_logging_alb_passes if {
	d := access_logs.deny with input as testing.inv([lb("a", {"access_logs": [{"enabled": true, "bucket": "app-logs", "prefix": "alb"}]})])
	count(d) == 0
}

test_not_logging_alb_fails if {
	d := access_logs.deny with input as testing.inv([
		lb("a", {"access_logs": [{"enabled": false, "bucket": ""}]}),
		lb("b", {}),
		lb("c", {"access_logs": [{"enabled": true}]}),
		lb("d", {"access_logs": [{"enabled": true, "bucket": "app-logs"}]}),
	])
	testing.ids(d) == {"a", "b", "c"}
}
