import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/environment';
import { REQUEST_TIMEOUT_MS } from './constants';
import { toNodeError } from './errors';

/** One call of the Quivo API, relative to the credential's base URL. */
export interface QuivoRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/**
 * Sends one authenticated request to Quivo. It goes through `httpRequestWithAuthentication`
 * so that n8n logs in when the saved session token is empty, and on a 401 logs in again and
 * retries once. Errors become `NodeApiError`s that carry the item index.
 */
export async function quivoApiRequest(
	this: IExecuteFunctions,
	request: QuivoRequest,
	itemIndex: number,
): Promise<unknown> {
	const { method, path, qs, body } = request;

	try {
		const credentials = await this.getCredentials('quivoApi', itemIndex);
		const options: IHttpRequestOptions = {
			method,
			url: `${resolveBaseUrl(credentials)}${path}`,
			qs,
			body,
			json: true,
			timeout: REQUEST_TIMEOUT_MS,
		};
		return await this.helpers.httpRequestWithAuthentication.call(this, 'quivoApi', options);
	} catch (error) {
		throw toNodeError(this.getNode(), error, { method, path, itemIndex });
	}
}
