"""Accounts and HTTP hardening: sign-in throttling and lock-out, password rules, the TOTP
second factor, security headers. See docs/security.md for the why of each choice.

- :mod:`.throttle`: failures counted from the audit log, per account and per IP;
- :mod:`.passwords`: password validators with Vietnamese messages;
- :mod:`.totp`: the optional second factor (RFC 6238) and its enrolment;
- :mod:`.login`: the one sign-in check the API and the desk share;
- :mod:`.headers`: Content-Security-Policy and friends; a clear answer when the database
  connection is lost.
"""
