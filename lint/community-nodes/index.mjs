/**
 * Loads n8n's community-node lint plugin from this folder's node_modules for the root
 * eslint.config.mjs. The plugin needs n8n-workflow 2.x as a peer, while the root package keeps
 * n8n-workflow 1.x for its unit tests, so the plugin is installed here with its own lockfile.
 */
let plugin;
try {
	plugin = await import('@n8n/eslint-plugin-community-nodes');
} catch (error) {
	if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
	throw new Error(
		'@n8n/eslint-plugin-community-nodes is not installed in lint/community-nodes/node_modules. ' +
			'Run node scripts/install-community-lint.js (npm run lint runs it first).',
		{ cause: error },
	);
}

export const { n8nCommunityNodesPlugin } = plugin;
