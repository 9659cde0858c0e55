package aws.secretsmanager.unused_secrets_test

import rego.v1

import data.aws.secretsmanager.unused_secrets as rule
import data.lib.testing

secret(id, attrs) := testing.res("aws_secretsmanager_secret", id, attrs)

test_recently_used_and_new_secrets_pass if {
	d := rule.deny with input as testing.inv([
		secret("a", {"created_date": "2024-01-01T00:00:00Z", "last_accessed_date": "2026-11-26T00:00:00Z"}),
		secret("b", {"created_date": "2026-11-01T00:00:00Z"}),
	])
		with data.palisade.now_ns as testing.now_ns
	count(d) == 0
}

test_stale_access_fails if {
	d := rule.deny with input as testing.inv([
		secret("a", {"created_date": "2024-01-01T00:00:00Z", "last_accessed_date": "2026-05-01T00:00:00Z"}),
		secret("b", {"created_date": "2024-01-01T00:00:00Z", "last_accessed_date": "2026-11-01T00:00:00Z"}),
	])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
}

test_never_accessed_old_secret_fails if {
	d := rule.deny with input as testing.inv([secret("a", {"created_date": "2025-02-14T10:00:00Z"})])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a"}
	some f in d
	contains(f.message, "never been accessed")
}

test_unknown_dates_fail if {
	d := rule.deny with input as testing.inv([secret("a", {}), secret("b", {"last_accessed_date": ""})])
		with data.palisade.now_ns as testing.now_ns
	testing.ids(d) == {"a", "b"}
}

test_parameter if {
	d := rule.deny with input as testing.inv([secret("a", {"last_accessed_date": "2026-10-01T00:00:00Z"})])
		with data.palisade.now_ns as testing.now_ns
		with data.palisade.config.secretsmanager_max_days_unused as 30
	testing.ids(d) == {"a"}
}
