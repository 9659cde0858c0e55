# METADATA
# title: CloudWatch alarms have actions enabled and an action for the ALARM state
# description: >-
#   The reference architecture's alarms are threshold-based alerts that notify through SNS and trigger
#   auto-scaling. An alarm whose actions are disabled, or that has no action for the ALARM state, changes
#   colour in the console and tells no one: the outage or the attack it was built to catch goes unnoticed.
#   Judges every aws_cloudwatch_metric_alarm: actions_enabled must be true and alarm_actions non-empty. An
#   absent actions_enabled is unknown and fails.
# custom:
#   id: CW-01
#   severity: high
#   resource_types: [aws_cloudwatch_metric_alarm]
#   remediation: >-
#     Add an action and enable actions: `aws cloudwatch put-metric-alarm --alarm-name <name> … --alarm-actions
#     arn:aws:sns:<region>:<account>:<topic> --actions-enabled` (put-metric-alarm replaces the whole alarm:
#     repeat its metric, threshold and period), or `aws cloudwatch enable-alarm-actions --alarm-names <name>`
#     when only the actions are disabled. In Terraform set `actions_enabled = true` and `alarm_actions =
#     [aws_sns_topic.<name>.arn]` on the `aws_cloudwatch_metric_alarm`.
#   frameworks:
#     fsbp: [CloudWatch.15, CloudWatch.17]
#     prowler: [cloudwatch_alarm_actions_enabled, cloudwatch_alarm_actions_alarm_state_configured]
#     aws-config: [cloudwatch-alarm-action-check, cloudwatch-alarm-action-enabled-check]
package aws.cloudwatch.alarm_actions

import rego.v1

import data.lib.alarms
import data.lib.aws

problem[a.id] contains "has its actions disabled" if {
	some a in alarms.alarms
	object.get(a.attributes, "actions_enabled", null) == false
}

problem[a.id] contains "may have its actions disabled (actions_enabled unknown)" if {
	some a in alarms.alarms
	not is_boolean(object.get(a.attributes, "actions_enabled", null))
}

problem[a.id] contains "has no action for the ALARM state" if {
	some a in alarms.alarms
	count(alarms.actions(a)) == 0
}

deny contains finding if {
	some a in alarms.alarms
	msgs := problem[a.id]
	finding := {
		"resource": a.id,
		"message": sprintf("CloudWatch alarm %s %s", [aws.label(a), concat("; ", sort(msgs))]),
		"evidence": {
			"actions_enabled": object.get(a.attributes, "actions_enabled", null),
			"alarm_actions": alarms.actions(a),
		},
	}
}
