package aws.rds.multi_az_test

import rego.v1

import data.aws.rds.multi_az
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

test_multi_az_instance_passes if {
	d := multi_az.deny with input as testing.inv([db("a", {"multi_az": true})])
	count(d) == 0
}

test_single_az_instance_fails if {
	d := multi_az.deny with input as testing.inv([db("a", {"multi_az": false}), db("b", {"multi_az": true})])
	testing.ids(d) == {"a"}
}

test_unknown_multi_az_fails if {
	d := multi_az.deny with input as testing.inv([db("a", {})])
	testing.ids(d) == {"a"}
}

test_aurora_member_is_judged_by_its_cluster if {
	d := multi_az.deny with input as testing.inv([db("a", {"multi_az": false, "cluster_identifier": "c1"})])
	count(d) == 0
}
