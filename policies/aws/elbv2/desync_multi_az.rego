# METADATA
# title: ALBs use a defensive desync mitigation mode and span at least two Availability Zones
# description: >-
#   The reference architecture's Application Load Balancer provides "health checks and automatic failover"
#   for the ECS services. Two settings make that hold: routing.http.desync_mitigation_mode must be
#   defensive or strictest, so that ambiguous requests (HTTP desync / request smuggling) are not forwarded
#   to the targets as the monitor mode does; and the ALB must be deployed in at least two Availability
#   Zones (its availability_zones, else its subnets, one per zone) so that losing a zone does not take the
#   entry point down. Unknown values fail.
# custom:
#   id: ALB-06
#   severity: medium
#   resource_types: [aws_lb]
#   remediation: >-
#     `aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes
#     Key=routing.http.desync_mitigation_mode,Value=defensive` (Terraform `desync_mitigation_mode =
#     "defensive"` on the `aws_lb`), and attach subnets in at least two Availability Zones with
#     `aws elbv2 set-subnets --load-balancer-arn <arn> --subnets <subnet-a> <subnet-b>` (Terraform `subnets`).
#   frameworks:
#     fsbp: [ELB.12, ELB.13]
#     nist-800-53-r5: [AC-4(21), CA-9(1), CM-2, CP-6(2), CP-10, SC-5(2), SC-36, SI-13(5)]
#     prowler: [elbv2_desync_mitigation_mode, elbv2_is_in_multiple_az]
package aws.elbv2.desync_multi_az

import rego.v1

import data.lib.aws
import data.lib.delivery

safe_modes := {"defensive", "strictest"}

# zones(lb) is the set of Availability Zones (or, when those are not known, of subnets: an ALB has at most
# one subnet per zone).
zones(lb) := {z | some z in object.get(lb.attributes, "availability_zones", [])} if {
	count(object.get(lb.attributes, "availability_zones", [])) > 0
} else := {s | some s in object.get(lb.attributes, "subnets", [])}

problems(lb) := array.concat(
	[sprintf("desync mitigation mode is %v, not defensive or strictest", [object.get(lb.attributes, "desync_mitigation_mode", null)]) |
		not object.get(lb.attributes, "desync_mitigation_mode", null) in safe_modes
	],
	[sprintf("it spans %d Availability Zone(s), fewer than 2", [count(zones(lb))]) | count(zones(lb)) < 2],
)

deny contains finding if {
	some lb in delivery.albs
	ps := problems(lb)
	count(ps) > 0
	finding := {
		"resource": lb.id,
		"message": sprintf("Application Load Balancer %s: %s", [aws.label(lb), concat("; ", ps)]),
		"evidence": {
			"desync_mitigation_mode": object.get(lb.attributes, "desync_mitigation_mode", null),
			"availability_zones": object.get(lb.attributes, "availability_zones", null),
			"subnets": object.get(lb.attributes, "subnets", null),
		},
	}
}
