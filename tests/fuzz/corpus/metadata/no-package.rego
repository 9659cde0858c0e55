# METADATA
# title: x

deny contains f if { true }
