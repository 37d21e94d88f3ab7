// `parley serve` from the compiled dist/, as bin/parley.js runs it when dist/ is fresh. The
// benchmark builds dist/ once and then starts this, so that edits made to src/ while it runs
// (bin/parley.js would then fall back to tsx) do not change what is measured.
const { main } = await import('../../dist/cli.js');
process.exitCode = await main(['serve']);
