package aws.elasticache.replication_group_security_test

import rego.v1

import data.aws.elasticache.replication_group_security as rule
import data.lib.testing

group(id, attrs) := testing.res("aws_elasticache_replication_group", id, object.union({"engine": "redis", "node_type": "cache.t3.small"}, attrs))

secure := {"transit_encryption_enabled": true, "transit_encryption_mode": "required", "at_rest_encryption_enabled": true}

test_encrypted_authenticated_groups_pass if {
	d := rule.deny with input as testing.inv([
		group("rbac", object.union(secure, {"user_group_ids": ["app-sessions-users"]})),
		group("token", object.union(secure, {"auth_token": "(sensitive)"})),
		group("live", object.union(secure, {"auth_token_enabled": true, "at_rest_encryption_enabled": "true"})),
	])
	count(d) == 0
}

test_unencrypted_or_open_group_fails_without_revealing_the_token if {
	d := rule.deny with input as testing.inv([
		group("clear", {"transit_encryption_enabled": false, "at_rest_encryption_enabled": true, "auth_token": "(sensitive)"}),
		group("disk", {"transit_encryption_enabled": true, "at_rest_encryption_enabled": false, "user_group_ids": ["u"]}),
		group("open", {"transit_encryption_enabled": true, "at_rest_encryption_enabled": true}),
		group("preferred", object.union(secure, {"transit_encryption_mode": "preferred", "user_group_ids": ["u"]})),
		group("ok", object.union(secure, {"user_group_ids": ["u"]})),
	])
	testing.ids(d) == {"clear", "disk", "open", "preferred"}
	every f in d {
		not contains(json.marshal(f.evidence), "(sensitive)")
	}
}

test_unknown_settings_fail if {
	d := rule.deny with input as testing.inv([group("a", {"user_group_ids": ["u"]})])
	testing.ids(d) == {"a"}
}
