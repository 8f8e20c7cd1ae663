/**
 * Preload (`node --require`) that appends the peak resident set size and the CPU time of the
 * process to the file named by QUIVO_BENCH_PROBE_FILE when the process exits, as one JSON line
 * `{"pid", "maxRssKb", "cpuUs"}`. It lets the benchmark measure any Node.js program, n8n
 * included, without an external tool. Processes that the measured one starts with the same
 * NODE_OPTIONS append their own line, so a reader picks the line with the pid it started.
 */
'use strict';

const fs = require('node:fs');

const probeFile = process.env.QUIVO_BENCH_PROBE_FILE;
if (probeFile) {
	process.on('exit', () => {
		const usage = process.resourceUsage();
		const line = { pid: process.pid, maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime };
		fs.appendFileSync(probeFile, `${JSON.stringify(line)}\n`);
	});
}
