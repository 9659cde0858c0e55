package aws.ecs.autoscaling_test

import rego.v1

import data.aws.ecs.autoscaling as rule
import data.lib.testing

svc_arn := "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/app-backend"

svc(id, name) := testing.res("aws_ecs_service", id, {"name": name, "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster", "launch_type": "FARGATE"})

target(rid, lo, hi) := testing.res("aws_appautoscaling_target", sprintf("target-%s", [rid]), {
	"service_namespace": "ecs",
	"scalable_dimension": "ecs:service:DesiredCount",
	"resource_id": rid,
	"min_capacity": lo,
	"max_capacity": hi,
})

policy(rid, metric, value) := testing.res("aws_appautoscaling_policy", sprintf("policy-%s-%s", [rid, metric]), {
	"name": "cpu",
	"policy_type": "TargetTrackingScaling",
	"service_namespace": "ecs",
	"scalable_dimension": "ecs:service:DesiredCount",
	"resource_id": rid,
	"target_tracking_scaling_policy_configuration": [{
		"target_value": value,
		"predefined_metric_specification": [{"predefined_metric_type": metric}],
	}],
})

rid := "service/app-cluster/app-backend"

test_cpu_target_tracking_at_70_passes if {
	d := rule.deny with input as testing.inv([
		svc(svc_arn, "app-backend"),
		target(rid, 2, 10),
		policy(rid, "ECSServiceAverageCPUUtilization", 70),
		policy(rid, "ECSServiceAverageMemoryUtilization", 80),
	])
	count(d) == 0
}

test_no_scalable_target_fails if {
	d := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), policy(rid, "ECSServiceAverageCPUUtilization", 70)])
	testing.ids(d) == {svc_arn}
}

test_target_above_maximum_or_other_metric_fails if {
	high := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), target(rid, 2, 10), policy(rid, "ECSServiceAverageCPUUtilization", 85)])
	testing.ids(high) == {svc_arn}
	memory := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), target(rid, 2, 10), policy(rid, "ECSServiceAverageMemoryUtilization", 60)])
	testing.ids(memory) == {svc_arn}
}

test_fixed_capacity_fails if {
	d := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), target(rid, 2, 2), policy(rid, "ECSServiceAverageCPUUtilization", 70)])
	testing.ids(d) == {svc_arn}
}

test_step_scaling_or_unknown_policy_type_does_not_count if {
	p := policy(rid, "ECSServiceAverageCPUUtilization", 70)
	step := object.union(p, {"attributes": object.union(p.attributes, {"policy_type": "StepScaling"})})
	unknown := object.union(object.remove(p, ["attributes"]), {"attributes": object.remove(p.attributes, ["policy_type"])})
	d1 := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), target(rid, 2, 10), step])
	testing.ids(d1) == {svc_arn}
	d2 := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), target(rid, 2, 10), unknown])
	testing.ids(d2) == {svc_arn}
}

test_target_of_another_service_does_not_count if {
	other := "service/app-cluster/app-frontend"
	d := rule.deny with input as testing.inv([svc(svc_arn, "app-backend"), target(other, 2, 10), policy(other, "ECSServiceAverageCPUUtilization", 70)])
	testing.ids(d) == {svc_arn}
}

test_plan_cluster_reference_resolves_through_the_cluster if {
	s := testing.res("aws_ecs_service", "aws_ecs_service.backend", {"name": "app-backend", "cluster": "aws_ecs_cluster.main"})
	c := testing.res("aws_ecs_cluster", "aws_ecs_cluster.main", {"name": "app-cluster"})
	d := rule.deny with input as testing.inv([s, c, target(rid, 2, 10), policy(rid, "ECSServiceAverageCPUUtilization", 70)])
	count(d) == 0
}

test_parameter_and_daemon_services if {
	daemon := testing.res("aws_ecs_service", "daemon", {"name": "agent", "cluster": "app-cluster", "scheduling_strategy": "DAEMON"})
	d := rule.deny with input as testing.inv([daemon, svc(svc_arn, "app-backend"), target(rid, 2, 10), policy(rid, "ECSServiceAverageCPUUtilization", 70)])
		with data.palisade.config.ecs_cpu_target_max_percent as 60
	testing.ids(d) == {svc_arn}
}
