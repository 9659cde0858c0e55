package aws.wafv2.sqli_rule_set_test

import rego.v1

import data.aws.wafv2.sqli_rule_set
import data.lib.testing

alb := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188"

pool := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AppPool01"

acl(id, rules) := testing.res("aws_wafv2_web_acl", id, {"rule": rules, "default_action": [{"allow": [{}]}]})

assoc(acl_id, res) := testing.res("aws_wafv2_web_acl_association", sprintf("%s/%s", [acl_id, res]), {"web_acl_arn": acl_id, "resource_arn": res})

sqli(override) := {
	"name": "AWS-AWSManagedRulesSQLiRuleSet",
	"priority": 30,
	"override_action": [{override: [{}]}],
	"statement": [{"managed_rule_group_statement": [{"vendor_name": "AWS", "name": "AWSManagedRulesSQLiRuleSet"}]}],
}

test_alb_acl_with_sqli_passes if {
	d := sqli_rule_set.deny with input as testing.inv([acl("a", [sqli("none")]), assoc("a", alb)])
	count(d) == 0
}

test_alb_acl_without_sqli_fails if {
	d := sqli_rule_set.deny with input as testing.inv([acl("a", []), assoc("a", alb), acl("b", [sqli("none")]), assoc("b", alb)])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.load_balancers == [alb]
}

test_alb_acl_with_sqli_in_count_mode_fails if {
	d := sqli_rule_set.deny with input as testing.inv([acl("a", [sqli("count")]), assoc("a", alb)])
	testing.ids(d) == {"a"}
}

test_acl_not_fronting_an_alb_is_not_judged if {
	d := sqli_rule_set.deny with input as testing.inv([acl("a", []), assoc("a", pool), acl("b", [])])
	count(d) == 0
}
