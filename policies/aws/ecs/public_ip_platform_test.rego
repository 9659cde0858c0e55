package aws.ecs.public_ip_platform_test

import rego.v1

import data.aws.ecs.public_ip_platform as rule
import data.lib.testing

svc(id, attrs) := testing.res("aws_ecs_service", id, attrs)

private := [{"assign_public_ip": false, "subnets": ["subnet-1"], "security_groups": ["sg-1"]}]

test_private_fargate_service_on_latest_passes if {
	d := rule.deny with input as testing.inv([
		svc("a", {"launch_type": "FARGATE", "platform_version": "LATEST", "network_configuration": private}),
		svc("b", {"launch_type": "FARGATE", "platform_version": "1.4.0", "network_configuration": [{"assign_public_ip": "DISABLED"}]}),
		svc("spot", {"capacity_provider_strategy": [{"capacity_provider": "FARGATE_SPOT", "weight": 1}], "platform_version": "LATEST", "network_configuration": private}),
	])
	count(d) == 0
}

test_public_ip_fails if {
	d := rule.deny with input as testing.inv([
		svc("a", {"launch_type": "FARGATE", "platform_version": "LATEST", "network_configuration": [{"assign_public_ip": true}]}),
		svc("b", {"launch_type": "FARGATE", "platform_version": "LATEST", "network_configuration": [{"assign_public_ip": "ENABLED"}]}),
		svc("ok", {"launch_type": "FARGATE", "platform_version": "LATEST", "network_configuration": private}),
	])
	testing.ids(d) == {"a", "b"}
}

test_old_platform_version_fails if {
	d := rule.deny with input as testing.inv([svc("a", {"launch_type": "FARGATE", "platform_version": "1.3.0", "network_configuration": private})])
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "1.3.0")
}

test_unknown_values_fail if {
	d := rule.deny with input as testing.inv([
		svc("no-network", {"launch_type": "FARGATE", "platform_version": "LATEST"}),
		svc("no-version", {"launch_type": "FARGATE", "network_configuration": private}),
		svc("no-launch-type", {"network_configuration": [{"assign_public_ip": true}], "platform_version": "LATEST"}),
	])
	testing.ids(d) == {"no-network", "no-version", "no-launch-type"}
}

test_ec2_services_are_not_judged if {
	d := rule.deny with input as testing.inv([
		svc("ec2", {"launch_type": "EC2"}),
		svc("cp", {"capacity_provider_strategy": [{"capacity_provider": "my-asg-provider", "weight": 1}]}),
	])
	count(d) == 0
}

test_windows_platform_and_parameter if {
	win := svc("win", {"launch_type": "FARGATE", "platform_family": "WINDOWS_SERVER_2022_CORE", "platform_version": "1.0.0", "network_configuration": private})
	linux := svc("lin", {"launch_type": "FARGATE", "platform_version": "1.4.0", "network_configuration": private})
	d1 := rule.deny with input as testing.inv([win, linux])
	count(d1) == 0
	d2 := rule.deny with input as testing.inv([win, linux])
		with data.palisade.config.ecs_fargate_platform_versions as ["LATEST"]
	testing.ids(d2) == {"lin"}
}
