"""Scan results out: table, JSON, SARIF 2.1.0, CycloneDX 1.6 VDR and VEX, OpenVEX."""
