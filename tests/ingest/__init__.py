"""Tests for painpoint.ingest: files of every supported format to Documents, and every way they fail."""
