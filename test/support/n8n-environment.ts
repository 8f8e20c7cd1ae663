import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes a config file into the user folder when first used;
// without this it would create ~/.n8n on the developer's machine.
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'quivo-unit-n8n-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
