package aws.wafv2.logging_metrics_test

import rego.v1

import data.aws.wafv2.logging_metrics
import data.lib.testing

acl_arn := "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/app/22222222-2222-2222-2222-222222222222"

vis(on) := [{"cloudwatch_metrics_enabled": on, "sampled_requests_enabled": true, "metric_name": "m"}]

acl(acl_on, rule_on) := testing.res("aws_wafv2_web_acl", acl_arn, {
	"visibility_config": vis(acl_on),
	"rule": [{"name": "r1", "action": [{"block": [{}]}], "visibility_config": vis(rule_on)}],
})

logging(dests) := testing.res("aws_wafv2_web_acl_logging_configuration", sprintf("%s/logging", [acl_arn]), {
	"resource_arn": acl_arn,
	"log_destination_configs": dests,
})

log_group := "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-app"

test_logged_and_measured_acl_passes if {
	d := logging_metrics.deny with input as testing.inv([acl(true, true), logging([log_group])])
	count(d) == 0
}

test_no_logging_fails if {
	d := logging_metrics.deny with input as testing.inv([acl(true, true)])
	testing.ids(d) == {acl_arn}
	some f in d
	contains(f.message, "request logging")
}

test_empty_destinations_fail if {
	d := logging_metrics.deny with input as testing.inv([acl(true, true), logging([])])
	testing.ids(d) == {acl_arn}
}

test_rule_without_metrics_fails if {
	d := logging_metrics.deny with input as testing.inv([acl(true, false), logging([log_group])])
	testing.ids(d) == {acl_arn}
	some f in d
	f.evidence.rules_without_metrics == ["r1"]
}

test_acl_without_metrics_fails if {
	d := logging_metrics.deny with input as testing.inv([acl(false, true), logging([log_group])])
	testing.ids(d) == {acl_arn}
}

test_unknown_visibility_fails if {
	a := testing.res("aws_wafv2_web_acl", acl_arn, {"rule": []})
	d := logging_metrics.deny with input as testing.inv([a, logging([log_group])])
	testing.ids(d) == {acl_arn}
}
