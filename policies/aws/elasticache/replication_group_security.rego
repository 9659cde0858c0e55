# METADATA
# title: ElastiCache replication groups encrypt in transit and at rest and require authentication
# description: >-
#   The reference architecture may add ElastiCache for session caching. Sessions are credentials: a cache
#   that accepts clear-text connections, stores its data and backups unencrypted, or lets any client in the
#   VPC connect without authenticating hands sessions to whoever reaches it. Judges every
#   aws_elasticache_replication_group: transit_encryption_enabled and at_rest_encryption_enabled must be true
#   (transit_encryption_mode "preferred", which still accepts clear-text connections during a migration,
#   fails), and clients must authenticate - with an AUTH token (auth_token present; the inventory keeps only
#   its presence: "(sensitive)" in plans, *extra* auth_token_enabled from the live API) or with RBAC
#   (user_group_ids non-empty). Unknown values fail.
# custom:
#   id: EC-01
#   severity: medium
#   resource_types: [aws_elasticache_replication_group]
#   remediation: >-
#     Encryption at rest can only be chosen at creation: create a new replication group with
#     `--at-rest-encryption-enabled --transit-encryption-enabled --transit-encryption-mode required` and an
#     RBAC user group (`--user-group-ids`) or `--auth-token`, migrate the data (backup and restore) and switch
#     the application's endpoint. In-transit encryption can be enabled on Valkey/Redis OSS 7+ in place
#     (`aws elasticache modify-replication-group --transit-encryption-enabled --transit-encryption-mode
#     preferred`, then `required`). In Terraform set `at_rest_encryption_enabled = true`,
#     `transit_encryption_enabled = true` and `user_group_ids` (or `auth_token` from Secrets Manager).
#   frameworks:
#     fsbp: [ElastiCache.4, ElastiCache.5, ElastiCache.6]
#     prowler: [elasticache_redis_cluster_rest_encryption_enabled, elasticache_redis_cluster_in_transit_encryption_enabled, elasticache_redis_replication_group_auth_enabled]
#     aws-config: [elasticache-repl-grp-encrypted-at-rest, elasticache-repl-grp-encrypted-in-transit, elasticache-repl-grp-redis-auth-enabled]
package aws.elasticache.replication_group_security

import rego.v1

import data.lib.aws

groups := aws.resources("aws_elasticache_replication_group")

# Terraform has modelled these flags as booleans and as "true"/"false" strings.
enabled(v) if v == true

enabled(v) if v == "true"

attr(g, k) := object.get(g.attributes, k, null)

auth_token_present(g) if {
	t := attr(g, "auth_token")
	is_string(t)
	t != ""
}

auth_token_present(g) if attr(g, "auth_token_enabled") == true

rbac(g) if count(aws.as_list(attr(g, "user_group_ids"))) > 0

problem[g.id] contains "does not encrypt in transit" if {
	some g in groups
	not enabled(attr(g, "transit_encryption_enabled"))
}

problem[g.id] contains "still accepts clear-text connections (transit_encryption_mode preferred)" if {
	some g in groups
	enabled(attr(g, "transit_encryption_enabled"))
	lower(sprintf("%v", [attr(g, "transit_encryption_mode")])) == "preferred"
}

problem[g.id] contains "does not encrypt at rest" if {
	some g in groups
	not enabled(attr(g, "at_rest_encryption_enabled"))
}

problem[g.id] contains "lets clients connect without authenticating (no AUTH token, no RBAC user group)" if {
	some g in groups
	not auth_token_present(g)
	not rbac(g)
}

deny contains finding if {
	some g in groups
	msgs := problem[g.id]
	finding := {
		"resource": g.id,
		"message": sprintf("ElastiCache replication group %s %s", [aws.label(g), concat("; ", sort(msgs))]),
		"evidence": {
			"transit_encryption_enabled": attr(g, "transit_encryption_enabled"),
			"transit_encryption_mode": attr(g, "transit_encryption_mode"),
			"at_rest_encryption_enabled": attr(g, "at_rest_encryption_enabled"),
			"auth_token_present": token_flag(g),
			"user_group_ids": aws.as_list(attr(g, "user_group_ids")),
		},
	}
}

token_flag(g) := true if {
	auth_token_present(g)
} else := false
