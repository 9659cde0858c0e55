# Helpers shared by the AWS rules: typed access to the inventory, nested Terraform-style blocks, ages.
package lib.aws

import rego.v1

# resources(t) is every resource of type t (an empty array when the inventory has none).
resources(t) := object.get(input.resources, t, [])

# attr(r, k, d) is attribute k of resource r, or d when absent.
attr(r, k, d) := object.get(r.attributes, k, d)

# block(obj, k) is the first element of the nested block k of obj (Terraform plan JSON represents a
# block as an array of objects), or {} when the block is absent or empty.
block(obj, k) := b if {
	b := obj[k][0]
} else := {}

# blocks(obj, k) is the nested block list k of obj, or [] when absent.
blocks(obj, k) := object.get(obj, k, [])

# label(r) is a readable name for messages: the resource's name, else its id.
label(r) := r.name if {
	is_string(r.name)
	r.name != ""
} else := r.id

# now_ns is the instant the inventory was collected (never the wall clock: replays are reproducible).
now_ns := data.palisade.now_ns

day_ns := ((24 * 60) * 60) * 1000000000

# age_days(ts) is the whole number of days between an RFC 3339 time and the collection instant.
age_days(ts) := floor((now_ns - time.parse_rfc3339_ns(ts)) / day_ns)

# config(name) is the tunable parameter name (defaults come from the rules' METADATA).
config(name) := data.palisade.config[name]

# same_scope(a, b) holds when a and b are in one account (regions may differ for global services).
same_account(a, b) if a.account == b.account

# policy_statements(doc) is the Statement list of an IAM-style policy document (a JSON string or object),
# normalised to an array.
policy_doc(p) := json.unmarshal(p) if is_string(p)

policy_doc(p) := p if is_object(p)

policy_statements(p) := s if {
	st := policy_doc(p).Statement
	is_array(st)
	s := st
} else := [st] if {
	st := policy_doc(p).Statement
	is_object(st)
} else := []

# as_list(x) is x when x is an array, [x] for a single value, [] for null/absent.
as_list(x) := x if is_array(x)

as_list(x) := [x] if {
	not is_array(x)
	x != null
}

as_list(null) := []
