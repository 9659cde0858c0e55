package aws.secretsmanager.rotation_succeeding_test

import rego.v1

import data.aws.secretsmanager.rotation_succeeding as rule
import data.lib.testing

lambda := "arn:aws:lambda:us-east-1:123456789012:function:rotate-api-key"

secret(id, attrs) := testing.res("aws_secretsmanager_secret", id, object.union({"rotation_enabled": true, "rotation_rules": [{"automatically_after_days": 30}]}, attrs))

on_schedule := {
	"rotation_lambda_arn": lambda,
	"created_date": "2025-01-10T08:00:00Z",
	"last_rotated_date": "2026-11-10T03:12:00Z",
	"next_rotation_date": "2026-12-10T23:59:59Z",
}

test_on_schedule_passes if {
	d := rule.deny with input as testing.inv([secret("a", on_schedule)]) with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_rds_managed_secret_without_lambda_passes if {
	d := rule.deny with input as testing.inv([secret("rds", {
		"owning_service": "rds",
		"rotation_rules": [{"automatically_after_days": 7}],
		"created_date": "2025-06-01T00:00:00Z",
		"last_rotated_date": "2026-11-24T05:00:00Z",
		"next_rotation_date": "2026-12-01T23:59:59Z",
	})])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_overdue_rotation_fails if {
	d := rule.deny with input as testing.inv([
		secret("a", object.union(on_schedule, {"last_rotated_date": "2026-09-01T00:00:00Z", "next_rotation_date": "2026-10-01T00:00:00Z"})),
		secret("b", on_schedule),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "87 days ago")
	contains(f.message, "due 57 days ago")
}

test_grace_period if {
	# last rotation 31 days ago on a 30-day schedule, next date yesterday: within the 2-day grace
	s := secret("a", object.union(on_schedule, {"last_rotated_date": "2026-10-27T00:00:00Z", "next_rotation_date": "2026-11-26T00:00:00Z"}))
	count(rule.deny) == 0 with input as testing.inv([s]) with data.palisade.now_ns as testing.now_ns
	d := rule.deny with input as testing.inv([s]) with data.palisade.now_ns as testing.now_ns
		with data.palisade.config.secretsmanager_rotation_grace_days as 0
	testing.ids(d) == {"a"}
}

test_missing_lambda_fails_for_unowned_secret if {
	d := rule.deny with input as testing.inv([secret("a", object.remove(on_schedule, ["rotation_lambda_arn"]))])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.rotation_lambda_configured == false
}

test_unknown_interval_and_dates_fail if {
	d := rule.deny with input as testing.inv([
		secret("a", object.union(on_schedule, {"rotation_rules": []})),
		secret("b", object.remove(on_schedule, ["next_rotation_date"])),
		secret("c", {"rotation_lambda_arn": lambda}),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a", "b", "c"}
}

test_secret_without_rotation_is_left_to_sm01 if {
	d := rule.deny with input as testing.inv([testing.res("aws_secretsmanager_secret", "a", {"rotation_enabled": false, "created_date": "2020-01-01T00:00:00Z"})])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_terraform_rotation_resource_supplies_interval_and_lambda if {
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-AbCdEf"
	d := rule.deny with input as testing.inv([
		testing.res("aws_secretsmanager_secret", arn, {"name": "api", "created_date": "2026-11-01T00:00:00Z", "last_rotated_date": "2026-11-20T00:00:00Z", "next_rotation_date": "2026-12-20T00:00:00Z"}),
		testing.res("aws_secretsmanager_secret_rotation", "r", {"secret_id": arn, "rotation_lambda_arn": lambda, "rotation_rules": [{"automatically_after_days": 30}]}),
	])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}
