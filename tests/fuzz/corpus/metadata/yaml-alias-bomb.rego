# METADATA
# title: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
# b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
# c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
# d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
# e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
# f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
# g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
# h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
# i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
# description: billion laughs
# custom:
#   id: BOMB-01
#   severity: high
#   resource_types: [aws_db_instance]
#   remediation: none
#   frameworks: {}
package bomb

import rego.v1

deny contains f if {
	f := {"resource": "x", "message": "y"}
}
