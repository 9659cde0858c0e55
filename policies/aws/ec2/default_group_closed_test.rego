package aws.ec2.default_group_closed_test

import rego.v1

import data.aws.ec2.default_group_closed as rule
import data.lib.testing

self_all := {"protocol": "-1", "from_port": 0, "to_port": 0, "self": true}

all_out := {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}

test_closed_default_group_passes if {
	d := rule.deny with input as testing.inv([
		testing.res("aws_default_security_group", "a", {"id": "a", "ingress": [], "egress": []}),
		testing.res("aws_security_group", "b", {"id": "b", "name": "default", "is_default": true, "ingress": [], "egress": []}),
	])
	count(d) == 0
}

test_stock_default_rules_fail if {
	d := rule.deny with input as testing.inv([
		testing.res("aws_security_group", "a", {"id": "a", "name": "default", "is_default": true, "ingress": [self_all], "egress": [all_out]}),
		testing.res("aws_default_security_group", "b", {"id": "b", "ingress": [], "egress": [all_out]}),
		testing.res("aws_security_group", "c", {"id": "c", "name": "app", "is_default": false, "ingress": [self_all], "egress": [all_out]}),
	])
	testing.ids(d) == {"a", "b"}
}

test_group_named_default_is_judged if {
	d := rule.deny with input as testing.inv([testing.res("aws_security_group", "a", {"id": "a", "name": "default", "ingress": [self_all], "egress": []})])
	testing.ids(d) == {"a"}
}

test_unknown_rules_fail if {
	d := rule.deny with input as testing.inv([testing.res("aws_default_security_group", "a", {"id": "a", "ingress": []})])
	testing.ids(d) == {"a"}
}
