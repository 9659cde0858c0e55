# METADATA
# title: Public hosted zones log DNS queries
# description: >-
#   Route 53 manages the reference application's domain. Query logs record every DNS query that reaches the
#   zone's name servers (name, type, response code, edge location and resolver), which shows reconnaissance,
#   subdomain enumeration, DNS-based exfiltration and the scale of a DNS flood. Judges every public
#   aws_route53_zone (private_zone not true; an absent private_zone is unknown and judged): an
#   aws_route53_query_log of the same account must have the zone's zone_id (`route53:ListQueryLoggingConfigs`).
# custom:
#   id: R53-01
#   severity: medium
#   resource_types: [aws_route53_zone]
#   requires: [aws_route53_query_log]
#   remediation: >-
#     Create a log group in us-east-1 (`aws logs create-log-group --log-group-name
#     /aws/route53/<zone name>`), let Route 53 write to it (`aws logs put-resource-policy` allowing
#     route53.amazonaws.com logs:CreateLogStream and logs:PutLogEvents), then `aws route53
#     create-query-logging-config --hosted-zone-id <zone id> --cloud-watch-logs-log-group-arn <log group
#     arn>`; in Terraform, `aws_route53_query_log { zone_id = aws_route53_zone.<name>.zone_id
#     cloudwatch_log_group_arn = aws_cloudwatch_log_group.<name>.arn }`.
#   frameworks:
#     fsbp: [Route53.2]
#     prowler: [route53_public_hosted_zones_cloudwatch_logging_enabled]
#     aws-config: [route53-query-logging-enabled]
package aws.route53.query_logging

import rego.v1

import data.lib.aws

# zone_ref(z) is a zone id without the "/hostedzone/" prefix the API sometimes adds.
zone_ref(id) := trim_prefix(id, "/hostedzone/")

# query_log_index is every aws_route53_query_log keyed by "account|zone id" (built once per evaluation).
query_log_index[key] contains q if {
	some q in aws.resources("aws_route53_query_log")
	zid := object.get(q.attributes, "zone_id", null)
	is_string(zid)
	key := concat("|", [q.account, zone_ref(zid)])
}

zone_ids(z) := {zone_ref(x) |
	some x in [object.get(z.attributes, "zone_id", null), object.get(z.attributes, "id", null), z.id]
	is_string(x)
	x != ""
} | {last |
	parts := split(z.id, "hostedzone/")
	count(parts) == 2
	last := parts[1]
}

query_logs(z) := {q.id |
	some zid in zone_ids(z)
	some q in query_log_index[concat("|", [z.account, zid])]
}

deny contains finding if {
	some z in aws.resources("aws_route53_zone")
	not object.get(z.attributes, "private_zone", null) == true
	count(query_logs(z)) == 0
	finding := {
		"resource": z.id,
		"message": sprintf("Public hosted zone %s does not log DNS queries", [object.get(z.attributes, "name", aws.label(z))]),
		"evidence": {
			"zone_id": object.get(z.attributes, "zone_id", null),
			"private_zone": object.get(z.attributes, "private_zone", null),
			"query_logging_configs": [],
		},
	}
}
