"""Would print when Python starts, if the grader ever imported it."""

print("SITECUSTOMIZE OF THE SUBMISSION RAN")
