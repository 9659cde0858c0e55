# METADATA
# title: Synthetics canaries test the application on a schedule
# description: >-
#   The reference architecture runs scheduled API and UI tests with CloudWatch Synthetics for availability
#   monitoring: a canary notices a broken login page or API from the outside, before users do. Judges every
#   aws_synthetics_canary: its status must be RUNNING and schedule[0].expression a recurring schedule that
#   runs at least every `synthetics_canary_max_interval_minutes` minutes (default 5, the console's default):
#   rate(N minutes|hours|days) with N > 0 ("rate(0 minutes)" runs once), or a cron expression every N
#   minutes of every hour (cron expressions that skip hours count as daily). Judges the application's entry
#   points too - enabled CloudFront distributions and internet-facing application load balancers - which
#   fail when no canary of their account is running on such a schedule. Which URL a canary tests is in its
#   script, which the inventory does not hold, so any healthy canary of the account counts.
# custom:
#   id: CW-05
#   severity: low
#   resource_types: [aws_synthetics_canary, aws_cloudfront_distribution, aws_lb]
#   remediation: >-
#     Create a canary from a blueprint (CloudWatch > Application Signals > Synthetics Canaries > Create
#     canary: heartbeat monitoring for the site, API canary for the API), schedule it `rate(5 minutes)` and
#     start it (`aws synthetics start-canary --name <name>`); alarm on its SuccessPercent metric. In Terraform
#     use `aws_synthetics_canary` with `schedule { expression = "rate(5 minutes)" }` and `start_canary =
#     true`.
#   frameworks: {}
#   parameters:
#     synthetics_canary_max_interval_minutes: 5
package aws.cloudwatch.canaries

import rego.v1

import data.lib.aws

max_interval := data.palisade.config.synthetics_canary_max_interval_minutes

canaries := aws.resources("aws_synthetics_canary")

expression(c) := object.get(aws.block(c.attributes, "schedule"), "expression", null)

unit_minutes := {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}

# interval(expr) is how often (in minutes) a schedule expression runs; 0 means once only.
interval(expr) := minutes if {
	e := lower(trim_space(expr))
	regex.match(`^rate\([ ]*[0-9]+[ ]+[a-z]+[ ]*\)$`, e)
	words := [w | some w in regex.split(`[ ]+`, trim_space(trim_suffix(trim_prefix(e, "rate("), ")"))); w != ""]
	count(words) == 2
	n := to_number(words[0])
	minutes := n * unit_minutes[words[1]]
} else := cron_interval(expr) if {
	startswith(lower(trim_space(expr)), "cron(")
}

# cron(min hour day-of-month month day-of-week year): every minute / every N minutes / a list of minutes of
# every hour; a cron that does not run every hour is counted as daily.
cron_interval(expr) := n if {
	fields := split(trim_space(trim_suffix(trim_prefix(trim_space(expr), "cron("), ")")), " ")
	count(fields) == 6
	fields[1] == "*"
	n := minute_step(fields[0])
} else := 1440

minute_step("*") := 1

minute_step(f) := to_number(parts[1]) if {
	parts := split(f, "/")
	count(parts) == 2
}

minute_step(f) := ceil(60 / count(split(f, ","))) if {
	not contains(f, "/")
	f != "*"
}

status(c) := object.get(c.attributes, "status", null)

healthy(c) if {
	status(c) == "RUNNING"
	i := interval(expression(c))
	i > 0
	i <= max_interval
}

problem[c.id] contains msg if {
	some c in canaries
	status(c) != "RUNNING"
	msg := status_message(status(c))
}

status_message(null) := "has an unknown status"

status_message(s) := sprintf("is %v, not RUNNING", [s]) if s != null

problem[c.id] contains msg if {
	some c in canaries
	not schedule_ok(c)
	msg := schedule_message(c)
}

schedule_ok(c) if {
	i := interval(expression(c))
	i > 0
	i <= max_interval
}

schedule_message(c) := "has no schedule" if {
	not is_string(expression(c))
} else := sprintf("runs once only (%s)", [expression(c)]) if {
	interval(expression(c)) == 0
} else := sprintf("runs less often than every %v minutes (%s)", [max_interval, expression(c)]) if {
	interval(expression(c))
} else := sprintf("has a schedule that cannot be read (%s)", [expression(c)])

deny contains finding if {
	some c in canaries
	msgs := problem[c.id]
	finding := {
		"resource": c.id,
		"message": sprintf("Synthetics canary %s %s", [aws.label(c), concat("; ", sort(msgs))]),
		"evidence": {
			"status": status(c),
			"schedule_expression": expression(c),
			"synthetics_canary_max_interval_minutes": max_interval,
		},
	}
}

# canaries_by_account groups the canaries by account, monitored_accounts holds the accounts with at least one
# healthy canary (both built once per evaluation).
canaries_by_account[c.account] contains c if {
	some c in canaries
}

monitored_accounts contains c.account if {
	some c in canaries
	healthy(c)
}

entry_points contains d if {
	some d in aws.resources("aws_cloudfront_distribution")
	not object.get(d.attributes, "enabled", true) == false
}

entry_points contains lb if {
	some lb in aws.resources("aws_lb")
	object.get(lb.attributes, "load_balancer_type", "application") == "application"
	not object.get(lb.attributes, "internal", null) == true
}

kind(r) := "CloudFront distribution" if r.type == "aws_cloudfront_distribution"

kind(r) := "Load balancer" if r.type == "aws_lb"

deny contains finding if {
	some r in entry_points
	not r.account in monitored_accounts
	finding := {
		"resource": r.id,
		"message": sprintf("%s %s is not tested by any running, scheduled Synthetics canary of account %s", [kind(r), aws.label(r), r.account]),
		"evidence": {"canaries": sort([{"id": c.id, "status": status(c), "schedule_expression": expression(c)} | some c in account_canaries(r.account)])},
	}
}

account_canaries(account) := cs if {
	cs := canaries_by_account[account]
} else := set()
