"""The JSON API under `/api/v1` (CONTRACTS.md section 6), one module per noun."""
