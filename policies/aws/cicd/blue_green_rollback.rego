# METADATA
# title: ECS services deploy blue/green through CodeDeploy with automatic rollback on failure
# description: >-
#   The reference architecture's deploy stage uses CodeDeploy blue/green deployments for zero-downtime
#   updates, with automatic rollback on failure, so that a bad release (or a tampered image) that fails its
#   health checks is withdrawn without an operator. Judges every ECS aws_codedeploy_deployment_group
#   (compute_platform ECS, or an ecs_service block): deployment_style[0].deployment_type must be BLUE_GREEN,
#   auto_rollback_configuration[0].enabled true and its events must include every event of
#   `codedeploy_rollback_events` (default DEPLOYMENT_FAILURE). Judges every aws_ecs_service behind a load
#   balancer (a load_balancer block; blue/green needs one) too: a deployment group of the same account and
#   region must deploy it (its ecs_service[0] names the service's cluster and service), which also requires
#   the service's CODE_DEPLOY deployment controller; the deployment group is judged on its own. Unknown values
#   fail.
# custom:
#   id: CICD-01
#   severity: medium
#   resource_types: [aws_codedeploy_deployment_group, aws_ecs_service]
#   requires: [aws_ecs_cluster]
#   remediation: >-
#     Create the service with `deployment_controller { type = "CODE_DEPLOY" }` (this cannot be changed on an
#     existing service: create a new one), two target groups and a test listener, then a deployment group:
#     `aws deploy create-deployment-group --application-name <app> --deployment-group-name <group>
#     --compute-platform ECS --deployment-style
#     deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL --auto-rollback-configuration
#     enabled=true,events=DEPLOYMENT_FAILURE,DEPLOYMENT_STOP_ON_ALARM --ecs-services
#     clusterName=<cluster>,serviceName=<service> --load-balancer-info … --service-role-arn <role>`. For an
#     existing group: `aws deploy update-deployment-group … --auto-rollback-configuration
#     enabled=true,events=DEPLOYMENT_FAILURE`. In Terraform, `auto_rollback_configuration { enabled = true
#     events = ["DEPLOYMENT_FAILURE"] }` on the `aws_codedeploy_deployment_group`.
#   frameworks: {}
#   parameters:
#     codedeploy_rollback_events: [DEPLOYMENT_FAILURE]
package aws.cicd.blue_green_rollback

import rego.v1

import data.lib.aws
import data.lib.ecs

required_events := {e | some e in data.palisade.config.codedeploy_rollback_events}

ecs_group(g) if object.get(g.attributes, "compute_platform", null) == "ECS"

ecs_group(g) if count(aws.blocks(g.attributes, "ecs_service")) > 0

groups contains g if {
	some g in aws.resources("aws_codedeploy_deployment_group")
	ecs_group(g)
}

style(g) := aws.block(g.attributes, "deployment_style")

rollback(g) := aws.block(g.attributes, "auto_rollback_configuration")

events(g) := {e | some e in aws.as_list(object.get(rollback(g), "events", []))}

problem[g.id] contains msg if {
	some g in groups
	t := object.get(style(g), "deployment_type", null)
	t != "BLUE_GREEN"
	msg := type_message(t)
}

type_message(null) := "has an unknown deployment type"

type_message(t) := sprintf("deploys %v, not BLUE_GREEN", [t]) if t != null

problem[g.id] contains "does not roll back automatically" if {
	some g in groups
	not object.get(rollback(g), "enabled", null) == true
}

problem[g.id] contains msg if {
	some g in groups
	object.get(rollback(g), "enabled", null) == true
	missing := required_events - events(g)
	count(missing) > 0
	msg := sprintf("does not roll back on %s", [concat(", ", sort(missing))])
}

deny contains finding if {
	some g in groups
	msgs := problem[g.id]
	finding := {
		"resource": g.id,
		"message": sprintf("CodeDeploy deployment group %s %s", [group_label(g), concat("; ", sort(msgs))]),
		"evidence": {
			"deployment_type": object.get(style(g), "deployment_type", null),
			"deployment_option": object.get(style(g), "deployment_option", null),
			"auto_rollback_enabled": object.get(rollback(g), "enabled", null),
			"auto_rollback_events": sort(events(g)),
			"ecs_services": [{"cluster_name": object.get(s, "cluster_name", null), "service_name": object.get(s, "service_name", null)} | some s in aws.blocks(g.attributes, "ecs_service")],
		},
	}
}

group_label(g) := n if {
	n := object.get(g.attributes, "deployment_group_name", null)
	is_string(n)
} else := aws.label(g)

# --- which deployment group deploys which service -----------------------------------------------------------

# deployer_index maps "account|region|cluster|service" to the deployment groups whose ecs_service block names
# that service (built once per evaluation). A cluster_name given as an ARN is reduced to the name.
deployer_index[key] contains g.id if {
	some g in groups
	some s in aws.blocks(g.attributes, "ecs_service")
	cluster := ecs.last_segment(s.cluster_name)
	is_string(s.service_name)
	key := concat("|", [g.account, g.region, cluster, ecs.last_segment(s.service_name)])
}

balanced(svc) if count(aws.blocks(svc.attributes, "load_balancer")) > 0

deployers(svc) := ids if {
	ids := deployer_index[ecs.service_key(svc)]
} else := set()

controller(svc) := object.get(aws.block(svc.attributes, "deployment_controller"), "type", null)

deny contains finding if {
	some svc in ecs.services
	balanced(svc)
	count(deployers(svc)) == 0
	finding := {
		"resource": svc.id,
		"message": service_message(svc),
		"evidence": {"deployment_controller": controller(svc), "deployment_groups": []},
	}
}

service_message(svc) := sprintf("ECS service %s uses the CODE_DEPLOY controller but no CodeDeploy deployment group in the inventory deploys it", [aws.label(svc)]) if {
	controller(svc) == "CODE_DEPLOY"
} else := sprintf("ECS service %s is not deployed blue/green by CodeDeploy (deployment controller %v)", [aws.label(svc), controller(svc)])
