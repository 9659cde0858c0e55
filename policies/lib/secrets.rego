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
	some x in [s.id, s.name, aws.attr(s, "arn", null), aws.attr(s, "id", null), aws.attr(s, "name", null)]
	is_string(x)
	x != ""
}

# rotations(s) is the list of aws_secretsmanager_secret_rotation resources that configure secret s.
rotations(s) := [r |
	some r in aws.resources("aws_secretsmanager_secret_rotation")
	aws.attr(r, "secret_id", null) in refs(s)
	r.account == s.account
	r.region == s.region
]

# rotation_enabled(s) holds when automatic rotation is known to be on.
rotation_enabled(s) if aws.attr(s, "rotation_enabled", null) == true

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
rotation_lambda(s) if non_empty(aws.attr(s, "rotation_lambda_arn", null))

rotation_lambda(s) if {
	some r in rotations(s)
	non_empty(aws.attr(r, "rotation_lambda_arn", null))
}

# service_managed(s) holds for secrets owned by another service (OwningService, e.g. "rds" for an RDS master
# user secret): those rotate through managed rotation, without a Lambda function.
service_managed(s) if non_empty(aws.attr(s, "owning_service", null))

non_empty(x) if {
	is_string(x)
	x != ""
}

# date(s, k) is the RFC 3339 date attribute k of s (undefined when absent or empty).
date(s, k) := v if {
	v := aws.attr(s, k, null)
	non_empty(v)
}

# age(s, k) is the age in whole days of date attribute k (undefined when absent or unparseable).
age(s, k) := aws.age_days(date(s, k))

# rotation_facts(s) is the evidence shared by the rotation rules (dates and configuration, never values).
rotation_facts(s) := {
	"rotation_enabled": aws.attr(s, "rotation_enabled", null),
	"rotation_resources": [r.id | some r in rotations(s)],
	"automatically_after_days": days_or_null(s),
	"created_date": aws.attr(s, "created_date", null),
	"last_rotated_date": aws.attr(s, "last_rotated_date", null),
	"next_rotation_date": aws.attr(s, "next_rotation_date", null),
}
