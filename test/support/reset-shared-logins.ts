import { clearSharedLogins } from '../../nodes/Quivo/transport/session';

// Each test starts like a new n8n process, without logins shared from an earlier test.
beforeEach(() => clearSharedLogins());
