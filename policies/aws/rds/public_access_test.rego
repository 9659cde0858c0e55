package aws.rds.public_access_test

import rego.v1

import data.aws.rds.public_access
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

sg(id, cidrs) := testing.res("aws_security_group", id, {"id": id, "ingress": [{"from_port": 3306, "to_port": 3306, "protocol": "tcp", "cidr_blocks": cidrs}]})

test_private_instance_passes if {
	d := public_access.deny with input as testing.inv([db("a", {"publicly_accessible": false})])
	count(d) == 0
}

test_public_instance_fails_even_with_closed_security_group if {
	d := public_access.deny with input as testing.inv([
		db("a", {"publicly_accessible": true, "vpc_security_group_ids": ["sg-1"]}),
		db("b", {"publicly_accessible": false}),
		sg("sg-1", ["10.0.0.0/16"]),
	])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.security_groups_open_to_internet == []
}

test_public_instance_with_open_group_names_the_group if {
	d := public_access.deny with input as testing.inv([
		db("a", {"publicly_accessible": true, "vpc_security_group_ids": ["sg-1", "sg-2"]}),
		sg("sg-1", ["0.0.0.0/0"]),
		sg("sg-2", ["10.0.0.0/16"]),
	])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.security_groups_open_to_internet == ["sg-1"]
	contains(f.message, "sg-1")
}

test_unknown_flag_fails if {
	d := public_access.deny with input as testing.inv([db("a", {})])
	testing.ids(d) == {"a"}
}
