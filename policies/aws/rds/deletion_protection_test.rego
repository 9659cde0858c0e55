package aws.rds.deletion_protection_test

import rego.v1

import data.aws.rds.deletion_protection
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

cluster(id, attrs) := testing.res("aws_rds_cluster", id, attrs)

test_protected_resources_pass if {
	d := deletion_protection.deny with input as testing.inv([
		db("a", {"deletion_protection": true}),
		cluster("c", {"cluster_identifier": "c", "deletion_protection": true}),
	])
	count(d) == 0
}

test_unprotected_resources_fail if {
	d := deletion_protection.deny with input as testing.inv([
		db("a", {"deletion_protection": false}),
		db("b", {"deletion_protection": true}),
		cluster("c", {"cluster_identifier": "c", "deletion_protection": false}),
	])
	testing.ids(d) == {"a", "c"}
}

test_unknown_setting_fails if {
	d := deletion_protection.deny with input as testing.inv([db("a", {})])
	testing.ids(d) == {"a"}
}

test_member_is_judged_through_its_cluster if {
	d := deletion_protection.deny with input as testing.inv([
		db("m", {"cluster_identifier": "c", "deletion_protection": false}),
		cluster("c", {"cluster_identifier": "c", "deletion_protection": true}),
	])
	count(d) == 0
}
