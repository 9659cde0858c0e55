package aws.cicd.build_secrets_test

import rego.v1

import data.aws.cicd.build_secrets as rule
import data.lib.testing

project(id, vars) := testing.res("aws_codebuild_project", id, {"name": id, "environment": [{
	"compute_type": "BUILD_GENERAL1_SMALL",
	"image": "aws/codebuild/standard:7.0",
	"type": "LINUX_CONTAINER",
	"environment_variable": vars,
}]})

pipeline(id, env_vars, variables) := testing.res("aws_codepipeline", id, {"name": id, "variable": variables, "stage": [
	{"name": "Source", "action": [{"name": "Source", "category": "Source", "provider": "CodeStarSourceConnection", "configuration": {"FullRepositoryId": "example/app", "BranchName": "main"}}]},
	{"name": "Build", "action": [{"name": "Test", "category": "Build", "provider": "CodeBuild", "configuration": {"ProjectName": "app-test", "EnvironmentVariables": json.marshal(env_vars)}}]},
]})

test_references_and_harmless_plaintext_pass if {
	d := rule.deny with input as testing.inv([
		project("app-build", [
			{"name": "DB_PASSWORD", "value": "app/db-password", "type": "SECRETS_MANAGER"},
			{"name": "NPM_TOKEN", "value": "/ci/npm-token", "type": "PARAMETER_STORE"},
			{"name": "IMAGE_REPO_NAME", "value": "app-frontend", "type": "PLAINTEXT"},
			{"name": "AWS_DEFAULT_REGION", "value": "us-east-1"},
		]),
		pipeline("app-pipeline", [{"name": "API_KEY", "value": "ci/api-key", "type": "SECRETS_MANAGER"}, {"name": "STAGE", "value": "prod", "type": "PLAINTEXT"}], [{"name": "RELEASE", "default_value": "main"}]),
	])
	count(d) == 0
}

test_plaintext_secret_fails_without_revealing_it if {
	d := rule.deny with input as testing.inv([
		project("legacy-build", [{"name": "DOCKERHUB_PASSWORD", "value": "hunter2", "type": "PLAINTEXT"}, {"name": "GITHUB_TOKEN", "value": "ghp_x"}]),
		project("ok", [{"name": "STAGE", "value": "prod"}]),
	])
	testing.ids(d) == {"legacy-build"}
	some f in d
	not contains(json.marshal(f), "hunter2")
	{v.variable | some v in f.evidence.variables} == {"DOCKERHUB_PASSWORD", "GITHUB_TOKEN"}
}

test_access_key_value_fails_whatever_its_name if {
	d := rule.deny with input as testing.inv([project("p", [{"name": "UPLOAD_ID", "value": "AKIAIOSFODNN7EXAMPLE", "type": "PLAINTEXT"}])])
	testing.ids(d) == {"p"}
}

test_pipeline_action_and_variables_are_read if {
	d := rule.deny with input as testing.inv([
		pipeline("a", [{"name": "SONAR_TOKEN", "value": "abc", "type": "PLAINTEXT"}], []),
		pipeline("b", [], [{"name": "DEPLOY_SECRET", "default_value": "s3cr3t"}]),
	])
	testing.ids(d) == {"a", "b"}
}
