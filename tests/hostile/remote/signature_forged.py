"""Attack: the module replaces the agent's signature describer, so the checker gets a parameter
whose name is code.  The checker rebuilds signatures from data and refuses names that are not
identifiers.
"""

from kata.remote import calls

calls.describe_signature = lambda function: [["images); import os; os.system('true'", 1]]


def run(epochs=10, out_dir=None):
    return 0.9
