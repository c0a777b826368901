"""License data: normalization of declared license text to SPDX expressions."""
