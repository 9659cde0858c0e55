package aws.rds.point_in_time_recovery_test

import rego.v1

import data.aws.rds.point_in_time_recovery as pitr
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

cluster(id, attrs) := testing.res("aws_rds_cluster", id, attrs)

# The tests' scan time is 2026-11-27T00:00:00Z.
fresh := {"backup_retention_period": 7, "latest_restorable_time": "2026-11-26T23:55:00Z"}

test_recent_restore_point_passes if {
	d := pitr.deny with input as testing.inv([db("a", fresh), cluster("c", object.union(fresh, {"cluster_identifier": "c"}))])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_stale_restore_point_fails if {
	d := pitr.deny with input as testing.inv([
		db("a", object.union(fresh, {"latest_restorable_time": "2026-11-26T18:00:00Z"})),
		db("b", object.union(fresh, {"latest_restorable_time": "2026-11-26T23:00:00Z"})),
		db("ok", fresh),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.lag_minutes == 360
}

test_backups_off_fails if {
	d := pitr.deny with input as testing.inv([
		db("a", object.union(fresh, {"backup_retention_period": 0})),
		cluster("c", {"cluster_identifier": "c", "latest_restorable_time": "2026-11-26T23:55:00Z"}),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a", "c"}
}

test_unknown_restore_time_fails if {
	d := pitr.deny with input as testing.inv([
		db("a", {"backup_retention_period": 7}),
		db("b", object.union(fresh, {"latest_restorable_time": "yesterday"})),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a", "b"}
}

test_parameter_is_honoured if {
	d := pitr.deny with input as testing.inv([db("a", fresh)])
		with data.palisade.now_ns as testing.now_ns
		with data.palisade.config.rds_max_restore_lag_minutes as 2
	testing.ids(d) == {"a"}
}

test_member_is_judged_through_its_cluster if {
	d := pitr.deny with input as testing.inv([
		db("m", {"cluster_identifier": "c"}),
		cluster("c", object.union(fresh, {"cluster_identifier": "c"})),
	])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}
