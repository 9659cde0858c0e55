# METADATA
# title: Secrets Manager resource policies do not grant access to everyone
# description: >-
#   The reference architecture's secrets (database credentials, API keys) are read only by its own services. A
#   resource policy (`policy`, a JSON document) with an `Allow` statement whose principal is everyone —
#   `"Principal": "*"`, `{"AWS": "*"}` (alone or in a list), or any `NotPrincipal` — lets any AWS account call
#   the actions it lists unless a condition pins the caller: an equality or ARN condition (not a negated or
#   `IfExists` operator, not `ForAllValues`, not the value "*") on `aws:PrincipalOrgID`, `aws:PrincipalAccount`,
#   `aws:SourceVpce` or `aws:SourceVpc`. A secret without a resource policy (`policy` "" or null) passes; an
#   absent (not collected) or unparseable policy is unknown and fails.
# custom:
#   id: SM-05
#   severity: high
#   resource_types: [aws_secretsmanager_secret]
#   remediation: >-
#     Name the principals that need the secret, or add a condition such as `"StringEquals":
#     {"aws:PrincipalOrgID": "o-xxxxxxxxxx"}`; then `aws secretsmanager put-resource-policy --secret-id <arn>
#     --resource-policy file://policy.json --block-public-policy` (or `delete-resource-policy`). In Terraform,
#     fix the `policy` of the aws_secretsmanager_secret_policy and set `block_public_policy = true`.
#   frameworks:
#     prowler: [secretsmanager_not_publicly_accessible]
package aws.secretsmanager.no_public_policy

import rego.v1

import data.lib.aws
import data.lib.secrets

pinning_keys := {"aws:principalorgid", "aws:principalaccount", "aws:sourcevpce", "aws:sourcevpc"}

no_policy(s) if object.get(s.attributes, "policy", 0) == null

no_policy(s) if object.get(s.attributes, "policy", 0) == ""

unparseable(s) if {
	p := object.get(s.attributes, "policy", null)
	is_string(p)
	p != ""
	not json.is_valid(p)
}

public_principal(st) if st.Principal == "*"

public_principal(st) if "*" in aws.as_list(st.Principal.AWS)

public_principal(st) if st.NotPrincipal

# pinning(op, key, val) holds for a condition that restricts the caller to an organization, account or network.
pinning(op, key, val) if {
	o := lower(op)
	not contains(o, "not")
	not endswith(o, "ifexists")
	not startswith(o, "forallvalues:")
	base := trim_prefix(o, "foranyvalue:")
	strings.any_prefix_match(base, ["stringequals", "stringlike", "arnequals", "arnlike"])
	lower(key) in pinning_keys
	some v in aws.as_list(val)
	is_string(v)
	v != "*"
}

restricted(st) if {
	some op, block in object.get(st, "Condition", {})
	some key, val in block
	pinning(op, key, val)
}

public_statements(s) := [{k: v | some k in ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "Condition"]; v := st[k]} |
	some st in aws.policy_statements(object.get(s.attributes, "policy", null))
	st.Effect == "Allow"
	public_principal(st)
	not restricted(st)
]

deny contains finding if {
	some s in secrets.secrets
	not "policy" in object.keys(s.attributes)
	finding := {
		"resource": s.id,
		"message": sprintf("Secret %s has no collected resource policy, so whether it is public is unknown", [aws.label(s)]),
		"evidence": {"policy": null},
	}
}

deny contains finding if {
	some s in secrets.secrets
	unparseable(s)
	finding := {
		"resource": s.id,
		"message": sprintf("Secret %s has a resource policy that is not valid JSON, so whether it is public is unknown", [aws.label(s)]),
		"evidence": {"policy_valid_json": false},
	}
}

deny contains finding if {
	some s in secrets.secrets
	bad := public_statements(s)
	count(bad) > 0
	finding := {
		"resource": s.id,
		"message": sprintf("Secret %s has a resource policy that allows any principal without an organization, account or VPC condition", [aws.label(s)]),
		"evidence": {"public_statements": bad},
	}
}
