"""Test harness: a private PostgreSQL cluster and a real httpd with the built modules."""
