package aws.shield.subscription_test

import rego.v1

import data.aws.shield.subscription
import data.lib.testing

sub_id := "arn:aws:shield::123456789012:subscription"

sub(attrs) := object.union(testing.res("aws_shield_subscription", sub_id, attrs), {"region": "global"})

test_active_auto_renewing_subscription_passes if {
	d := subscription.deny with input as testing.inv([sub({"subscription_state": "ACTIVE", "auto_renew": "ENABLED"})])
	count(d) == 0
}

test_not_subscribed_fails if {
	d := subscription.deny with input as testing.inv([sub({"subscription_state": "INACTIVE"})])
	testing.ids(d) == {sub_id}
	some f in d
	contains(f.message, "not active")
}

test_auto_renew_disabled_fails if {
	d := subscription.deny with input as testing.inv([sub({
		"subscription_state": "ACTIVE",
		"auto_renew": "DISABLED",
		"proactive_engagement_status": "ENABLED",
		"drt_role_arn": "arn:aws:iam::123456789012:role/shield-drt-access",
		"emergency_contacts": [{"email_address": "soc@example.com"}],
	})])
	testing.ids(d) == {sub_id}
	some f in d
	f.evidence.emergency_contacts == 1
	f.evidence.auto_renew == "DISABLED"
}

test_unknown_auto_renew_fails if {
	d := subscription.deny with input as testing.inv([sub({"subscription_state": "ACTIVE"})])
	testing.ids(d) == {sub_id}
}
