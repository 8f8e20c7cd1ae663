import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes a config file into the user folder when first used;
// without this it would create ~/.n8n on the developer's machine. One shared folder, so that
// test runs leave nothing new behind.
const userFolder = join(tmpdir(), 'quivo-unit-n8n');
mkdirSync(userFolder, { recursive: true });
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
