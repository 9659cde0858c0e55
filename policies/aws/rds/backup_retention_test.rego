package aws.rds.backup_retention_test

import rego.v1

import data.aws.rds.backup_retention
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

cluster(id, attrs) := testing.res("aws_rds_cluster", id, attrs)

test_seven_days_passes if {
	d := backup_retention.deny with input as testing.inv([
		db("a", {"backup_retention_period": 7}),
		cluster("c", {"cluster_identifier": "c", "backup_retention_period": 14}),
	])
	count(d) == 0
}

test_one_day_fails_unlike_prowler if {
	d := backup_retention.deny with input as testing.inv([
		db("a", {"backup_retention_period": 1}),
		db("b", {"backup_retention_period": 0}),
		db("ok", {"backup_retention_period": 35}),
		cluster("c", {"cluster_identifier": "c", "backup_retention_period": 6}),
	])
	testing.ids(d) == {"a", "b", "c"}
}

test_unknown_period_fails if {
	d := backup_retention.deny with input as testing.inv([db("a", {}), db("b", {"backup_retention_period": "7"})])
	testing.ids(d) == {"a", "b"}
}

test_parameter_is_honoured if {
	d := backup_retention.deny with input as testing.inv([db("a", {"backup_retention_period": 7})])
		with data.palisade.config.rds_backup_retention_min_days as 14
	testing.ids(d) == {"a"}
}

test_member_is_judged_through_its_cluster if {
	d := backup_retention.deny with input as testing.inv([
		db("m", {"cluster_identifier": "c", "backup_retention_period": 1}),
		cluster("c", {"cluster_identifier": "c", "backup_retention_period": 7}),
	])
	count(d) == 0
}
