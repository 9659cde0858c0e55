# Helpers shared by the CloudWatch alarm rules (CW-01, CW-02, CW-04, R53-02): which metrics an alarm watches
# (a single metric, or the metrics of a metric-math `metric_query`), an index from a watched dimension to the
# alarms that watch it, and what an alarm's actions are.
package lib.alarms

import rego.v1

import data.lib.aws

alarms := aws.resources("aws_cloudwatch_metric_alarm")

# watched(a) is the set of metrics alarm a reads: {namespace, metric_name, dimensions}, from its own
# namespace/metric_name/dimensions or from each metric_query[].metric[0].
watched(a) := {m |
	ns := object.get(a.attributes, "namespace", null)
	name := object.get(a.attributes, "metric_name", null)
	is_string(ns)
	is_string(name)
	m := {"namespace": ns, "metric_name": name, "dimensions": dims(object.get(a.attributes, "dimensions", {}))}
} | {m |
	some q in aws.blocks(a.attributes, "metric_query")
	some x in aws.blocks(q, "metric")
	is_string(x.namespace)
	is_string(x.metric_name)
	m := {"namespace": x.namespace, "metric_name": x.metric_name, "dimensions": dims(object.get(x, "dimensions", {}))}
}

dims(d) := d if is_object(d)

dims(d) := {} if not is_object(d)

# metric_region(r) is the region where r's CloudWatch metrics live: us-east-1 for global resources
# (CloudFront, Route 53 health checks), else r's region.
metric_region(r) := "us-east-1" if r.region == "global"

metric_region(r) := r.region if r.region != "global"

# index maps "account|region|namespace|dimension name|dimension value" to what each alarm watches there:
# {"alarm": <alarm resource>, "metric_name", "dimensions"} (built once per evaluation, so that a resource finds
# its alarms without scanning every alarm).
index[key] contains {"alarm": a, "metric_name": m.metric_name, "dimensions": m.dimensions} if {
	some a in alarms
	some m in watched(a)
	some dn, dv in m.dimensions
	is_string(dv)
	key := concat("|", [a.account, a.region, m.namespace, dn, dv])
}

# watching(r, namespace, dim, value) is the set of index entries for alarms in r's account and metric region
# that watch a metric of namespace with dimension dim = value.
watching(r, namespace, dim, value) := {e | some e in index[concat("|", [r.account, metric_region(r), namespace, dim, value])]}

# actions(a) is the alarm's ALARM-state action ARNs ([] when absent).
actions(a) := [x | some x in aws.as_list(object.get(a.attributes, "alarm_actions", [])); is_string(x)]

# is_scaling_action(arn) holds for an EC2 Auto Scaling or Application Auto Scaling policy ARN (both are
# arn:<partition>:autoscaling:...:scalingPolicy:...).
is_scaling_action(arn) if regex.match(`^arn:aws[a-z-]*:(application-)?autoscaling:`, arn)

# scaling_only(a) holds for an alarm whose every action is a scaling policy: an auto-scaling trigger (such as
# the alarms Application Auto Scaling creates for a target-tracking policy), not an alert to people.
scaling_only(a) if {
	acts := actions(a)
	count(acts) > 0
	every x in acts {
		is_scaling_action(x)
	}
}

# is_sns_topic(arn) holds for an SNS topic ARN.
is_sns_topic(arn) if regex.match(`^arn:aws[a-z-]*:sns:`, arn)
