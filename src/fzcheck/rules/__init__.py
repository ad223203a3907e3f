"""The rule-set language: everything a rule-set author touches.

model (RuleSet, Rule, Matcher), load (resolve, extends, the cache hook), source (YAML with
line:column), validate (schema and semantic problems), tailor (merge, overrides, profiles as
data), patterns (prepared, compiled once, time-limited), profiles (--profile, auto) and the
JSON Schema. Imports only fzcheck.perf and the shared vocabulary below it.
"""
