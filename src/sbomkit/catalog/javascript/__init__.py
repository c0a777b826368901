"""JavaScript catalogers: npm, yarn, pnpm and bun lockfiles, installed node_modules."""
