"""The rules core: the contract as code.

Pure Python, no Django imports (tests/rules/test_purity.py checks it). Every rule takes plain
values and returns a result together with the citations and reasons that produced it.
"""
