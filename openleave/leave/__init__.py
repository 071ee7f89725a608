"""Leave requests end to end: the contract's findings, a named human's decision, the ledger debits."""
