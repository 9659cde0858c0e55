# METADATA
# title: ECS tasks send traces to X-Ray, and sampling goes beyond the Default rule
# description: >-
#   The reference architecture traces requests end to end with AWS X-Ray, to find performance bottlenecks
#   and map service dependencies, and to follow a suspicious request across the frontend, the backend and
#   the database during an investigation. On Fargate the segments leave a task through a daemon sidecar
#   (the aws-xray-daemon or the AWS Distro for OpenTelemetry collector, listening on UDP 2000) with the
#   task role's permission to call xray:PutTraceSegments. Judges the current revision of each ECS task
#   definition family (the highest revision the inventory holds, not INACTIVE): a container's image must
#   contain one of `xray_sidecar_images` (or a container must map UDP port 2000), and the task role
#   (task_role_arn) must be allowed xray:PutTraceSegments on "*" by an inline policy (aws_iam_role_policy,
#   or the role's inline_policy blocks), an attached customer-managed policy (aws_iam_role_policy_attachment
#   to an aws_iam_policy, or the role's managed_policy_arns) or an AWS-managed policy listed in
#   `xray_write_managed_policies`, with no Deny statement matching it. Also judges X-Ray sampling rules: the
#   built-in Default rule fails when it is the only rule of its account and region, since then every service
#   is sampled alike. Permission boundaries and SCPs are not visible in the inventory.
# custom:
#   id: XR-01
#   severity: low
#   resource_types: [aws_ecs_task_definition, aws_xray_sampling_rule]
#   requires: [aws_iam_role, aws_iam_role_policy, aws_iam_role_policy_attachment, aws_iam_policy]
#   remediation: >-
#     Add the daemon as a sidecar container (`"image": "public.ecr.aws/xray/aws-xray-daemon:3.x",
#     "portMappings": [{"containerPort": 2000, "protocol": "udp"}]`, or the ADOT collector
#     `public.ecr.aws/aws-observability/aws-otel-collector`), attach AWSXRayDaemonWriteAccess to the task role
#     (`aws iam attach-role-policy --role-name <task-role> --policy-arn
#     arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess`), instrument the application with the X-Ray or
#     OpenTelemetry SDK, and create sampling rules per service (`aws xray create-sampling-rule`, or
#     `aws_xray_sampling_rule` in Terraform).
#   frameworks: {}
#   parameters:
#     xray_sidecar_images: [aws-xray-daemon, aws-otel-collector]
#     xray_write_managed_policies:
#       - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
#       - arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess
#       - arn:aws:iam::aws:policy/AWSXrayFullAccess
#       - arn:aws:iam::aws:policy/AdministratorAccess
#       - arn:aws:iam::aws:policy/PowerUserAccess
package aws.xray.ecs_tracing

import rego.v1

import data.lib.aws
import data.lib.ecs

action := "xray:puttracesegments"

judged contains td if {
	some td in ecs.task_definitions
	ecs.is_current(td)
}

# --- the sidecar --------------------------------------------------------------------------------------------

sidecar_image(c) if {
	raw := object.get(c, "image", null)
	is_string(raw)
	image := lower(raw)
	some needle in data.palisade.config.xray_sidecar_images
	contains(image, lower(needle))
}

udp_2000(c) if {
	some pm in aws.as_list(object.get(c, "portMappings", []))
	object.get(pm, "containerPort", null) == 2000
	lower(object.get(pm, "protocol", "tcp")) == "udp"
}

is_sidecar(c) if sidecar_image(c)

is_sidecar(c) if udp_2000(c)

sidecars(td) := sidecars_of[td.id]

# Per judged task definition, computed once however often the findings ask (the same for role_keys,
# roles, attached, documents and allowed_by below).
sidecars_of[td.id] := s if {
	some td in judged
	s := {ecs.container_label(c) | some c in ecs.containers(td); is_sidecar(c)}
}

# --- the task role and its policies -------------------------------------------------------------------------

role_ref(td) := r if {
	r := object.get(td.attributes, "task_role_arn", null)
	ecs.non_empty(r)
}

# role_index maps every identifier of an aws_iam_role (id, ARN, name, plan address) to the role, per account.
role_index[key] contains role if {
	some role in aws.resources("aws_iam_role")
	some ref in {role.id, role.name, object.get(role.attributes, "arn", ""), object.get(role.attributes, "name", ""), object.get(role.attributes, "id", "")}
	ecs.non_empty(ref)
	key := concat("|", [role.account, ref])
}

# role_keys(td) is every string by which the task role may be referenced: the task_role_arn itself, the role
# name (the ARN's last path segment), and the identifiers of the aws_iam_role it names.
role_keys(td) := role_keys_of[td.id]

role_keys_of[td.id] := ks if {
	some td in judged
	ks := find_role_keys(td)
}

find_role_keys(td) := {k |
	ref := role_ref(td)
	some k in ({ref, ecs.last_segment(ref)} | {x |
		some role in role_index[concat("|", [td.account, ref])]
		some x in {role.id, role.name, object.get(role.attributes, "arn", ""), object.get(role.attributes, "name", "")}
	})
	ecs.non_empty(k)
}

roles(td) := roles_of[td.id]

roles_of[td.id] := rs if {
	some td in judged
	rs := {role |
		some k in role_keys(td)
		some role in role_index[concat("|", [td.account, k])]
	}
}

# The policies that name a role: inline (role = name or reference), attachments (role = name or reference).
inline_index[key] contains p if {
	some p in aws.resources("aws_iam_role_policy")
	role := object.get(p.attributes, "role", null)
	ecs.non_empty(role)
	key := concat("|", [p.account, role])
}

attachment_index[key] contains object.get(a.attributes, "policy_arn", null) if {
	some a in aws.resources("aws_iam_role_policy_attachment")
	role := object.get(a.attributes, "role", null)
	ecs.non_empty(role)
	key := concat("|", [a.account, role])
}

policy_index[key] contains p if {
	some p in aws.resources("aws_iam_policy")
	some ref in {p.id, object.get(p.attributes, "arn", p.id)}
	key := concat("|", [p.account, ref])
}

# documents(td) is every policy document of the task role: {"source", "policy", "statements"}, its
# statements parsed once.
documents(td) := documents_of[td.id]

documents_of[td.id] := ds if {
	some td in judged
	ds := {object.union(d, {"statements": aws.policy_statements(d.policy)}) | some d in find_documents(td)}
}

find_documents(td) := {{"source": p.id, "policy": object.get(p.attributes, "policy", "{}")} |
	some k in role_keys(td)
	some p in inline_index[concat("|", [td.account, k])]
} | {{"source": sprintf("%s inline %v", [role.id, object.get(ip, "name", "")]), "policy": object.get(ip, "policy", "{}")} |
	some role in roles(td)
	some ip in aws.blocks(role.attributes, "inline_policy")
} | {{"source": p.id, "policy": object.get(p.attributes, "policy", "{}")} |
	some arn in attached(td)
	some p in policy_index[concat("|", [td.account, arn])]
}

attached(td) := attached_of[td.id]

attached_of[td.id] := a if {
	some td in judged
	a := find_attached(td)
}

find_attached(td) := {arn |
	some k in role_keys(td)
	some arn in attachment_index[concat("|", [td.account, k])]
	is_string(arn)
} | {arn |
	some role in roles(td)
	some arn in aws.as_list(object.get(role.attributes, "managed_policy_arns", []))
	is_string(arn)
}

managed_grant(td) := {arn |
	some arn in attached(td)
	arn in data.palisade.config.xray_write_managed_policies
}

matches(patterns) if {
	some p in aws.as_list(patterns)
	is_string(p)
	glob.match(lower(p), [], action)
}

allows(stmt) if {
	stmt.Effect == "Allow"
	matches(object.get(stmt, "Action", []))
	"*" in aws.as_list(object.get(stmt, "Resource", []))
}

allows(stmt) if {
	stmt.Effect == "Allow"
	object.get(stmt, "Action", null) == null
	na := object.get(stmt, "NotAction", null)
	na != null
	not matches(na)
	"*" in aws.as_list(object.get(stmt, "Resource", []))
}

# Any Deny that names the action denies it (its conditions are not evaluated: a Deny that might apply must
# not let the rule pass).
denies(stmt) if {
	stmt.Effect == "Deny"
	matches(object.get(stmt, "Action", []))
}

statements(td) := [s | some d in documents(td); some s in d.statements]

allowed_by(td) := allowed_by_of[td.id]

allowed_by_of[td.id] := a if {
	some td in judged
	a := {d.source |
		some d in documents(td)
		some s in d.statements
		allows(s)
	} | managed_grant(td)
}

denied(td) if {
	some s in statements(td)
	denies(s)
}

may_write_segments(td) if {
	count(allowed_by(td)) > 0
	not denied(td)
}

# --- findings -------------------------------------------------------------------------------------------------

problem[td.id] contains "its container definitions are unknown or not valid JSON" if {
	some td in judged
	not ecs.containers(td)
}

problem[td.id] contains "has no X-Ray daemon or OpenTelemetry collector sidecar" if {
	some td in judged
	ecs.containers(td)
	count(sidecars(td)) == 0
}

problem[td.id] contains "has no task role" if {
	some td in judged
	not role_ref(td)
}

problem[td.id] contains msg if {
	some td in judged
	ref := role_ref(td)
	not may_write_segments(td)
	msg := sprintf("has a task role (%s) that may not call xray:PutTraceSegments", [ref])
}

deny contains finding if {
	some td in judged
	msgs := problem[td.id]
	finding := {
		"resource": td.id,
		"message": sprintf("ECS task definition %s %s", [aws.label(td), concat("; ", sort(msgs))]),
		"evidence": {
			"sidecars": sidecar_list(td),
			"task_role_arn": object.get(td.attributes, "task_role_arn", null),
			"granted_by": sort(grants(td)),
			"denied": denied_flag(td),
		},
	}
}

sidecar_list(td) := sort(sidecars(td)) if {
	ecs.containers(td)
} else := []

grants(td) := allowed_by(td) if {
	role_ref(td)
} else := set()

denied_flag(td) := true if {
	role_ref(td)
	denied(td)
} else := false

# --- sampling rules -----------------------------------------------------------------------------------------

rule_name(r) := object.get(r.attributes, "rule_name", r.name)

custom_rules[key] contains r.id if {
	some r in aws.resources("aws_xray_sampling_rule")
	rule_name(r) != "Default"
	key := concat("|", [r.account, r.region])
}

deny contains finding if {
	some r in aws.resources("aws_xray_sampling_rule")
	rule_name(r) == "Default"
	not custom_rules[concat("|", [r.account, r.region])]
	finding := {
		"resource": r.id,
		"message": sprintf("X-Ray in %s samples every service with the Default rule only (no sampling rule per service)", [r.region]),
		"evidence": {
			"rule_name": rule_name(r),
			"fixed_rate": object.get(r.attributes, "fixed_rate", null),
			"reservoir_size": object.get(r.attributes, "reservoir_size", null),
		},
	}
}
