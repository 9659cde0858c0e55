package aws.rds.iam_authentication_test

import rego.v1

import data.aws.rds.iam_authentication
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

cluster(id, attrs) := testing.res("aws_rds_cluster", id, attrs)

test_iam_auth_enabled_passes if {
	d := iam_authentication.deny with input as testing.inv([
		db("a", {"iam_database_authentication_enabled": true}),
		cluster("c", {"cluster_identifier": "c", "iam_database_authentication_enabled": true}),
	])
	count(d) == 0
}

test_iam_auth_disabled_fails if {
	d := iam_authentication.deny with input as testing.inv([
		db("a", {"iam_database_authentication_enabled": false}),
		db("b", {"iam_database_authentication_enabled": true}),
		cluster("c", {"cluster_identifier": "c", "iam_database_authentication_enabled": false}),
	])
	testing.ids(d) == {"a", "c"}
}

test_unknown_setting_fails if {
	d := iam_authentication.deny with input as testing.inv([db("a", {})])
	testing.ids(d) == {"a"}
}
