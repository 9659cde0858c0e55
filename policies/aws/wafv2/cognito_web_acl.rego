# METADATA
# title: Cognito user pools are associated with an AWS WAF web ACL
# description: >-
#   Amazon Cognito authenticates the application's users; its hosted UI and public sign-in, sign-up and
#   password-reset endpoints are targets for credential stuffing and account enumeration. The reference
#   architecture applies AWS WAF (rate limiting, IP filtering) to the application, and a user pool can carry
#   a regional web ACL of its own. A pool passes when an `aws_wafv2_web_acl_association` links its ARN to a
#   web ACL (what `wafv2:GetWebACLForResource` reports).
# custom:
#   id: WAF-10
#   severity: medium
#   resource_types: [aws_cognito_user_pool]
#   requires: [aws_wafv2_web_acl_association]
#   remediation: >-
#     Associate a REGIONAL web ACL with the user pool: `aws wafv2 associate-web-acl --web-acl-arn <acl arn>
#     --resource-arn arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>`, or in Terraform
#     `resource "aws_wafv2_web_acl_association" { resource_arn = aws_cognito_user_pool.<name>.arn,
#     web_acl_arn = aws_wafv2_web_acl.<name>.arn }`; in the console, Cognito > User pools > <pool> > Branding
#     or App integration > AWS WAF.
#   frameworks:
#     prowler: [cognito_user_pool_waf_acl_attached]
package aws.wafv2.cognito_web_acl

import rego.v1

import data.lib.aws
import data.lib.edge

deny contains finding if {
	some pool in aws.resources("aws_cognito_user_pool")
	count(edge.web_acls_for(pool)) == 0
	finding := {
		"resource": pool.id,
		"message": sprintf("Cognito user pool %s is not associated with an AWS WAF web ACL", [aws.label(pool)]),
		"evidence": {"web_acl_associations": []},
	}
}
