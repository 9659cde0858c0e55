package aws.cloudwatch.required_alarms_test

import rego.v1

import data.aws.cloudwatch.required_alarms as rule
import data.lib.testing

topic := "arn:aws:sns:us-east-1:123456789012:app-alerts"

alb_arn := "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/app-alb/50dc6c495c0c9188"

alarm(name, ns, metric, dims) := testing.res("aws_cloudwatch_metric_alarm", sprintf("arn:aws:cloudwatch:us-east-1:123456789012:alarm:%s", [name]), {
	"alarm_name": name,
	"namespace": ns,
	"metric_name": metric,
	"dimensions": dims,
	"actions_enabled": true,
	"alarm_actions": [topic],
})

alb := testing.res("aws_lb", alb_arn, {"arn": alb_arn, "name": "app-alb", "load_balancer_type": "application"})

alb_alarms := [
	alarm("alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": "app/app-alb/50dc6c495c0c9188"}),
	alarm("alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": "app/app-alb/50dc6c495c0c9188", "TargetGroup": "targetgroup/app/1"}),
]

db := testing.res("aws_db_instance", "arn:aws:rds:us-east-1:123456789012:db:app-db", {"identifier": "app-db", "engine": "mysql"})

db_alarms := [
	alarm("db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "app-db"}),
	alarm("db-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "app-db"}),
	alarm("db-conn", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "app-db"}),
]

svc := testing.res("aws_ecs_service", "arn:aws:ecs:us-east-1:123456789012:service/app-cluster/app-backend", {"name": "app-backend", "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app-cluster"})

test_every_required_alarm_present_passes if {
	acl := testing.res("aws_wafv2_web_acl", "acl", {"name": "app-regional-acl", "scope": "REGIONAL"})
	dist := object.union(testing.res("aws_cloudfront_distribution", "arn:aws:cloudfront::123456789012:distribution/E1APPDIST0001", {"id": "E1APPDIST0001"}), {"region": "global"})
	others := [
		alarm("waf-blocked", "AWS/WAFV2", "BlockedRequests", {"WebACL": "app-regional-acl", "Region": "us-east-1", "Rule": "ALL"}),
		alarm("cf-5xx", "AWS/CloudFront", "5xxErrorRate", {"DistributionId": "E1APPDIST0001", "Region": "Global"}),
		alarm("ecs-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "app-cluster", "ServiceName": "app-backend"}),
		alarm("ecs-mem", "AWS/ECS", "MemoryUtilization", {"ClusterName": "app-cluster", "ServiceName": "app-backend"}),
	]
	d := rule.deny with input as testing.inv(array.concat(array.concat([alb, db, acl, dist, svc], alb_alarms), array.concat(db_alarms, others)))
	count(d) == 0
}

test_missing_alarm_fails_and_names_the_metric if {
	d := rule.deny with input as testing.inv(array.concat([alb, db], array.concat([alb_alarms[0]], db_alarms)))
	testing.ids(d) == {alb_arn}
	some f in d
	f.evidence.missing_metrics == ["TargetResponseTime"]
}

test_alarm_on_another_resource_or_account_does_not_count if {
	other := alarm("db-cpu-other", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "legacy-db"})
	foreign := object.union(db_alarms[1], {"account": "210987654321"})
	d := rule.deny with input as testing.inv([db, other, foreign, db_alarms[2]])
	testing.ids(d) == {db.id}
}

test_ecs_alarm_must_match_the_cluster if {
	wrong := [
		alarm("ecs-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "legacy-cluster", "ServiceName": "app-backend"}),
		alarm("ecs-mem", "AWS/ECS", "MemoryUtilization", {"ClusterName": "legacy-cluster", "ServiceName": "app-backend"}),
	]
	d := rule.deny with input as testing.inv(array.concat([svc], wrong))
	testing.ids(d) == {svc.id}
}

test_metric_math_alarm_counts_and_scaling_alarm_does_not if {
	math := testing.res("aws_cloudwatch_metric_alarm", "math", {
		"alarm_name": "ecs-cpu-math",
		"actions_enabled": true,
		"alarm_actions": [topic],
		"metric_query": [
			{"id": "e1", "expression": "m1 * 1", "return_data": true},
			{"id": "m1", "metric": [{"namespace": "AWS/ECS", "metric_name": "CPUUtilization", "dimensions": {"ClusterName": "app-cluster", "ServiceName": "app-backend"}, "stat": "Average", "period": 60}]},
		],
	})
	scaling := testing.res("aws_cloudwatch_metric_alarm", "tt", {
		"alarm_name": "TargetTracking-service/app-cluster/app-backend-AlarmHigh",
		"namespace": "AWS/ECS",
		"metric_name": "MemoryUtilization",
		"dimensions": {"ClusterName": "app-cluster", "ServiceName": "app-backend"},
		"actions_enabled": true,
		"alarm_actions": ["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/app-cluster/app-backend:policyName/mem"],
	})
	d := rule.deny with input as testing.inv([svc, math, scaling])
	testing.ids(d) == {svc.id}
	some f in d
	f.evidence.missing_metrics == ["MemoryUtilization"]
}

test_aurora_instance_and_cluster_dimension if {
	member := testing.res("aws_db_instance", "m", {"identifier": "rep-1", "engine": "aurora-mysql", "cluster_identifier": "rep"})
	member_alarms := [
		alarm("c-cpu", "AWS/RDS", "CPUUtilization", {"DBClusterIdentifier": "rep"}),
		alarm("c-local", "AWS/RDS", "FreeLocalStorage", {"DBInstanceIdentifier": "rep-1"}),
		alarm("c-conn", "AWS/RDS", "DatabaseConnections", {"DBClusterIdentifier": "rep"}),
	]
	d := rule.deny with input as testing.inv(array.concat([member], member_alarms))
	count(d) == 0
}

test_unknown_identifiers_fail_and_parameter_is_honoured if {
	lb := testing.res("aws_lb", "aws_lb.app", {"name": "app"})
	d1 := rule.deny with input as testing.inv([lb])
	testing.ids(d1) == {"aws_lb.app"}
	d2 := rule.deny with input as testing.inv([lb, db])
		with data.palisade.config.cloudwatch_required_alarms as {"aws_db_instance": []}
	count(d2) == 0
}
