# METADATA
# title: ECS Fargate services get no public IP and run a current platform version
# description: >-
#   The reference architecture runs its frontend and backend containers on ECS Fargate behind the Application
#   Load Balancer: the tasks need no address of their own on the internet. A task with a public IP is
#   reachable directly, around the load balancer, the WAF and their security groups. Fargate also patches
#   only current platform versions, so a service pinned to an old one (1.3.0 and earlier) keeps known kernel
#   and runtime flaws. Judges aws_ecs_service: unless the service is known to run on EC2 or external
#   instances (launch_type EC2/EXTERNAL, or a capacity provider strategy without FARGATE/FARGATE_SPOT, where
#   ECS never assigns public IPs), network_configuration[0].assign_public_ip must be false and
#   platform_version one of `ecs_fargate_platform_versions` (default LATEST and 1.4.0; 1.0.0 is also accepted
#   for Windows services, *extra* platform_family WINDOWS_*). Absent values are unknown and fail.
# custom:
#   id: ECS-01
#   severity: high
#   resource_types: [aws_ecs_service]
#   remediation: >-
#     Run the tasks in private subnets (with a NAT gateway or VPC endpoints for ECR, Secrets Manager and
#     CloudWatch Logs) and turn the public IP off: `aws ecs update-service --cluster <cluster> --service
#     <service> --network-configuration
#     "awsvpcConfiguration={subnets=[subnet-…],securityGroups=[sg-…],assignPublicIp=DISABLED}"
#     --platform-version LATEST --force-new-deployment`. In Terraform set `network_configuration {
#     assign_public_ip = false }` and `platform_version = "LATEST"` (or remove a pinned version) on the
#     `aws_ecs_service`.
#   frameworks:
#     fsbp: [ECS.2, ECS.10]
#     prowler: [ecs_service_no_assign_public_ip, ecs_service_fargate_latest_platform_version]
#     aws-config: [ecs-service-assign-public-ip-disabled, ecs-fargate-latest-platform-version]
#   parameters:
#     ecs_fargate_platform_versions: [LATEST, "1.4.0"]
package aws.ecs.public_ip_platform

import rego.v1

import data.lib.aws
import data.lib.ecs

judged contains svc if {
	some svc in ecs.services
	not ecs.known_not_fargate(svc)
}

assign_public_ip(svc) := object.get(aws.block(svc.attributes, "network_configuration"), "assign_public_ip", null)

# The live API says DISABLED/ENABLED; Terraform a boolean.
public_ip_off(svc) if assign_public_ip(svc) == false

public_ip_off(svc) if assign_public_ip(svc) == "DISABLED"

platform_version(svc) := object.get(svc.attributes, "platform_version", null)

allowed_versions(svc) := {v | some v in data.palisade.config.ecs_fargate_platform_versions} | windows_versions(svc)

windows_versions(svc) := {"1.0.0"} if {
	startswith(object.get(svc.attributes, "platform_family", ""), "WINDOWS")
} else := set()

problem[svc.id] contains msg if {
	some svc in judged
	not public_ip_off(svc)
	msg := public_ip_message(assign_public_ip(svc))
}

problem[svc.id] contains msg if {
	some svc in judged
	not platform_version(svc) in allowed_versions(svc)
	msg := platform_message(platform_version(svc))
}

public_ip_message(null) := "its public IP assignment is unknown (network_configuration.assign_public_ip absent)"

public_ip_message(v) := "assigns public IP addresses to its tasks" if v != null

platform_message(null) := "its Fargate platform version is unknown"

platform_message(v) := sprintf("runs Fargate platform version %v, not a current one", [v]) if v != null

deny contains finding if {
	some svc in judged
	msgs := problem[svc.id]
	finding := {
		"resource": svc.id,
		"message": sprintf("ECS service %s %s", [aws.label(svc), concat("; ", sort(msgs))]),
		"evidence": {
			"launch_type": object.get(svc.attributes, "launch_type", null),
			"capacity_providers": [s.capacity_provider | some s in aws.blocks(svc.attributes, "capacity_provider_strategy")],
			"assign_public_ip": assign_public_ip(svc),
			"platform_version": platform_version(svc),
			"ecs_fargate_platform_versions": data.palisade.config.ecs_fargate_platform_versions,
		},
	}
}
