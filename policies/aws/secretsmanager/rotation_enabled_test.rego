package aws.secretsmanager.rotation_enabled_test

import rego.v1

import data.aws.secretsmanager.rotation_enabled as rule
import data.lib.testing

secret(id, attrs) := testing.res("aws_secretsmanager_secret", id, attrs)

test_rotating_secrets_pass if {
	d := rule.deny with input as testing.inv([
		secret("a", {"rotation_enabled": true, "rotation_lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:rotate"}),
		secret("rds", {"rotation_enabled": true, "owning_service": "rds"}),
	])
	count(d) == 0
}

test_rotation_disabled_fails if {
	d := rule.deny with input as testing.inv([secret("a", {"rotation_enabled": false}), secret("b", {"rotation_enabled": true})])
	testing.ids(d) == {"a"}
}

test_unknown_rotation_fails if {
	d := rule.deny with input as testing.inv([secret("a", {"name": "x"})])
	testing.ids(d) == {"a"}
}

test_terraform_rotation_resource_enables if {
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-AbCdEf"
	byname := "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-XyZ123"
	d := rule.deny with input as testing.inv([
		secret(arn, {"name": "api"}),
		secret(byname, {"name": "db"}),
		secret("other", {"name": "other"}),
		testing.res("aws_secretsmanager_secret_rotation", concat("", [arn, "/rotation"]), {"secret_id": arn, "rotation_rules": [{"automatically_after_days": 30}]}),
		testing.res("aws_secretsmanager_secret_rotation", "r2", {"secret_id": "db", "rotation_rules": [{"automatically_after_days": 30}]}),
	])
	testing.ids(d) == {"other"}
}
