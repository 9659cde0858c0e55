package aws.route53.query_logging_test

import rego.v1

import data.aws.route53.query_logging as rule
import data.lib.testing

global(r) := object.union(r, {"region": "global"})

zone(id, name, private) := global(testing.res("aws_route53_zone", sprintf("arn:aws:route53:::hostedzone/%s", [id]), {"zone_id": id, "name": name, "private_zone": private}))

qlog(zone_id) := global(testing.res("aws_route53_query_log", sprintf("arn:aws:route53:::queryloggingconfig/%s", [zone_id]), {
	"zone_id": zone_id,
	"cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/app.example.com",
}))

test_logged_public_zone_and_private_zone_pass if {
	d := rule.deny with input as testing.inv([zone("Z1", "app.example.com", false), qlog("Z1"), zone("Z3", "app.internal", true)])
	count(d) == 0
}

test_unlogged_public_zone_fails if {
	d := rule.deny with input as testing.inv([zone("Z1", "app.example.com", false), zone("Z2", "legacy.example.com", false), qlog("Z1")])
	testing.ids(d) == {"arn:aws:route53:::hostedzone/Z2"}
}

test_unknown_visibility_is_judged_and_prefix_is_ignored if {
	z := global(testing.res("aws_route53_zone", "arn:aws:route53:::hostedzone/Z4", {"zone_id": "Z4", "name": "x.example.com"}))
	d1 := rule.deny with input as testing.inv([z])
	testing.ids(d1) == {z.id}
	d2 := rule.deny with input as testing.inv([z, qlog("/hostedzone/Z4")])
	count(d2) == 0
}

test_query_log_of_another_account_does_not_count if {
	d := rule.deny with input as testing.inv([zone("Z1", "app.example.com", false), object.union(qlog("Z1"), {"account": "210987654321"})])
	testing.ids(d) == {"arn:aws:route53:::hostedzone/Z1"}
}
