/** Invalid request parameter. The emulator responds with HTTP 400 and the message as plain text. */
export class BadRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BadRequestError';
	}
}
