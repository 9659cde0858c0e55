# Helpers shared by the rules that look for credentials kept in clear text (ECS-02 for container environment
# variables, CICD-03 for CodeBuild and CodePipeline variables). They judge a variable by its name and by the
# shape of its value, and never return the value: evidence names variables only.
package lib.credentials

import rego.v1

# tokens(name) is the upper-case words of a variable name (split at anything that is not a letter or digit).
tokens(name) := [t | some t in regex.split(`[^A-Z0-9]+`, upper(name)); t != ""]

# secret_like_name(name, keywords) holds when a word of name is one of keywords, or contains a keyword of
# five letters or more (so DB_PASSWORD, dbPassword, API_KEY and GITHUB_TOKEN match, KEYCLOAK_URL does not).
secret_like_name(name, keywords) if {
	is_string(name)
	some t in tokens(name)
	some k in keywords
	word_matches(t, upper(k))
}

word_matches(t, k) if t == k

word_matches(t, k) if {
	count(k) >= 5
	contains(t, k)
}

# reference_value(v) holds for a value that points at a secret instead of holding one: an ARN, or empty.
reference_value(v) if startswith(v, "arn:")

reference_value(v) if v == ""

# access_key_value(v) holds for a value shaped like an AWS access key id (long-term AKIA…, temporary ASIA…).
access_key_value(v) if regex.match(`^(AKIA|ASIA)[A-Z0-9]{16}$`, v)

# clear_text_secret(name, value, keywords) holds for a clear-text variable that looks like a credential: a
# secret-like name whose value is not a reference, or any value shaped like an access key id. An absent
# value (null) with a secret-like name counts, since the value is unknown.
clear_text_secret(name, value, keywords) if {
	secret_like_name(name, keywords)
	not is_reference(value)
}

clear_text_secret(_, value, _) if {
	is_string(value)
	access_key_value(value)
}

# clear_text_secret_among(name, value, secret_names) is clear_text_secret with the names already judged:
# secret_names is the set of names for which secret_like_name holds, computed once by a rule over every
# name it sees. The keyword match per name is the costly part, and names repeat across resources.
clear_text_secret_among(name, value, secret_names) if {
	name in secret_names
	not is_reference(value)
}

clear_text_secret_among(_, value, _) if {
	is_string(value)
	access_key_value(value)
}

is_reference(v) if {
	is_string(v)
	reference_value(v)
}

# reason(name, value, keywords) says why a variable was flagged (for evidence; never the value).
reason(name, value, keywords) := "value has the shape of an AWS access key id" if {
	is_string(value)
	access_key_value(value)
} else := "name looks like a credential"
