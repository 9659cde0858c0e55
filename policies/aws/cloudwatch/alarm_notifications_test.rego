package aws.cloudwatch.alarm_notifications_test

import rego.v1

import data.aws.cloudwatch.alarm_notifications as rule
import data.lib.testing

topic := "arn:aws:sns:us-east-1:123456789012:app-alerts"

legacy_topic := "arn:aws:sns:us-east-1:123456789012:legacy-alerts"

alarm(id, actions) := testing.res("aws_cloudwatch_metric_alarm", id, {"actions_enabled": true, "alarm_actions": actions})

sns(arn, attrs) := testing.res("aws_sns_topic", arn, object.union({"arn": arn}, attrs))

sub(id, t, pending) := testing.res("aws_sns_topic_subscription", id, {"topic_arn": t, "protocol": "email", "pending_confirmation": pending})

test_confirmed_subscription_passes if {
	d := rule.deny with input as testing.inv([
		alarm("a", [topic]),
		sns(topic, {}),
		sub("s1", topic, false),
		alarm("scaling", ["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/c/s:policyName/cpu"]),
	])
	count(d) == 0
}

test_pending_or_missing_subscription_fails if {
	d := rule.deny with input as testing.inv([
		alarm("pending", [legacy_topic]),
		alarm("none", ["arn:aws:sns:us-east-1:123456789012:empty"]),
		alarm("no-sns", ["arn:aws:lambda:us-east-1:123456789012:function:notify"]),
		alarm("no-action", []),
		alarm("ok", [legacy_topic, topic]),
		sns(legacy_topic, {}),
		sns("arn:aws:sns:us-east-1:123456789012:empty", {"subscriptions_confirmed": 0}),
		sns(topic, {}),
		sub("s1", topic, false),
		sub("s2", legacy_topic, true),
	])
	testing.ids(d) == {"pending", "none", "no-sns", "no-action"}
}

test_topic_count_and_unknown_state if {
	d := rule.deny with input as testing.inv([
		alarm("count", [topic]),
		alarm("unknown-sub", [legacy_topic]),
		alarm("foreign", ["arn:aws:sns:us-east-1:999999999999:central-alerts"]),
		sns(topic, {"subscriptions_confirmed": "2"}),
		testing.res("aws_sns_topic_subscription", "s", {"topic_arn": legacy_topic, "protocol": "email"}),
	])
	testing.ids(d) == {"unknown-sub", "foreign"}
}

test_subscription_in_another_account_does_not_count if {
	s := object.union(sub("s1", topic, false), {"account": "210987654321"})
	d := rule.deny with input as testing.inv([alarm("a", [topic]), s])
	testing.ids(d) == {"a"}
}
