"""People: who may see what, invites, roles, personal data and the audit log of staff actions."""
