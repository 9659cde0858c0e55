# METADATA
# title: CloudWatch alarms notify an SNS topic that someone has subscribed to
# description: >-
#   The reference architecture sends its alarms through SNS to email and SMS. An alarm that publishes to a
#   topic nobody has subscribed to, or whose only subscriptions were never confirmed (an email subscription
#   stays PendingConfirmation until its link is clicked), alerts no one. Judges every
#   aws_cloudwatch_metric_alarm: among its alarm_actions there must be an SNS topic with at least one
#   confirmed subscription, i.e. an aws_sns_topic_subscription of the same account with that topic_arn and
#   pending_confirmation false, or an aws_sns_topic whose *extra* subscriptions_confirmed is above 0. A topic
#   the inventory does not hold (another account's, or a deleted one) cannot be verified and does not count.
#   Alarms whose every action is an auto-scaling policy are auto-scaling triggers, not alerts, and are not
#   judged.
# custom:
#   id: CW-04
#   severity: medium
#   resource_types: [aws_cloudwatch_metric_alarm]
#   requires: [aws_sns_topic, aws_sns_topic_subscription]
#   remediation: >-
#     Subscribe the on-call channel and confirm it: `aws sns subscribe --topic-arn <topic> --protocol email
#     --notification-endpoint oncall@example.com` (then click the link in the confirmation email; SMS, HTTPS,
#     Lambda and SQS endpoints confirm automatically or by API), and add the topic to the alarm's
#     alarm_actions. In Terraform, an `aws_sns_topic_subscription` with `topic_arn =
#     aws_sns_topic.<name>.arn` and `alarm_actions = [aws_sns_topic.<name>.arn]` on the alarm.
#   frameworks: {}
package aws.cloudwatch.alarm_notifications

import rego.v1

import data.lib.alarms
import data.lib.aws

# subscription_index / topic_index keyed by "account|topic arn" (built once per evaluation).
subscription_index[key] contains s if {
	some s in aws.resources("aws_sns_topic_subscription")
	t := object.get(s.attributes, "topic_arn", null)
	is_string(t)
	key := concat("|", [s.account, t])
}

topic_index[key] contains t if {
	some t in aws.resources("aws_sns_topic")
	some ref in {t.id, object.get(t.attributes, "arn", t.id)}
	key := concat("|", [t.account, ref])
}

confirmed_subscription(s) if object.get(s.attributes, "pending_confirmation", null) == false

confirmed_count(t) := n if {
	n := to_number(object.get(t.attributes, "subscriptions_confirmed", null))
}

# confirmed(account, topic) holds when the topic has at least one confirmed subscription.
confirmed(account, topic) if {
	some s in subscription_index[concat("|", [account, topic])]
	confirmed_subscription(s)
}

confirmed(account, topic) if {
	some t in topic_index[concat("|", [account, topic])]
	confirmed_count(t) > 0
}

known_topic(account, topic) if topic_index[concat("|", [account, topic])]

known_topic(account, topic) if subscription_index[concat("|", [account, topic])]

topic_state(a, topic) := "confirmed subscription" if {
	confirmed(a.account, topic)
} else := "no confirmed subscription" if {
	known_topic(a.account, topic)
} else := "topic not in the inventory"

judged contains a if {
	some a in alarms.alarms
	not alarms.scaling_only(a)
}

deny contains finding if {
	some a in judged
	topics := [x | some x in alarms.actions(a); alarms.is_sns_topic(x)]
	not any_confirmed(a, topics)
	finding := {
		"resource": a.id,
		"message": message(a, topics),
		"evidence": {
			"alarm_actions": alarms.actions(a),
			"sns_topics": {t: topic_state(a, t) | some t in topics},
		},
	}
}

any_confirmed(a, topics) if {
	some t in topics
	confirmed(a.account, t)
}

message(a, topics) := sprintf("CloudWatch alarm %s notifies no SNS topic", [aws.label(a)]) if {
	count(topics) == 0
} else := sprintf("CloudWatch alarm %s notifies SNS topics without a confirmed subscription (%s)", [aws.label(a), concat(", ", topics)])
