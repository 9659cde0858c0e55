package aws.cloudwatch.alarm_actions_test

import rego.v1

import data.aws.cloudwatch.alarm_actions as rule
import data.lib.testing

topic := "arn:aws:sns:us-east-1:123456789012:app-alerts"

alarm(id, attrs) := testing.res("aws_cloudwatch_metric_alarm", id, attrs)

test_enabled_alarm_with_action_passes if {
	d := rule.deny with input as testing.inv([
		alarm("a", {"actions_enabled": true, "alarm_actions": [topic]}),
		alarm("scaling", {"actions_enabled": true, "alarm_actions": ["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/c/s:policyName/cpu"]}),
	])
	count(d) == 0
}

test_disabled_or_silent_alarm_fails if {
	d := rule.deny with input as testing.inv([
		alarm("disabled", {"actions_enabled": false, "alarm_actions": [topic]}),
		alarm("silent", {"actions_enabled": true, "alarm_actions": []}),
		alarm("ok-only", {"actions_enabled": true, "ok_actions": [topic]}),
		alarm("ok", {"actions_enabled": true, "alarm_actions": [topic]}),
	])
	testing.ids(d) == {"disabled", "silent", "ok-only"}
}

test_unknown_actions_enabled_fails if {
	d := rule.deny with input as testing.inv([alarm("a", {"alarm_actions": [topic]})])
	testing.ids(d) == {"a"}
}
