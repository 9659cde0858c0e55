# METADATA
# title: Route 53 health checks watch the public endpoint, and an alarm watches them
# description: >-
#   The reference architecture uses Route 53 health checking and routing policies. A health check on the
#   application's public endpoint notices from outside AWS when the site stops answering, and drives
#   failover routing; but only a CloudWatch alarm on it tells anyone. Judges every public aws_route53_zone
#   (private_zone not true): an aws_route53_health_check of the same account whose fqdn is the zone's name or
#   a name inside the zone must exist, be enabled and be watched by an alarm. Judges every
#   aws_route53_health_check too: disabled must be false (a disabled check always reports healthy), and an
#   aws_cloudwatch_metric_alarm of the account (in us-east-1, where Route 53 publishes metrics) must watch
#   its AWS/Route53 HealthCheckStatus, HealthCheckPercentageHealthy or ChildHealthCheckHealthyCount metric
#   with dimension HealthCheckId. Health checks that target an IP address cannot be tied to a zone; they are
#   judged on their own. Unknown values fail.
# custom:
#   id: R53-02
#   severity: low
#   resource_types: [aws_route53_zone, aws_route53_health_check]
#   requires: [aws_cloudwatch_metric_alarm]
#   remediation: >-
#     `aws route53 create-health-check --caller-reference $(date +%s) --health-check-config
#     "Type=HTTPS,FullyQualifiedDomainName=app.example.com,ResourcePath=/health,RequestInterval=30,FailureThreshold=3"`,
#     then in us-east-1 `aws cloudwatch put-metric-alarm --alarm-name app-health --namespace AWS/Route53
#     --metric-name HealthCheckStatus --dimensions Name=HealthCheckId,Value=<id> --statistic Minimum --period
#     60 --evaluation-periods 1 --threshold 1 --comparison-operator LessThanThreshold --alarm-actions
#     <sns topic arn>`. In Terraform, `aws_route53_health_check` and an `aws_cloudwatch_metric_alarm` with
#     `dimensions = { HealthCheckId = aws_route53_health_check.<name>.id }`.
#   frameworks: {}
package aws.route53.health_checks

import rego.v1

import data.lib.alarms
import data.lib.aws

health_metrics := {"HealthCheckStatus", "HealthCheckPercentageHealthy", "ChildHealthCheckHealthyCount"}

checks := aws.resources("aws_route53_health_check")

normalize(name) := lower(trim_suffix(name, "."))

check_id(hc) := i if {
	i := object.get(hc.attributes, "id", null)
	is_string(i)
	i != ""
	not startswith(i, "arn:")
} else := last if {
	parts := split(hc.id, "/")
	last := parts[count(parts) - 1]
}

watchers(hc) := {e.alarm.id |
	some e in alarms.watching(hc, "AWS/Route53", "HealthCheckId", check_id(hc))
	e.metric_name in health_metrics
	not alarms.scaling_only(e.alarm)
}

enabled(hc) if object.get(hc.attributes, "disabled", null) == false

good(hc) if {
	enabled(hc)
	count(watchers(hc)) > 0
}

# suffix_index maps "account|name" to the health checks whose fqdn is name or a name inside it: every
# check is indexed under each suffix of its fqdn (app.example.com under app.example.com, example.com, com).
suffix_index[key] contains hc if {
	some hc in checks
	fqdn := object.get(hc.attributes, "fqdn", null)
	is_string(fqdn)
	labels := split(normalize(fqdn), ".")
	some i in numbers.range(0, count(labels) - 1)
	key := concat("|", [hc.account, concat(".", array.slice(labels, i, count(labels)))])
}

zone_checks(z) := {hc |
	name := object.get(z.attributes, "name", null)
	is_string(name)
	some hc in suffix_index[concat("|", [z.account, normalize(name)])]
}

public_zone(z) if not object.get(z.attributes, "private_zone", null) == true

deny contains finding if {
	some z in aws.resources("aws_route53_zone")
	public_zone(z)
	hcs := zone_checks(z)
	not any_good(hcs)
	finding := {
		"resource": z.id,
		"message": zone_message(z, hcs),
		"evidence": {"health_checks": sort([{"id": hc.id, "fqdn": object.get(hc.attributes, "fqdn", null), "disabled": object.get(hc.attributes, "disabled", null), "alarms": sort(watchers(hc))} | some hc in hcs])},
	}
}

any_good(hcs) if {
	some hc in hcs
	good(hc)
}

zone_name(z) := object.get(z.attributes, "name", aws.label(z))

zone_message(z, hcs) := sprintf("No Route 53 health check watches an endpoint of public zone %s", [zone_name(z)]) if {
	count(hcs) == 0
} else := sprintf("The Route 53 health checks of public zone %s are disabled or watched by no CloudWatch alarm", [zone_name(z)])

problem[hc.id] contains "is disabled, so it always reports healthy" if {
	some hc in checks
	object.get(hc.attributes, "disabled", null) == true
}

problem[hc.id] contains "may be disabled (disabled unknown)" if {
	some hc in checks
	not is_boolean(object.get(hc.attributes, "disabled", null))
}

problem[hc.id] contains "is watched by no CloudWatch alarm" if {
	some hc in checks
	count(watchers(hc)) == 0
}

deny contains finding if {
	some hc in checks
	msgs := problem[hc.id]
	finding := {
		"resource": hc.id,
		"message": sprintf("Route 53 health check %s %s", [check_label(hc), concat("; ", sort(msgs))]),
		"evidence": {
			"health_check_id": check_id(hc),
			"fqdn": object.get(hc.attributes, "fqdn", null),
			"ip_address": object.get(hc.attributes, "ip_address", null),
			"disabled": object.get(hc.attributes, "disabled", null),
			"alarms": sort(watchers(hc)),
		},
	}
}

check_label(hc) := sprintf("%s (%s)", [check_id(hc), object.get(hc.attributes, "fqdn", null)]) if {
	is_string(object.get(hc.attributes, "fqdn", null))
} else := check_id(hc)
