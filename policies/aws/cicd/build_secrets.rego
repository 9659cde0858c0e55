# METADATA
# title: CodeBuild and CodePipeline take credentials from Secrets Manager or Parameter Store
# description: >-
#   The reference architecture's pipeline builds, tests and pushes the application with CodeBuild, and keeps
#   database credentials and API keys in Secrets Manager. A credential in a PLAINTEXT environment variable is
#   stored in clear text in the project (or pipeline) definition, visible to anyone who may read it
#   (codebuild:BatchGetProjects, codepipeline:GetPipeline), in CloudTrail, in Terraform state and often in
#   build logs. Judges every aws_codebuild_project (environment[0].environment_variable[]) and every
#   aws_codepipeline (the EnvironmentVariables JSON of each CodeBuild action's configuration, and the
#   pipeline's variable[] defaults): a PLAINTEXT variable (Terraform's default when type is absent) fails when
#   its name contains a word of `secret_name_keywords` (PASSWORD, SECRET, TOKEN, KEY, ...) and its value is not
#   an ARN, or when its value has the shape of an AWS access key id. Variables of type SECRETS_MANAGER or
#   PARAMETER_STORE name the secret instead and pass. Evidence names variables, never their values.
# custom:
#   id: CICD-03
#   severity: high
#   resource_types: [aws_codebuild_project, aws_codepipeline]
#   remediation: >-
#     Store the value in Secrets Manager (`aws secretsmanager create-secret --name ci/npm-token
#     --secret-string …`) or as an SSM SecureString, change the variable to `{"name": "NPM_TOKEN", "value":
#     "ci/npm-token", "type": "SECRETS_MANAGER"}` (`type = "SECRETS_MANAGER"` in the Terraform
#     `environment_variable` block; PARAMETER_STORE for SSM), grant the project's service role read access to
#     it, and rotate the exposed credential. In a buildspec, use `env: secrets-manager:` instead of `env:
#     variables:`.
#   frameworks:
#     fsbp: [CodeBuild.2]
#     prowler: [codebuild_project_no_secrets_in_variables]
#     aws-config: [codebuild-project-envvar-awscred-check]
#   parameters:
#     secret_name_keywords: [PASSWORD, PASSWD, SECRET, TOKEN, KEY, APIKEY, ACCESSKEY, PRIVATEKEY, CREDENTIAL]
package aws.cicd.build_secrets

import rego.v1

import data.lib.aws
import data.lib.credentials

keywords := data.palisade.config.secret_name_keywords

# An absent (or null) type is Terraform's and the API's default, PLAINTEXT.
plaintext(v) if object.get(v, "type", null) == null

plaintext(v) if upper(v.type) == "PLAINTEXT"

flag(where, v) := {"where": where, "variable": v.name, "reason": credentials.reason(v.name, object.get(v, "value", null), keywords)} if {
	plaintext(v)
	credentials.clear_text_secret_among(v.name, object.get(v, "value", null), secret_like_names)
}

# candidates is every build variable the rule judges: {"resource", "where", "variable"} (the variable's
# block as it is).
candidates contains {"resource": p.id, "where": "environment", "variable": v} if {
	some p in aws.resources("aws_codebuild_project")
	some v in aws.blocks(aws.block(p.attributes, "environment"), "environment_variable")
}

candidates contains {"resource": p.id, "where": where, "variable": v} if {
	some p in aws.resources("aws_codepipeline")
	some stage in aws.blocks(p.attributes, "stage")
	some action in aws.blocks(stage, "action")
	object.get(action, "provider", null) == "CodeBuild"
	raw := object.get(object.get(action, "configuration", {}), "EnvironmentVariables", null)
	is_string(raw)
	json.is_valid(raw)
	some v in aws.as_list(json.unmarshal(raw))
	where := sprintf("stage %v, action %v", [object.get(stage, "name", "?"), object.get(action, "name", "?")])
}

pipeline_variables contains {"resource": p.id, "name": v.name, "value": value} if {
	some p in aws.resources("aws_codepipeline")
	some v in aws.blocks(p.attributes, "variable")
	value := object.get(v, "default_value", null)
	is_string(value)
	value != ""
}

# The names that look like credentials: each judged once, however many projects and pipelines use it.
secret_like_names := {n |
	some n in ({c.variable.name | some c in candidates} | {v.name | some v in pipeline_variables})
	credentials.secret_like_name(n, keywords)
}

# found[r.id] is the set of flagged variables of a project or pipeline.
found[c.resource] contains f if {
	some c in candidates
	f := flag(c.where, c.variable)
}

found[v.resource] contains {"where": "pipeline variables", "variable": v.name, "reason": credentials.reason(v.name, v.value, keywords)} if {
	some v in pipeline_variables
	credentials.clear_text_secret_among(v.name, v.value, secret_like_names)
}

kind(r) := "CodeBuild project" if r.type == "aws_codebuild_project"

kind(r) := "CodePipeline" if r.type == "aws_codepipeline"

deny contains finding if {
	some r in array.concat(aws.resources("aws_codebuild_project"), aws.resources("aws_codepipeline"))
	flagged := found[r.id]
	finding := {
		"resource": r.id,
		"message": sprintf("%s %s keeps credentials in clear-text variables (%s)", [kind(r), aws.label(r), concat(", ", sort({v.variable | some v in flagged}))]),
		"evidence": {"variables": sort(flagged)},
	}
}
