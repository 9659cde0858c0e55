# METADATA
# title: The application's load balancers, databases, web ACLs, distributions and services have alarms
# description: >-
#   The reference architecture monitors CPU and memory, request counts and latencies and error rates, and
#   alerts on thresholds. Each component needs an alarm on the metrics that show it failing or under attack,
#   or the first sign of an outage is a customer's complaint. Judges each resource against the metrics
#   `cloudwatch_required_alarms` lists for its type, and passes when, for every listed metric, an
#   aws_cloudwatch_metric_alarm of the same account (in the resource's region; us-east-1 for CloudFront)
#   watches that metric with the resource's dimension, directly or inside a metric-math metric_query:
#   application load balancers (AWS/ApplicationELB, LoadBalancer = the ARN suffix app/<name>/<id>;
#   default HTTPCode_ELB_5XX_Count and TargetResponseTime), DB instances (AWS/RDS, DBInstanceIdentifier, or
#   DBClusterIdentifier of its cluster; default CPUUtilization, FreeStorageSpace - FreeLocalStorage for
#   Aurora - and DatabaseConnections), WAF web ACLs (AWS/WAFV2, WebACL = name; default BlockedRequests),
#   CloudFront distributions (AWS/CloudFront, DistributionId; default 5xxErrorRate) and ECS services
#   (AWS/ECS, ClusterName and ServiceName; default CPUUtilization and MemoryUtilization). Alarms whose only
#   actions are auto-scaling policies (such as those of a target-tracking policy) scale, they do not alert,
#   and do not count. Whether an alarm notifies anyone is judged by CW-01 and CW-04.
# custom:
#   id: CW-02
#   severity: medium
#   resource_types: [aws_lb, aws_db_instance, aws_wafv2_web_acl, aws_cloudfront_distribution, aws_ecs_service]
#   requires: [aws_cloudwatch_metric_alarm, aws_ecs_cluster]
#   remediation: >-
#     Create the missing alarms, e.g. `aws cloudwatch put-metric-alarm --alarm-name app-alb-5xx --namespace
#     AWS/ApplicationELB --metric-name HTTPCode_ELB_5XX_Count --dimensions
#     Name=LoadBalancer,Value=app/<name>/<id> --statistic Sum --period 60 --evaluation-periods 5 --threshold
#     10 --comparison-operator GreaterThanThreshold --alarm-actions arn:aws:sns:<region>:<account>:<topic>`
#     (AWS/RDS with DBInstanceIdentifier, AWS/WAFV2 with WebACL/Region/Rule, AWS/CloudFront in us-east-1
#     with DistributionId and Region=Global, AWS/ECS with ClusterName and ServiceName), or one
#     `aws_cloudwatch_metric_alarm` per metric in Terraform.
#   frameworks: {}
#   parameters:
#     cloudwatch_required_alarms:
#       aws_lb: [HTTPCode_ELB_5XX_Count, TargetResponseTime]
#       aws_db_instance: [CPUUtilization, FreeStorageSpace, DatabaseConnections]
#       aws_wafv2_web_acl: [BlockedRequests]
#       aws_cloudfront_distribution: ["5xxErrorRate"]
#       aws_ecs_service: [CPUUtilization, MemoryUtilization]
package aws.cloudwatch.required_alarms

import rego.v1

import data.lib.alarms
import data.lib.aws
import data.lib.ecs

required(r) := object.get(data.palisade.config.cloudwatch_required_alarms, r.type, [])

non_empty(x) if {
	is_string(x)
	x != ""
}

# The resources judged: load balancers only when they are application load balancers.
subjects := array.concat(
	[lb | some lb in aws.resources("aws_lb"); object.get(lb.attributes, "load_balancer_type", "application") == "application"],
	array.concat(
		array.concat(aws.resources("aws_db_instance"), aws.resources("aws_wafv2_web_acl")),
		array.concat(aws.resources("aws_cloudfront_distribution"), ecs.services),
	),
)

# selectors(r) is how r's metrics are found: {namespace, dimension, value, also} where `also` holds further
# dimensions that the alarm must carry with these values.
selectors(r) := {{"namespace": "AWS/ApplicationELB", "dimension": "LoadBalancer", "value": alb_suffix(r), "also": {}}} if {
	r.type == "aws_lb"
}

selectors(r) := db_selectors(r) if r.type == "aws_db_instance"

selectors(r) := {{"namespace": "AWS/WAFV2", "dimension": "WebACL", "value": object.get(r.attributes, "name", null), "also": {}}} if {
	r.type == "aws_wafv2_web_acl"
}

selectors(r) := {{"namespace": "AWS/CloudFront", "dimension": "DistributionId", "value": distribution_id(r), "also": {}}} if {
	r.type == "aws_cloudfront_distribution"
}

selectors(r) := {{"namespace": "AWS/ECS", "dimension": "ServiceName", "value": ecs.service_name(r), "also": {"ClusterName": cluster_of(r)}}} if {
	r.type == "aws_ecs_service"
}

db_selectors(db) := {{"namespace": "AWS/RDS", "dimension": "DBInstanceIdentifier", "value": db_identifier(db), "also": {}}} | {{"namespace": "AWS/RDS", "dimension": "DBClusterIdentifier", "value": c, "also": {}} |
	c := object.get(db.attributes, "cluster_identifier", null)
	non_empty(c)
}

# alb_suffix(lb) is the LoadBalancer dimension: Terraform's arn_suffix, else the ARN after ":loadbalancer/".
alb_suffix(lb) := s if {
	s := object.get(lb.attributes, "arn_suffix", null)
	non_empty(s)
} else := s if {
	arn := object.get(lb.attributes, "arn", lb.id)
	parts := split(arn, ":loadbalancer/")
	count(parts) == 2
	s := parts[1]
} else := null

# cluster_of(svc) is the service's cluster name; an unknown cluster matches no alarm.
cluster_of(svc) := ecs.cluster_name(svc) if {
	ecs.cluster_name(svc)
} else := "(unknown)"

db_identifier(db) := i if {
	i := object.get(db.attributes, "identifier", null)
	non_empty(i)
} else := i if {
	parts := split(db.id, ":db:")
	count(parts) == 2
	i := parts[1]
} else := null

distribution_id(d) := i if {
	i := object.get(d.attributes, "id", null)
	non_empty(i)
	not startswith(i, "arn:")
} else := ecs.last_segment(d.id)

# watching(r) is the set of alarm index entries that watch r (scaling-only alarms left out).
watching(r) := {e |
	some s in selectors(r)
	non_empty(s.value)
	some e in alarms.watching(r, s.namespace, s.dimension, s.value)
	every k, v in s.also {
		object.get(e.dimensions, k, null) == v
	}
	not alarms.scaling_only(e.alarm)
}

# equivalents(r, m) is the set of metric names that satisfy the requirement m for r: Aurora reports local
# storage as FreeLocalStorage, not FreeStorageSpace.
equivalents(r, "FreeStorageSpace") := {"FreeStorageSpace", "FreeLocalStorage"} if {
	startswith(object.get(r.attributes, "engine", ""), "aurora")
}

equivalents(r, m) := {m} if {
	not aurora_storage(r, m)
}

aurora_storage(r, "FreeStorageSpace") if startswith(object.get(r.attributes, "engine", ""), "aurora")

kind := {
	"aws_lb": "Load balancer",
	"aws_db_instance": "RDS instance",
	"aws_wafv2_web_acl": "Web ACL",
	"aws_cloudfront_distribution": "CloudFront distribution",
	"aws_ecs_service": "ECS service",
}

deny contains finding if {
	some r in subjects
	watched := watching(r)
	metrics := {e.metric_name | some e in watched}
	missing := [m | some m in required(r); count(equivalents(r, m) & metrics) == 0]
	count(missing) > 0
	finding := {
		"resource": r.id,
		"message": sprintf("%s %s has no CloudWatch alarm on %s", [kind[r.type], aws.label(r), concat(", ", missing)]),
		"evidence": {
			"required_metrics": required(r),
			"missing_metrics": missing,
			"alarms": sort({e.alarm.id | some e in watched}),
		},
	}
}
