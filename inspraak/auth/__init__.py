"""Sign-in for staff (password) and tenants (letter code, email link), server-side sessions."""
