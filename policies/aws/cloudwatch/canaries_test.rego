package aws.cloudwatch.canaries_test

import rego.v1

import data.aws.cloudwatch.canaries as rule
import data.lib.testing

canary(id, status, expr) := testing.res("aws_synthetics_canary", id, {"name": id, "status": status, "schedule": [{"expression": expr, "duration_in_seconds": 0}]})

alb := testing.res("aws_lb", "alb", {"name": "app-alb", "load_balancer_type": "application", "internal": false})

test_running_scheduled_canary_passes if {
	d := rule.deny with input as testing.inv([
		canary("rate", "RUNNING", "rate(5 minutes)"),
		canary("minute", "RUNNING", "rate(1 minute)"),
		canary("cron", "RUNNING", "cron(0/5 * * * ? *)"),
		alb,
	])
	count(d) == 0
}

test_stopped_or_unscheduled_canary_fails if {
	d := rule.deny with input as testing.inv([
		canary("stopped", "STOPPED", "rate(5 minutes)"),
		canary("once", "RUNNING", "rate(0 minute)"),
		canary("hourly", "RUNNING", "rate(1 hour)"),
		canary("daily-cron", "RUNNING", "cron(0 8 * * ? *)"),
		canary("unknown", null, "rate(5 minutes)"),
		testing.res("aws_synthetics_canary", "no-schedule", {"status": "RUNNING"}),
		canary("ok", "RUNNING", "rate(5 minutes)"),
	])
	testing.ids(d) == {"stopped", "once", "hourly", "daily-cron", "unknown", "no-schedule"}
}

test_entry_points_fail_without_a_healthy_canary if {
	dist := object.union(testing.res("aws_cloudfront_distribution", "dist", {"enabled": true}), {"region": "global"})
	internal := testing.res("aws_lb", "internal", {"load_balancer_type": "application", "internal": true})
	d := rule.deny with input as testing.inv([canary("stopped", "STOPPED", "rate(5 minutes)"), alb, dist, internal])
	testing.ids(d) == {"stopped", "alb", "dist"}
}

test_canary_of_another_account_does_not_cover if {
	other := object.union(canary("other", "RUNNING", "rate(5 minutes)"), {"account": "210987654321"})
	d := rule.deny with input as testing.inv([other, alb])
	testing.ids(d) == {"alb"}
}

test_parameter_is_honoured if {
	d := rule.deny with input as testing.inv([canary("hourly", "RUNNING", "rate(1 hour)"), alb])
		with data.palisade.config.synthetics_canary_max_interval_minutes as 60
	count(d) == 0
}
