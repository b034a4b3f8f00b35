"""The service layer: every business rule and permission check lives here.

Services take the acting user and plain values, load what they need, check it against its
real owner, change it and flush. The caller (a request or a job) commits once at its boundary.
"""
