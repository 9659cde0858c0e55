# Builders for policy tests: resources shaped exactly as the engine passes them.
package lib.testing

import rego.v1

account := "123456789012"

region := "us-east-1"

# res(t, id, attrs) is a resource of type t in the test account and region.
res(t, id, attrs) := {
	"id": id,
	"type": t,
	"account": account,
	"region": region,
	"name": id,
	"attributes": attrs,
	"tags": {},
}

# inv(list) is an input with the resources of list grouped by type.
inv(list) := {"resources": {t: [r | some r in list; r.type == t] | some x in list; t := x.type}}

# 2026-11-27T00:00:00Z, the collection instant tests use.
now_ns := 1795737600000000000

# ids(deny) is the set of resource ids a deny set names.
ids(deny) := {f.resource | some f in deny}
