package aws.ecs.task_secrets_logging_test

import rego.v1

import data.aws.ecs.task_secrets_logging as rule
import data.lib.testing

logs := {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}

td(id, containers) := testing.res("aws_ecs_task_definition", id, {"family": id, "revision": 1, "container_definitions": json.marshal(containers)})

good := {
	"name": "app",
	"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3",
	"environment": [
		{"name": "NODE_ENV", "value": "production"},
		{"name": "DB_PASSWORD_SECRET_ARN", "value": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"},
		{"name": "KEYCLOAK_URL", "value": "https://id.example.com"},
	],
	"secrets": [
		{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"},
		{"name": "API_KEY", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/app/api-key"},
		{"name": "FEATURE_TOKEN", "valueFrom": "app-feature-token"},
	],
	"logConfiguration": logs,
}

test_secrets_from_secrets_manager_and_logging_pass if {
	d := rule.deny with input as testing.inv([td("a", [good])])
	count(d) == 0
}

test_secret_in_environment_fails_without_revealing_it if {
	bad := object.union(good, {"environment": [{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "stripeApiKey", "value": "sk_live_x"}]})
	d := rule.deny with input as testing.inv([td("a", [bad]), td("b", [good])])
	testing.ids(d) == {"a"}
	some f in d
	not contains(json.marshal(f), "hunter2")
	not contains(json.marshal(f), "sk_live_x")
	{e.variable | some e in f.evidence.environment_secrets} == {"DB_PASSWORD", "stripeApiKey"}
}

test_access_key_shaped_value_fails_whatever_its_name if {
	bad := object.union(good, {"environment": [{"name": "UPSTREAM_ID", "value": "AKIAIOSFODNN7EXAMPLE"}]})
	d := rule.deny with input as testing.inv([td("a", [bad])])
	testing.ids(d) == {"a"}
}

test_container_without_log_driver_fails if {
	sidecar := {"name": "sidecar", "image": "busybox", "essential": false}
	d := rule.deny with input as testing.inv([td("a", [good, sidecar])])
	testing.ids(d) == {"a"}
	some f in d
	f.evidence.containers_without_log_driver == ["sidecar"]
}

test_secret_from_elsewhere_fails if {
	bad := object.union(good, {"secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:s3:::bucket/creds.txt"}, {"name": "X", "valueFrom": ""}]})
	d := rule.deny with input as testing.inv([td("a", [bad])])
	testing.ids(d) == {"a"}
}

test_unknown_or_invalid_definitions_fail if {
	d := rule.deny with input as testing.inv([
		testing.res("aws_ecs_task_definition", "absent", {"family": "absent"}),
		testing.res("aws_ecs_task_definition", "invalid", {"family": "invalid", "container_definitions": "[{not json"}),
	])
	testing.ids(d) == {"absent", "invalid"}
}

test_keywords_parameter_is_honoured if {
	c := object.union(good, {"environment": [{"name": "SESSION_SALT", "value": "abc"}]})
	d1 := rule.deny with input as testing.inv([td("a", [c])])
	count(d1) == 0
	d2 := rule.deny with input as testing.inv([td("a", [c])])
		with data.palisade.config.secret_name_keywords as ["SALT"]
	testing.ids(d2) == {"a"}
}
