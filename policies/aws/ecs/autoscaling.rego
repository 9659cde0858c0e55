# METADATA
# title: ECS services scale on CPU with a target of at most 70%
# description: >-
#   The reference architecture scales its Fargate services on CPU utilization with a target of 70%, so that
#   load spikes (or a flood of requests the WAF lets through) add tasks before the running ones saturate. A
#   service passes when Application Auto Scaling holds a scalable target for it (aws_appautoscaling_target
#   with service_namespace "ecs", scalable_dimension "ecs:service:DesiredCount" and resource_id
#   "service/<cluster name>/<service name>") whose max_capacity exceeds its min_capacity, and a
#   target-tracking policy on the same resource (aws_appautoscaling_policy with policy_type
#   "TargetTrackingScaling" and
#   target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type
#   "ECSServiceAverageCPUUtilization") whose target_value is at most `ecs_cpu_target_max_percent` (default
#   70). Services with the DAEMON scheduling strategy (one task per instance, which cannot scale) are not
#   judged. An absent policy type is unknown (Terraform's default is StepScaling) and does not count.
# custom:
#   id: ECS-03
#   severity: medium
#   resource_types: [aws_ecs_service]
#   requires: [aws_appautoscaling_target, aws_appautoscaling_policy, aws_ecs_cluster]
#   remediation: >-
#     Register the service and attach a CPU target-tracking policy: `aws application-autoscaling
#     register-scalable-target --service-namespace ecs --scalable-dimension ecs:service:DesiredCount
#     --resource-id service/<cluster>/<service> --min-capacity 2 --max-capacity 10`, then `aws
#     application-autoscaling put-scaling-policy --policy-name cpu70 --policy-type TargetTrackingScaling
#     --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id
#     service/<cluster>/<service> --target-tracking-scaling-policy-configuration
#     '{"TargetValue":70,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}'`.
#     In Terraform use `aws_appautoscaling_target` and `aws_appautoscaling_policy` with
#     `target_tracking_scaling_policy_configuration`.
#   frameworks: {}
#   parameters:
#     ecs_cpu_target_max_percent: 70
package aws.ecs.autoscaling

import rego.v1

import data.lib.aws
import data.lib.ecs

dimension := "ecs:service:DesiredCount"

cpu_metric := "ECSServiceAverageCPUUtilization"

maximum := data.palisade.config.ecs_cpu_target_max_percent

# targets / policies keyed by "account|region|resource_id" (built once per evaluation).
target_index[key] contains t if {
	some t in aws.resources("aws_appautoscaling_target")
	object.get(t.attributes, "service_namespace", null) == "ecs"
	object.get(t.attributes, "scalable_dimension", null) == dimension
	rid := object.get(t.attributes, "resource_id", null)
	is_string(rid)
	key := concat("|", [t.account, t.region, rid])
}

policy_index[key] contains p if {
	some p in aws.resources("aws_appautoscaling_policy")
	object.get(p.attributes, "service_namespace", "ecs") == "ecs"
	object.get(p.attributes, "scalable_dimension", dimension) == dimension
	rid := object.get(p.attributes, "resource_id", null)
	is_string(rid)
	key := concat("|", [p.account, p.region, rid])
}

judged contains svc if {
	some svc in ecs.services
	not object.get(svc.attributes, "scheduling_strategy", "REPLICA") == "DAEMON"
}

# key(svc) is the service's index key; a service whose cluster is unknown matches nothing.
key(svc) := k if {
	rid := ecs.scaling_resource_id(svc)
	k := concat("|", [svc.account, svc.region, rid])
} else := "unknown"

targets(svc) := [t | some t in target_index[key(svc)]]

policies(svc) := [p | some p in policy_index[key(svc)]]

can_scale(t) if {
	lo := object.get(t.attributes, "min_capacity", null)
	hi := object.get(t.attributes, "max_capacity", null)
	is_number(lo)
	is_number(hi)
	hi > lo
}

tracking(p) := aws.block(p.attributes, "target_tracking_scaling_policy_configuration")

metric_type(p) := object.get(aws.block(tracking(p), "predefined_metric_specification"), "predefined_metric_type", null)

cpu_policy(p) if {
	object.get(p.attributes, "policy_type", null) == "TargetTrackingScaling"
	metric_type(p) == cpu_metric
}

good_policy(p) if {
	cpu_policy(p)
	v := object.get(tracking(p), "target_value", null)
	is_number(v)
	v <= maximum
}

problem[svc.id] contains "has no Application Auto Scaling target" if {
	some svc in judged
	count(targets(svc)) == 0
}

problem[svc.id] contains "has a scalable target that cannot scale (max_capacity is not above min_capacity)" if {
	some svc in judged
	ts := targets(svc)
	count(ts) > 0
	not any_can_scale(ts)
}

problem[svc.id] contains msg if {
	some svc in judged
	ps := policies(svc)
	not any_good(ps)
	msg := policy_message(svc, ps)
}

any_can_scale(ts) if {
	some t in ts
	can_scale(t)
}

any_good(ps) if {
	some p in ps
	good_policy(p)
}

policy_message(_, ps) := sprintf("has no target-tracking policy on %s", [cpu_metric]) if {
	not any_cpu(ps)
} else := sprintf("tracks %s with a target above %v%%", [cpu_metric, maximum])

any_cpu(ps) if {
	some p in ps
	cpu_policy(p)
}

deny contains finding if {
	some svc in judged
	msgs := problem[svc.id]
	finding := {
		"resource": svc.id,
		"message": sprintf("ECS service %s %s", [aws.label(svc), concat("; ", sort(msgs))]),
		"evidence": {
			"resource_id": resource_id_or_null(svc),
			"scalable_targets": [{"id": t.id, "min_capacity": object.get(t.attributes, "min_capacity", null), "max_capacity": object.get(t.attributes, "max_capacity", null)} | some t in targets(svc)],
			"scaling_policies": [{
				"id": p.id,
				"policy_type": object.get(p.attributes, "policy_type", null),
				"predefined_metric_type": metric_type(p),
				"target_value": object.get(tracking(p), "target_value", null),
			} |
				some p in policies(svc)
			],
			"ecs_cpu_target_max_percent": maximum,
		},
	}
}

resource_id_or_null(svc) := ecs.scaling_resource_id(svc) if {
	ecs.scaling_resource_id(svc)
} else := null
