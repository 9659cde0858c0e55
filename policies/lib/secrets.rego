# Helpers shared by the Secrets Manager rules (SM-01 … SM-05): a secret's rotation configuration, which may
# come from the secret itself (live inventories: rotation_enabled, rotation_lambda_arn, rotation_rules) or from
# Terraform's separate aws_secretsmanager_secret_rotation resource (matched by `secret_id`, the secret's ARN
# or name).
package lib.secrets

import rego.v1

import data.lib.aws

secrets := aws.resources("aws_secretsmanager_secret")

# refs(s) is every string by which a secret can be referenced (ARN, Terraform id, name).
refs(s) := {x |
	some x in [s.id, s.name, object.get(s.attributes, "arn", null), object.get(s.attributes, "id", null), object.get(s.attributes, "name", null)]
	is_string(x)
	x != ""
}

# rotation_index is every aws_secretsmanager_secret_rotation keyed by "account|region|secret_id" (built once
# per evaluation, so that a lookup does not scan every rotation resource).
rotation_index[key] contains r if {
	some r in aws.resources("aws_secretsmanager_secret_rotation")
	sid := object.get(r.attributes, "secret_id", null)
	is_string(sid)
	key := concat("|", [r.account, r.region, sid])
}

# rotations(s) is the list of aws_secretsmanager_secret_rotation resources that configure secret s.
rotations(s) := rs if {
	rs := rotations_of[s.id]
} else := [r | some r in rotation_set(s)]

# The rotation resources of every secret of the input, found once per evaluation: the rules ask for them
# several times per secret.
rotations_of[s.id] := [r | some r in rotation_set(s)] if some s in secrets

rotation_set(s) := {q |
	some x in refs(s)
	some q in rotation_index[concat("|", [s.account, s.region, x])]
}

# rotation_enabled(s) holds when automatic rotation is known to be on.
rotation_enabled(s) if object.get(s.attributes, "rotation_enabled", null) == true

rotation_enabled(s) if count(rotations(s)) > 0

# rotation_days(s) is the rotation interval in days (undefined when unknown).
rotation_days(s) := min(ds) if {
	own := [d | d := aws.block(s.attributes, "rotation_rules").automatically_after_days; is_number(d)]
	other := [d | some r in rotations(s); d := aws.block(r.attributes, "rotation_rules").automatically_after_days; is_number(d)]
	ds := array.concat(own, other)
	count(ds) > 0
}

days_or_null(s) := d if {
	d := rotation_days(s)
} else := null

# rotation_lambda(s) holds when a rotation function is configured.
rotation_lambda(s) if non_empty(object.get(s.attributes, "rotation_lambda_arn", null))

rotation_lambda(s) if {
	some r in rotations(s)
	non_empty(object.get(r.attributes, "rotation_lambda_arn", null))
}

# service_managed(s) holds for secrets owned by another service (OwningService, e.g. "rds" for an RDS master
# user secret): those rotate through managed rotation, without a Lambda function.
service_managed(s) if non_empty(object.get(s.attributes, "owning_service", null))

non_empty(x) if {
	is_string(x)
	x != ""
}

# date(s, k) is the RFC 3339 date attribute k of s (undefined when absent or empty).
date(s, k) := v if {
	v := object.get(s.attributes, k, null)
	non_empty(v)
}

# age(s, k) is the age in whole days of date attribute k (undefined when absent or unparseable).
age(s, k) := aws.age_days(date(s, k))

# rotation_facts(s) is the evidence shared by the rotation rules (dates and configuration, never values).
rotation_facts(s) := {
	"rotation_enabled": object.get(s.attributes, "rotation_enabled", null),
	"rotation_resources": [r.id | some r in rotations(s)],
	"automatically_after_days": days_or_null(s),
	"created_date": object.get(s.attributes, "created_date", null),
	"last_rotated_date": object.get(s.attributes, "last_rotated_date", null),
	"next_rotation_date": object.get(s.attributes, "next_rotation_date", null),
}
