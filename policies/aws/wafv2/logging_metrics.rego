# METADATA
# title: WAF web ACLs log requests and publish CloudWatch metrics for the ACL and every rule
# description: >-
#   The reference architecture monitors the application through CloudWatch (metrics, centralized logs,
#   alarms); for AWS WAF that needs two things. (1) Request logging: an
#   `aws_wafv2_web_acl_logging_configuration` whose `resource_arn` is the web ACL and whose
#   `log_destination_configs` is non-empty (CloudWatch Logs, S3 or Firehose), so blocked attacks can be
#   investigated. (2) CloudWatch metrics: `visibility_config[0].cloudwatch_metrics_enabled` true on the ACL
#   and on every rule, so alarms can watch block and rate-limit counts. A missing visibility setting fails.
# custom:
#   id: WAF-09
#   severity: medium
#   resource_types: [aws_wafv2_web_acl]
#   requires: [aws_wafv2_web_acl_logging_configuration]
#   remediation: >-
#     Enable logging to a destination whose name starts with `aws-waf-logs-`: `aws wafv2
#     put-logging-configuration --logging-configuration ResourceArn=<acl arn>,LogDestinationConfigs=<log group
#     arn>`, or `aws_wafv2_web_acl_logging_configuration` in Terraform; in the console, WAF & Shield > Web ACLs
#     > <acl> > Logging and metrics. Set `cloudwatch_metrics_enabled = true` in the `visibility_config` of the
#     `aws_wafv2_web_acl` and of each `rule` (`aws wafv2 update-web-acl` with `VisibilityConfig` on the ACL and
#     its rules).
#   frameworks:
#     fsbp: [WAF.11, WAF.12]
#     nist-800-53-r5: [AC-4(26), AU-2, AU-3, AU-6(3), AU-6(4), AU-10, AU-12, CA-7, SC-7(9), SC-7(10), SI-7(8)]
#     prowler: [wafv2_webacl_logging_enabled, wafv2_webacl_rule_logging_enabled]
#     aws-config: [wafv2-logging-enabled]
package aws.wafv2.logging_metrics

import rego.v1

import data.lib.aws
import data.lib.edge

# logging_index maps a web ACL ARN to its logging configurations (built once per evaluation).
logging_index[arn] contains c if {
	some c in aws.resources("aws_wafv2_web_acl_logging_configuration")
	arn := object.get(c.attributes, "resource_arn", null)
	is_string(arn)
}

configurations(acl) := {c | some x in edge.ids(acl); some c in logging_index[x]}

destinations(acl) := [d |
	some c in configurations(acl)
	some d in object.get(c.attributes, "log_destination_configs", [])
	is_string(d)
	d != ""
]

metrics_enabled(obj) if aws.block(obj, "visibility_config").cloudwatch_metrics_enabled == true

rules_without_metrics(acl) := [object.get(r, "name", null) |
	some r in edge.acl_rules(acl)
	not metrics_enabled(r)
]

problems(acl) := {p |
	count(destinations(acl)) == 0
	p := "request logging is not enabled"
} | {p |
	not metrics_enabled(acl.attributes)
	p := "the ACL's CloudWatch metrics are not enabled"
} | {p |
	count(rules_without_metrics(acl)) > 0
	p := "some rules publish no CloudWatch metrics"
}

deny contains finding if {
	some acl in aws.resources("aws_wafv2_web_acl")
	ps := problems(acl)
	count(ps) > 0
	finding := {
		"resource": acl.id,
		"message": sprintf("WAF web ACL %s is not fully observable: %s", [aws.label(acl), concat("; ", sort(ps))]),
		"evidence": {
			"log_destination_configs": destinations(acl),
			"cloudwatch_metrics_enabled": object.get(aws.block(acl.attributes, "visibility_config"), "cloudwatch_metrics_enabled", null),
			"rules_without_metrics": rules_without_metrics(acl),
		},
	}
}
