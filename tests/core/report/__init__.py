"""Tests of the tumor-board PDF report (no Qt)."""
