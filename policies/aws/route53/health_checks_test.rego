package aws.route53.health_checks_test

import rego.v1

import data.aws.route53.health_checks as rule
import data.lib.testing

global(r) := object.union(r, {"region": "global"})

zone(id, name) := global(testing.res("aws_route53_zone", sprintf("arn:aws:route53:::hostedzone/%s", [id]), {"zone_id": id, "name": name, "private_zone": false}))

check(id, fqdn, disabled) := global(testing.res("aws_route53_health_check", sprintf("arn:aws:route53:::healthcheck/%s", [id]), {
	"id": id,
	"fqdn": fqdn,
	"type": "HTTPS",
	"port": 443,
	"resource_path": "/health",
	"disabled": disabled,
}))

watch(id) := testing.res("aws_cloudwatch_metric_alarm", sprintf("arn:aws:cloudwatch:us-east-1:123456789012:alarm:hc-%s", [id]), {
	"namespace": "AWS/Route53",
	"metric_name": "HealthCheckStatus",
	"dimensions": {"HealthCheckId": id},
	"actions_enabled": true,
	"alarm_actions": ["arn:aws:sns:us-east-1:123456789012:app-alerts"],
})

test_watched_health_check_on_the_zone_passes if {
	d := rule.deny with input as testing.inv([
		zone("Z1", "app.example.com."),
		check("hc-1", "app.example.com", false),
		watch("hc-1"),
		zone("Z2", "example.org"),
		check("hc-2", "api.example.org", false),
		watch("hc-2"),
	])
	count(d) == 0
}

test_zone_without_health_check_fails if {
	d := rule.deny with input as testing.inv([zone("Z1", "app.example.com"), zone("Z2", "legacy.example.com"), check("hc-1", "app.example.com", false), watch("hc-1")])
	testing.ids(d) == {"arn:aws:route53:::hostedzone/Z2"}
}

test_unwatched_or_disabled_health_check_fails_with_its_zone if {
	d := rule.deny with input as testing.inv([
		zone("Z1", "app.example.com"),
		check("hc-1", "app.example.com", false),
		zone("Z2", "legacy.example.com"),
		check("hc-2", "legacy.example.com", true),
		watch("hc-2"),
	])
	testing.ids(d) == {
		"arn:aws:route53:::hostedzone/Z1", "arn:aws:route53:::healthcheck/hc-1",
		"arn:aws:route53:::hostedzone/Z2", "arn:aws:route53:::healthcheck/hc-2",
	}
}

test_alarm_in_another_region_or_on_another_check_does_not_count if {
	elsewhere := object.union(watch("hc-1"), {"region": "eu-west-1"})
	d := rule.deny with input as testing.inv([check("hc-1", "app.example.com", false), elsewhere, watch("hc-9")])
	testing.ids(d) == {"arn:aws:route53:::healthcheck/hc-1"}
}

test_unknown_disabled_fails_and_private_zones_are_not_judged if {
	hc := global(testing.res("aws_route53_health_check", "arn:aws:route53:::healthcheck/hc-3", {"id": "hc-3", "ip_address": "203.0.113.10", "type": "TCP", "port": 443}))
	private := global(testing.res("aws_route53_zone", "arn:aws:route53:::hostedzone/Z3", {"zone_id": "Z3", "name": "app.internal", "private_zone": true}))
	d := rule.deny with input as testing.inv([hc, watch("hc-3"), private])
	testing.ids(d) == {"arn:aws:route53:::healthcheck/hc-3"}
}
