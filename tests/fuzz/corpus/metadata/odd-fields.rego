# METADATA
#	title: tab
# description: "\ud800"
# custom:
#   id: ''
#   severity: [high]
#   resource_types: {}
#   frameworks: 7
#   parameters: [1]
package  odd.pkg 
  deny contains f if {
}
test_x := true
