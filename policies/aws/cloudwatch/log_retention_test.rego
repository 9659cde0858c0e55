package aws.cloudwatch.log_retention_test

import rego.v1

import data.aws.cloudwatch.log_retention as rule
import data.lib.testing

group(id, attrs) := testing.res("aws_cloudwatch_log_group", id, attrs)

test_a_year_or_never_expire_passes if {
	d := rule.deny with input as testing.inv([
		group("year", {"name": "/ecs/app", "retention_in_days": 365}),
		group("long", {"name": "/aws/rds/instance/app-db/error", "retention_in_days": 3653}),
		group("never", {"name": "aws-waf-logs-app", "retention_in_days": 0}),
	])
	count(d) == 0
}

test_short_retention_fails if {
	d := rule.deny with input as testing.inv([group("a", {"retention_in_days": 30}), group("b", {"retention_in_days": 365})])
	testing.ids(d) == {"a"}
}

test_unknown_retention_fails if {
	d := rule.deny with input as testing.inv([group("a", {"name": "/ecs/x"}), group("b", {"retention_in_days": "365"})])
	testing.ids(d) == {"a", "b"}
}

test_parameter_is_honoured if {
	d := rule.deny with input as testing.inv([group("a", {"retention_in_days": 365})])
		with data.palisade.config.cloudwatch_log_retention_min_days as 731
	testing.ids(d) == {"a"}
}
