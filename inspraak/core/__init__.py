"""Building blocks without domain knowledge: database base, i18n, security, errors, audit."""
