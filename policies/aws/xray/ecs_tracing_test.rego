package aws.xray.ecs_tracing_test

import rego.v1

import data.aws.xray.ecs_tracing as rule
import data.lib.testing

role_arn := "arn:aws:iam::123456789012:role/app-ecs-task"

logs := {"logDriver": "awslogs"}

app := {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0.0", "logConfiguration": logs}

daemon := {"name": "xray-daemon", "image": "public.ecr.aws/xray/aws-xray-daemon:3.3.7", "portMappings": [{"containerPort": 2000, "protocol": "udp"}], "logConfiguration": logs}

td(id, family, revision, containers, role) := testing.res("aws_ecs_task_definition", id, {
	"family": family,
	"revision": revision,
	"task_role_arn": role,
	"container_definitions": json.marshal(containers),
})

global(r) := object.union(r, {"region": "global"})

attach(role, policy) := global(testing.res("aws_iam_role_policy_attachment", sprintf("arn:aws:iam::123456789012:role/%s/attachment/%s", [role, policy]), {"role": role, "policy_arn": policy}))

inline(role, name, doc) := global(testing.res("aws_iam_role_policy", sprintf("arn:aws:iam::123456789012:role/%s/policy/%s", [role, name]), {"role": role, "name": name, "policy": json.marshal(doc)}))

xray_doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"}]}

test_sidecar_and_managed_policy_pass if {
	d := rule.deny with input as testing.inv([
		td("a", "app", 3, [app, daemon], role_arn),
		attach("app-ecs-task", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"),
	])
	count(d) == 0
}

test_customer_policy_inline_policy_and_otel_collector_pass if {
	otel := {"name": "otel", "image": "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"}
	policy := global(testing.res("aws_iam_policy", "arn:aws:iam::123456789012:policy/tracing", {"arn": "arn:aws:iam::123456789012:policy/tracing", "policy": json.marshal(xray_doc)}))
	other_role := "arn:aws:iam::123456789012:role/worker-task"
	d := rule.deny with input as testing.inv([
		td("a", "app", 3, [app, otel], role_arn),
		attach("app-ecs-task", "arn:aws:iam::123456789012:policy/tracing"),
		policy,
		td("w", "worker", 1, [app, daemon], other_role),
		inline("worker-task", "xray", {"Statement": {"Effect": "Allow", "Action": "xray:*", "Resource": "*"}}),
	])
	count(d) == 0
}

test_missing_sidecar_fails if {
	d := rule.deny with input as testing.inv([td("a", "app", 3, [app], role_arn), attach("app-ecs-task", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess")])
	testing.ids(d) == {"a"}
}

test_role_without_permission_or_without_role_fails if {
	s3_only := {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
	d := rule.deny with input as testing.inv([
		td("a", "app", 3, [app, daemon], role_arn),
		inline("app-ecs-task", "s3", s3_only),
		testing.res("aws_ecs_task_definition", "b", {"family": "b", "revision": 1, "container_definitions": json.marshal([app, daemon])}),
	])
	testing.ids(d) == {"a", "b"}
}

test_explicit_deny_wins if {
	deny_doc := {"Statement": [{"Effect": "Deny", "Action": "xray:Put*", "Resource": "*"}]}
	d := rule.deny with input as testing.inv([
		td("a", "app", 3, [app, daemon], role_arn),
		attach("app-ecs-task", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"),
		inline("app-ecs-task", "guard", deny_doc),
	])
	testing.ids(d) == {"a"}
}

test_only_the_current_revision_is_judged if {
	d := rule.deny with input as testing.inv([
		td("old", "app", 2, [app], role_arn),
		td("new", "app", 3, [app, daemon], role_arn),
		object.union(td("gone", "batch", 9, [app], role_arn), {"attributes": {"status": "INACTIVE"}}),
		attach("app-ecs-task", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"),
	])
	count(d) == 0
}

test_plan_role_reference_resolves_through_the_role if {
	role := global(testing.res("aws_iam_role", "aws_iam_role.task", {"name": "app-ecs-task"}))
	d := rule.deny with input as testing.inv([
		td("aws_ecs_task_definition.app", "app", null, [app, daemon], "aws_iam_role.task"),
		role,
		attach("app-ecs-task", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"),
	])
	count(d) == 0
}

test_default_sampling_rule_alone_fails if {
	default_rule := testing.res("aws_xray_sampling_rule", "arn:aws:xray:us-east-1:123456789012:sampling-rule/Default", {"rule_name": "Default", "fixed_rate": 0.05, "reservoir_size": 1})
	custom := testing.res("aws_xray_sampling_rule", "arn:aws:xray:us-east-1:123456789012:sampling-rule/app-api", {"rule_name": "app-api", "fixed_rate": 0.1, "reservoir_size": 5})
	alone := rule.deny with input as testing.inv([default_rule])
	testing.ids(alone) == {default_rule.id}
	with_custom := rule.deny with input as testing.inv([default_rule, custom])
	count(with_custom) == 0
}
