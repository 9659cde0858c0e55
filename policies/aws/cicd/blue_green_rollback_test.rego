package aws.cicd.blue_green_rollback_test

import rego.v1

import data.aws.cicd.blue_green_rollback as rule
import data.lib.testing

svc_arn := "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/app-frontend"

svc(id, name, controller) := testing.res("aws_ecs_service", id, {
	"name": name,
	"cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster",
	"load_balancer": [{"target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-blue/1", "container_name": "app", "container_port": 8080}],
	"deployment_controller": [{"type": controller}],
})

group(id, service, type, enabled, events) := testing.res("aws_codedeploy_deployment_group", id, {
	"app_name": "app-deploy",
	"deployment_group_name": id,
	"compute_platform": "ECS",
	"deployment_style": [{"deployment_type": type, "deployment_option": "WITH_TRAFFIC_CONTROL"}],
	"auto_rollback_configuration": [{"enabled": enabled, "events": events}],
	"ecs_service": [{"cluster_name": "app-cluster", "service_name": service}],
})

test_blue_green_with_rollback_passes if {
	d := rule.deny with input as testing.inv([
		svc(svc_arn, "app-frontend", "CODE_DEPLOY"),
		group("g", "app-frontend", "BLUE_GREEN", true, ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]),
		testing.res("aws_ecs_service", "worker", {"name": "worker", "cluster": "app-cluster"}),
	])
	count(d) == 0
}

test_group_without_rollback_fails if {
	d := rule.deny with input as testing.inv([
		svc(svc_arn, "app-frontend", "CODE_DEPLOY"),
		group("no-rollback", "app-frontend", "BLUE_GREEN", false, []),
		group("wrong-event", "app-frontend", "BLUE_GREEN", true, ["DEPLOYMENT_STOP_ON_ALARM"]),
		testing.res("aws_codedeploy_deployment_group", "unknown", {"compute_platform": "ECS"}),
	])
	testing.ids(d) == {"no-rollback", "wrong-event", "unknown"}
}

test_service_without_deployment_group_fails if {
	d := rule.deny with input as testing.inv([
		svc(svc_arn, "app-frontend", "ECS"),
		svc("other", "app-backend", "CODE_DEPLOY"),
		group("g", "app-api", "BLUE_GREEN", true, ["DEPLOYMENT_FAILURE"]),
	])
	testing.ids(d) == {svc_arn, "other"}
}

test_group_in_another_account_does_not_deploy_the_service if {
	g := object.union(group("g", "app-frontend", "BLUE_GREEN", true, ["DEPLOYMENT_FAILURE"]), {"account": "210987654321"})
	d := rule.deny with input as testing.inv([svc(svc_arn, "app-frontend", "CODE_DEPLOY"), g])
	testing.ids(d) == {svc_arn}
}

test_server_deployment_groups_are_not_judged_and_parameter_is_honoured if {
	server := testing.res("aws_codedeploy_deployment_group", "ec2", {"compute_platform": "Server", "deployment_style": [{"deployment_type": "IN_PLACE"}]})
	g := group("g", "app-frontend", "BLUE_GREEN", true, ["DEPLOYMENT_FAILURE"])
	d := rule.deny with input as testing.inv([server, g, svc(svc_arn, "app-frontend", "CODE_DEPLOY")])
		with data.palisade.config.codedeploy_rollback_events as ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
	testing.ids(d) == {"g"}
}
