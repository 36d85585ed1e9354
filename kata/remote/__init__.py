"""The verdict from a process where no student code ran (issue 13)."""
