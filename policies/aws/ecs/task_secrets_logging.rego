# METADATA
# title: ECS task definitions keep secrets out of environment variables and log every container
# description: >-
#   The reference architecture keeps database credentials and API keys in Secrets Manager. A secret written
#   into a task definition's `environment` is stored in clear text in every revision, readable by anyone who
#   may call ecs:DescribeTaskDefinition (deregistered revisions stay readable), and shows up in the console,
#   in CloudTrail and in Terraform state. Containers must instead name the secret in `secrets[]`
#   (`valueFrom` a Secrets Manager secret or an SSM parameter), which ECS injects at start. Every container
#   must also send its output to a log driver (`logConfiguration.logDriver`, e.g. awslogs to CloudWatch Logs),
#   the reference architecture's centralised log collection. Judges every aws_ecs_task_definition (every
#   revision, since old ones stay readable), reading `container_definitions` (a JSON string): it fails for an
#   environment variable whose name contains a word of `secret_name_keywords` (PASSWORD, SECRET, TOKEN, KEY,
#   ...) and whose value is not an ARN, or whose value has the shape of an AWS access key id; for a
#   `secrets[]` entry whose valueFrom is empty or points at neither Secrets Manager nor SSM; and for a
#   container without a log driver. Unknown or unparsable container definitions fail. Evidence names
#   variables, never their values.
# custom:
#   id: ECS-02
#   severity: critical
#   resource_types: [aws_ecs_task_definition]
#   remediation: >-
#     Store the value in Secrets Manager (`aws secretsmanager create-secret --name app/db-password
#     --secret-string …`), move the variable from `environment` to `secrets` (`{"name": "DB_PASSWORD",
#     "valueFrom": "arn:aws:secretsmanager:<region>:<account>:secret:app/db-password"}`), give the task
#     execution role secretsmanager:GetSecretValue on it, add `"logConfiguration": {"logDriver": "awslogs",
#     "options": {"awslogs-group": "/ecs/<service>", "awslogs-region": "<region>", "awslogs-stream-prefix":
#     "ecs"}}` to every container, and register a new revision (`aws ecs register-task-definition`). Then
#     rotate the exposed secret and deregister the old revisions (`aws ecs deregister-task-definition`).
#   frameworks:
#     fsbp: [ECS.8, ECS.9]
#     prowler: [ecs_task_definitions_no_environment_secrets, ecs_task_definitions_logging_enabled]
#     aws-config: [ecs-no-environment-secrets, ecs-task-definition-log-configuration]
#   parameters:
#     secret_name_keywords: [PASSWORD, PASSWD, SECRET, TOKEN, KEY, APIKEY, ACCESSKEY, PRIVATEKEY, CREDENTIAL]
package aws.ecs.task_secrets_logging

import rego.v1

import data.lib.aws
import data.lib.credentials
import data.lib.ecs

keywords := data.palisade.config.secret_name_keywords

# env_secrets[td.id] is the set of {container, variable, reason} for environment variables that look like
# secrets.
# Every environment variable name of every task definition, and those that look like credentials: each
# name is judged once, however many task definitions (and revisions) use it.
env_names contains name if {
	some td in ecs.task_definitions
	some c in ecs.containers(td)
	some v in aws.as_list(object.get(c, "environment", []))
	name := object.get(v, "name", null)
	is_string(name)
}

secret_like_names := {n | some n in env_names; credentials.secret_like_name(n, keywords)}

env_secrets[td.id] contains {"container": ecs.container_label(c), "variable": name, "reason": reason} if {
	some td in ecs.task_definitions
	some c in ecs.containers(td)
	some v in aws.as_list(object.get(c, "environment", []))
	name := object.get(v, "name", null)
	value := object.get(v, "value", null)
	credentials.clear_text_secret_among(name, value, secret_like_names)
	reason := credentials.reason(name, value, keywords)
}

secret_store(ref) if regex.match(`^arn:aws[a-z-]*:(secretsmanager|ssm):`, ref)

# An SSM parameter in the task's own region may be named instead of given by ARN.
secret_store(ref) if {
	is_string(ref)
	ref != ""
	not startswith(ref, "arn:")
}

bad_secret_refs[td.id] contains {"container": ecs.container_label(c), "variable": object.get(s, "name", null)} if {
	some td in ecs.task_definitions
	some c in ecs.containers(td)
	some s in aws.as_list(object.get(c, "secrets", []))
	not secret_store(object.get(s, "valueFrom", null))
}

has_log_driver(c) if ecs.non_empty(object.get(object.get(c, "logConfiguration", {}), "logDriver", null))

unlogged[td.id] contains ecs.container_label(c) if {
	some td in ecs.task_definitions
	some c in ecs.containers(td)
	not has_log_driver(c)
}

problem[td.id] contains "its container definitions are unknown or not valid JSON" if {
	some td in ecs.task_definitions
	not ecs.containers(td)
}

problem[td.id] contains msg if {
	some td in ecs.task_definitions
	found := env_secrets[td.id]
	msg := sprintf("passes credentials in clear-text environment variables (%s)", [concat(", ", sort({sprintf("%s.%s", [e.container, e.variable]) | some e in found}))])
}

problem[td.id] contains msg if {
	some td in ecs.task_definitions
	found := bad_secret_refs[td.id]
	msg := sprintf("takes secrets from somewhere other than Secrets Manager or SSM Parameter Store (%s)", [concat(", ", sort({sprintf("%s.%v", [e.container, e.variable]) | some e in found}))])
}

problem[td.id] contains msg if {
	some td in ecs.task_definitions
	names := unlogged[td.id]
	msg := sprintf("has containers without a log driver (%s)", [concat(", ", sort(names))])
}

deny contains finding if {
	some td in ecs.task_definitions
	msgs := problem[td.id]
	finding := {
		"resource": td.id,
		"message": sprintf("ECS task definition %s %s", [aws.label(td), concat("; ", sort(msgs))]),
		"evidence": {
			"environment_secrets": sort(env_found(td)),
			"secrets_from_elsewhere": sort(refs_found(td)),
			"containers_without_log_driver": sort(unlogged_found(td)),
			"container_definitions_known": known(td),
		},
	}
}

known(td) := true if {
	ecs.containers(td)
} else := false

# The entries of the indexes for td (the empty set when it has none).
env_found(td) := s if {
	s := env_secrets[td.id]
} else := set()

refs_found(td) := s if {
	s := bad_secret_refs[td.id]
} else := set()

unlogged_found(td) := s if {
	s := unlogged[td.id]
} else := set()
