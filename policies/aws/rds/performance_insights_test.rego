package aws.rds.performance_insights_test

import rego.v1

import data.aws.rds.performance_insights
import data.lib.testing

db(id, attrs) := testing.res("aws_db_instance", id, attrs)

test_enabled_passes if {
	d := performance_insights.deny with input as testing.inv([db("a", {"performance_insights_enabled": true})])
	count(d) == 0
}

test_disabled_fails if {
	d := performance_insights.deny with input as testing.inv([
		db("a", {"performance_insights_enabled": false}),
		db("b", {"performance_insights_enabled": true}),
	])
	testing.ids(d) == {"a"}
}

test_unknown_fails if {
	d := performance_insights.deny with input as testing.inv([db("a", {})])
	testing.ids(d) == {"a"}
}
