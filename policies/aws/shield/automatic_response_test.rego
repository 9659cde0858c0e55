package aws.shield.automatic_response_test

import rego.v1

import data.aws.shield.automatic_response
import data.lib.testing

dist_arn := "arn:aws:cloudfront::123456789012:distribution/E1APPDIST0001"

alb_arn := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188"

zone_arn := "arn:aws:route53:::hostedzone/Z0APPZONE00001"

protection(id, res, attrs) := object.union(
	testing.res("aws_shield_protection", id, object.union({"name": id, "resource_arn": res}, attrs)),
	{"region": "global"},
)

alar(res) := testing.res("aws_shield_application_layer_automatic_response", sprintf("%s/alar", [res]), {"resource_arn": res, "action": "BLOCK"})

test_enabled_status_passes if {
	d := automatic_response.deny with input as testing.inv([protection("p", dist_arn, {"application_layer_automatic_response_status": "ENABLED"})])
	count(d) == 0
}

test_separate_terraform_resource_passes if {
	d := automatic_response.deny with input as testing.inv([protection("p", alb_arn, {}), alar(alb_arn)])
	count(d) == 0
}

test_disabled_status_fails if {
	d := automatic_response.deny with input as testing.inv([
		protection("p", alb_arn, {"application_layer_automatic_response_status": "DISABLED"}),
		protection("q", dist_arn, {"application_layer_automatic_response_status": "ENABLED"}),
	])
	testing.ids(d) == {"p"}
}

test_unknown_status_fails if {
	d := automatic_response.deny with input as testing.inv([protection("p", dist_arn, {})])
	testing.ids(d) == {"p"}
}

test_automatic_response_for_another_resource_does_not_count if {
	d := automatic_response.deny with input as testing.inv([protection("p", dist_arn, {}), alar(alb_arn)])
	testing.ids(d) == {"p"}
}

test_route53_protection_is_not_judged if {
	d := automatic_response.deny with input as testing.inv([protection("p", zone_arn, {})])
	count(d) == 0
}
