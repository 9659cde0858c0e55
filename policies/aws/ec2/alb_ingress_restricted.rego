# METADATA
# title: Internet-facing ALB security groups open only HTTP/HTTPS
# description: >-
#   In the reference architecture CloudFront fronts the Application Load Balancer, which only terminates the
#   application's HTTP(S) traffic. For every internet-facing application load balancer (aws_lb with
#   `load_balancer_type` "application" — Terraform's default when absent — and `internal` not true), each
#   group in `security_groups` is looked up among aws_security_group and aws_default_security_group (by `id`,
#   same account and region) and its ingress permissions may admit only TCP 80 and 443. When the parameter
#   `alb_require_cloudfront_origin_prefix_list` (boolean, default false) is true, the CloudFront-to-ALB design
#   is enforced: those permissions must also take their sources only from `prefix_list_ids` (the
#   com.amazonaws.global.cloudfront.origin-facing managed prefix list), so that clients cannot bypass CloudFront
#   and its web ACL. A load balancer whose groups are unknown or not in the inventory fails. Evidence lists the
#   offending permissions per group.
# custom:
#   id: SG-07
#   severity: medium
#   resource_types: [aws_lb]
#   requires: [aws_security_group, aws_default_security_group]
#   remediation: >-
#     Remove the ALB group's permissions for other ports, and admit 443 (and 80 for the redirect) from the
#     CloudFront origin-facing prefix list: `aws ec2 describe-managed-prefix-lists --filters
#     Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`, then
#     `aws ec2 authorize-security-group-ingress --group-id <alb-sg> --ip-permissions
#     'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=<pl-id>}]'` and revoke the
#     0.0.0.0/0 permissions. In Terraform, use `data "aws_ec2_managed_prefix_list"` with that name and
#     `prefix_list_ids = [data.aws_ec2_managed_prefix_list.cloudfront.id]` in the `ingress` blocks.
#   frameworks: {}
#   parameters:
#     alb_require_cloudfront_origin_prefix_list: false
package aws.ec2.alb_ingress_restricted

import rego.v1

import data.lib.aws
import data.lib.net

require_prefix_list := data.palisade.config.alb_require_cloudfront_origin_prefix_list

internet_facing_alb(lb) if {
	object.get(lb.attributes, "load_balancer_type", "application") == "application"
	not object.get(lb.attributes, "internal", null) == true
}

group_ids(lb) := aws.as_list(object.get(lb.attributes, "security_groups", null))

# other_source(p) holds when the permission has a source that is not a prefix list.
other_source(p) if count(net.list(p, "cidr_blocks")) > 0

other_source(p) if count(net.list(p, "ipv6_cidr_blocks")) > 0

other_source(p) if count(net.list(p, "security_groups")) > 0

other_source(p) if object.get(p, "self", false) == true

bad_permission(p) if not net.ports_within(p, [80, 443])

bad_permission(p) if {
	require_prefix_list == true
	other_source(p)
}

bad_permission(p) if {
	require_prefix_list == true
	count(net.list(p, "prefix_list_ids")) == 0
}

offending(g) := [net.summary(p) | some p in net.ingress(g); bad_permission(p)]

missing(lb) := [sg | some sg in group_ids(lb); count(net.groups_with_id(lb, sg)) == 0]

exposures(lb) := {sg: bad |
	some sg in group_ids(lb)
	some g in net.groups_with_id(lb, sg)
	bad := offending(g)
	count(bad) > 0
}

deny contains finding if {
	some lb in aws.resources("aws_lb")
	internet_facing_alb(lb)
	count(group_ids(lb)) == 0
	finding := {
		"resource": lb.id,
		"message": sprintf("Load balancer %s has no known security groups, so its ingress cannot be checked", [aws.label(lb)]),
		"evidence": {"security_groups": object.get(lb.attributes, "security_groups", null)},
	}
}

deny contains finding if {
	some lb in aws.resources("aws_lb")
	internet_facing_alb(lb)
	m := missing(lb)
	count(m) > 0
	finding := {
		"resource": lb.id,
		"message": sprintf("Load balancer %s uses security group(s) %s that are not in the inventory, so its ingress cannot be checked", [aws.label(lb), concat(", ", m)]),
		"evidence": {"missing_security_groups": m, "offending_ingress": exposures(lb)},
	}
}

deny contains finding if {
	some lb in aws.resources("aws_lb")
	internet_facing_alb(lb)
	count(missing(lb)) == 0
	e := exposures(lb)
	count(e) > 0
	finding := {
		"resource": lb.id,
		"message": sprintf("Internet-facing load balancer %s has security-group ingress beyond %s (%s)", [aws.label(lb), expectation, concat(", ", sort(object.keys(e)))]),
		"evidence": {"offending_ingress": e, "require_cloudfront_origin_prefix_list": require_prefix_list},
	}
}

expectation := "TCP 80/443 from the CloudFront origin-facing prefix list" if {
	require_prefix_list == true
} else := "TCP 80/443"
