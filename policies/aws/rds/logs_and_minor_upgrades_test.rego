package aws.rds.logs_and_minor_upgrades_test

import rego.v1

import data.aws.rds.logs_and_minor_upgrades
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

good := {"engine": "mysql", "enabled_cloudwatch_logs_exports": ["error", "slowquery", "audit"], "auto_minor_version_upgrade": true}

test_mysql_with_logs_and_upgrades_passes if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([
		db("a", good),
		db("p", {"engine": "postgres", "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"], "auto_minor_version_upgrade": true}),
	])
	count(d) == 0
}

test_missing_slowquery_fails if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([
		db("a", object.union(good, {"enabled_cloudwatch_logs_exports": ["error"]})),
		db("b", object.union(good, {"enabled_cloudwatch_logs_exports": []})),
		db("ok", good),
	])
	testing.ids(d) == {"a", "b"}
	some f in d
	f.resource == "a"
	contains(f.message, "slowquery")
}

test_minor_upgrades_off_fails if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([
		db("a", object.union(good, {"auto_minor_version_upgrade": false})),
		db("b", object.remove(good, ["auto_minor_version_upgrade"])),
	])
	testing.ids(d) == {"a", "b"}
}

test_unknown_exports_fail if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([db("a", object.remove(good, ["enabled_cloudwatch_logs_exports"]))])
	testing.ids(d) == {"a"}
}

test_parameter_can_require_audit if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([
		db("a", object.union(good, {"enabled_cloudwatch_logs_exports": ["error", "slowquery"]})),
		db("b", good),
	])
		with data.palisade.config.rds_required_log_exports as {"mysql": ["error", "slowquery", "audit"]}
	testing.ids(d) == {"a"}
}

test_unlisted_family_needs_some_export if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([
		db("a", {"engine": "custom-oracle-ee", "enabled_cloudwatch_logs_exports": ["alert"], "auto_minor_version_upgrade": true}),
		db("b", {"engine": "custom-oracle-ee", "enabled_cloudwatch_logs_exports": [], "auto_minor_version_upgrade": true}),
	])
	testing.ids(d) == {"b"}
}

test_aurora_member_uses_cluster_exports if {
	d := logs_and_minor_upgrades.deny with input as testing.inv([
		db("m", {"engine": "aurora-mysql", "cluster_identifier": "c", "enabled_cloudwatch_logs_exports": [], "auto_minor_version_upgrade": true}),
		testing.res("aws_rds_cluster", "c", {"cluster_identifier": "c", "enabled_cloudwatch_logs_exports": ["error", "slowquery"]}),
	])
	count(d) == 0
}
