# METADATA
# title: Application Load Balancers are associated with an AWS WAF web ACL
# description: >-
#   The reference architecture protects the application with AWS WAF; the Application Load Balancer is the
#   regional entry point to the ECS services, and it is reachable directly (not only through CloudFront),
#   so it needs its own regional web ACL. An ALB passes when an `aws_wafv2_web_acl_association` links its ARN
#   to a web ACL (what `wafv2:GetWebACLForResource` reports). The association is matched by ARN across the
#   whole inventory, not by module or state, so an association defined elsewhere still counts (unlike
#   checkov's CKV2_AWS_28). The evidence includes `enable_waf_fail_open`: when true, the ALB forwards
#   requests unfiltered whenever it cannot reach AWS WAF. A load balancer whose type is unknown is judged
#   as an application load balancer (the Terraform default); network and gateway load balancers cannot
#   carry a web ACL and pass.
# custom:
#   id: WAF-02
#   severity: high
#   resource_types: [aws_lb]
#   requires: [aws_wafv2_web_acl_association]
#   remediation: >-
#     Associate a REGIONAL web ACL with the load balancer: `aws wafv2 associate-web-acl --web-acl-arn <acl arn>
#     --resource-arn <alb arn>`, or in Terraform add `resource "aws_wafv2_web_acl_association" { resource_arn
#     = aws_lb.<name>.arn, web_acl_arn = aws_wafv2_web_acl.<name>.arn }`; in the console, WAF & Shield > Web
#     ACLs > <acl> > Associated AWS resources > Add. Keep `enable_waf_fail_open = false` on the ALB.
#   frameworks:
#     fsbp: [ELB.16]
#     nist-800-53-r5: [AC-4(21)]
#     prowler: [elbv2_waf_acl_attached]
package aws.wafv2.alb_web_acl

import rego.v1

import data.lib.aws
import data.lib.edge

deny contains finding if {
	some lb in aws.resources("aws_lb")
	edge.application_lb(lb)
	count(edge.web_acls_for(lb)) == 0
	finding := {
		"resource": lb.id,
		"message": sprintf("Application Load Balancer %s is not associated with an AWS WAF web ACL", [aws.label(lb)]),
		"evidence": {
			"web_acl_associations": [],
			"enable_waf_fail_open": object.get(lb.attributes, "enable_waf_fail_open", null),
		},
	}
}
