# METADATA
# title: No attached or inline IAM policy grants full administrative access
# description: >-
#   The reference architecture's ECS tasks, CI/CD pipeline (CodeBuild, CodeDeploy) and operators act
#   through IAM roles and users. None of their customer-managed or inline policies may contain a statement
#   with Effect Allow, Action "*" and Resource "*": such a statement grants every permission on every
#   resource, so a compromised task or build role owns the account. Customer-managed policies are judged
#   when attached (attachment_count > 0, or attachment count unknown); inline policies of roles, users and
#   groups always. Grant least-privilege actions instead.
# custom:
#   id: IAM-02
#   severity: high
#   resource_types: [aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy]
#   remediation: >-
#     Replace the "Action": "*" / "Resource": "*" statement with the specific actions and resources the
#     principal needs (IAM Access Analyzer's policy generation from CloudTrail activity helps), publish it
#     as a new version (`aws iam create-policy-version --policy-arn <arn> --policy-document file://p.json
#     --set-as-default`) or rewrite the inline policy (`aws iam put-role-policy ...`), or detach/delete it.
#   frameworks:
#     fsbp: [IAM.1]
#     nist-800-53-r5: [AC-2, AC-2(1), AC-3, AC-3(7), AC-3(15), AC-5, AC-6, AC-6(2), AC-6(3), AC-6(10)]
#     prowler: [iam_customer_attached_policy_no_administrative_privileges, iam_inline_policy_no_administrative_privileges]
package aws.iam.admin_policies

import rego.v1

import data.lib.aws

inline_types := ["aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"]

judged contains p if {
	some p in aws.resources("aws_iam_policy")
	not object.get(p.attributes, "attachment_count", 1) == 0
}

judged contains p if {
	some t in inline_types
	some p in aws.resources(t)
}

kind(p) := sprintf("Inline policy %s of role %v", [aws.label(p), object.get(p.attributes, "role", null)]) if p.type == "aws_iam_role_policy"

kind(p) := sprintf("Inline policy %s of user %v", [aws.label(p), object.get(p.attributes, "user", null)]) if p.type == "aws_iam_user_policy"

kind(p) := sprintf("Inline policy %s of group %v", [aws.label(p), object.get(p.attributes, "group", null)]) if p.type == "aws_iam_group_policy"

kind(p) := sprintf("IAM policy %s", [aws.label(p)]) if p.type == "aws_iam_policy"

full_admin(stmt) if {
	stmt.Effect == "Allow"
	"*" in aws.as_list(object.get(stmt, "Action", null))
	"*" in aws.as_list(object.get(stmt, "Resource", null))
}

deny contains finding if {
	some p in judged
	admin := [s | some s in aws.policy_statements(object.get(p.attributes, "policy", "{}")); full_admin(s)]
	count(admin) > 0
	finding := {
		"resource": p.id,
		"message": sprintf("%s allows every action (\"*\") on every resource (\"*\")", [kind(p)]),
		"evidence": {
			"statements": [{"Sid": object.get(s, "Sid", null), "Effect": s.Effect, "Action": s.Action, "Resource": s.Resource} | some s in admin],
			"attachment_count": object.get(p.attributes, "attachment_count", null),
		},
	}
}
